"""Enrolment, lesson completion and search. Thin: the rules are in services and selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Locale, Page

from . import selectors, services
from .exceptions import CourseError, NotEnrolled
from .models import CoursePage, LessonPage, ModulePage

SEARCH_PAGE_SIZE = 20


def _back(request, fallback: str):
    target = request.POST.get("next") or fallback
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = fallback
    return redirect(target)


@login_required
@require_POST
def course_enrol(request, page_id):
    course = get_object_or_404(CoursePage.objects.live(), pk=page_id)
    try:
        services.enrolment_create(user=request.user, course=course)
    except CourseError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You are enrolled in this course."))
    return _back(request, course.url)


@login_required
@require_POST
def lesson_done(request, page_id):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=page_id)
    try:
        services.lesson_complete(user=request.user, lesson=lesson)
    except NotEnrolled:
        course = CoursePage.objects.ancestor_of(lesson).live().first()
        try:
            if course is None:
                raise
            services.enrolment_create(user=request.user, course=course)
            services.lesson_complete(user=request.user, lesson=lesson)
        except CourseError as error:
            messages.error(request, error.message)
            return _back(request, lesson.url)
    messages.success(request, _("Lesson marked as done."))
    return _back(request, lesson.url)


@login_required
@require_POST
def lesson_undone(request, page_id):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=page_id)
    services.lesson_incomplete(user=request.user, lesson=lesson)
    return _back(request, lesson.url)


def search(request):
    """Search published course content in the active language, limited to what the user may see."""
    query = request.GET.get("q", "").strip()
    page_obj = None
    if query:
        locale = Locale.objects.filter(language_code=translation.get_language()).first()
        pages = Page.objects.live().filter(locale=locale).type(CoursePage, ModulePage, LessonPage)
        if not request.user.is_authenticated:
            pages = pages.public()
        results = pages.specific().search(query)
        page_obj = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "courses/search.html", {"query": query, "page": page_obj})
