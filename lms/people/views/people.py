"""An agency's people, for its training coordinator (and programme managers, for all agencies)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from courses.models import CoursePage

from .. import selectors, services
from ..exceptions import PeopleError
from ..forms import EnrolForm, ProfileCreateForm, ProfileForm
from ..models import Profile

PAGE_SIZE = 50


@login_required
@permission_required("people.view_profile", raise_exception=True)
def person_list(request):
    search = request.GET.get("q", "").replace("\x00", "").strip()[:200]  # PostgreSQL refuses NUL in text
    profiles = selectors.profile_list(actor=request.user, search=search)
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/person_list.html",
        {
            "page": page,
            "search": search,
            "courses": course_choices(),
            "agencies": selectors.managed_agency_list(actor=request.user),
            "can_add": request.user.has_perm("people.add_profile")
            and selectors.managed_agency_list(actor=request.user).exists(),
        },
    )


def course_choices():
    """The live courses in the active language (or English where not translated)."""
    language = translation.get_language()
    courses = {}
    for course in CoursePage.objects.live().filter(locale__language_code__in=[language, "en"]).select_related("locale"):
        if course.translation_key not in courses or course.locale.language_code == language:
            courses[course.translation_key] = course
    return sorted(courses.values(), key=lambda course: course.title)


@login_required
@permission_required("people.change_profile", raise_exception=True)
@require_POST
def people_enrol(request):
    form = EnrolForm(request.POST, courses=CoursePage.objects.live())
    if not form.is_valid() or form.cleaned_data["course"] is None:
        messages.error(request, _("Choose a course."))
    else:
        course, profile_ids = form.cleaned_data["course"], form.cleaned_data["profiles"]
        try:
            count = services.people_enrol(actor=request.user, profile_ids=profile_ids, course=course)
        except PeopleError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s person was enrolled in %(course)s.",
                    "%(count)s people were enrolled in %(course)s.",
                    count,
                )
                % {"count": count, "course": course.title},
            )
    return redirect("people:list")


@login_required
@permission_required("people.add_profile", raise_exception=True)
def person_create(request):
    form = ProfileCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.profile_create(actor=request.user, **form.cleaned_data)
        except PeopleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": profile})
            return redirect("people:list")
    return render(request, "people/person_form.html", {"form": form, "profile": None})


@login_required
@permission_required("people.change_profile", raise_exception=True)
def person_edit(request, pk):
    try:
        profile = selectors.profile_get(actor=request.user, pk=pk)
    except Profile.DoesNotExist:
        raise Http404 from None
    initial = {
        "first_name": profile.user.first_name,
        "last_name": profile.user.last_name,
        "email": profile.user.email,
        "agency": profile.agency,
        "unit": profile.unit,
        "region": profile.region,
        "position": profile.position,
        "gender": profile.gender,
        "language": profile.language,
    }
    form = ProfileForm(request.POST or None, initial=initial, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(actor=request.user, profile=profile, **form.cleaned_data)
        except PeopleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": profile})
            return redirect("people:list")
    return render(request, "people/person_form.html", {"form": form, "profile": profile})
