"""Enrolment, lesson completion and search. Thin: the rules are in services and selectors."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Locale, Page

from content.h5p.xapi import MAX_DEPTH, MAX_STATE_BYTES, MAX_STATE_DEPTH, MAX_STATEMENT_BYTES, StatementError
from content.jsonbody import JSONBodyError, bounded_id, parse_json_body
from content.models import ScormPackage, ScormUsage
from content.ratelimit import minute_budget_spent
from content.scorm.cmi import MAX_COMMIT_BYTES, SESSION, CommitError
from content.scorm.cmi import MAX_DEPTH as SCORM_MAX_DEPTH
from content.scorm.tokens import scorm_grant
from content.search import search_terms
from content.selectors import glossary as glossary_terms

from . import services
from .exceptions import AttemptOutdated, CourseError
from .models import CoursePage, LessonPage, ModulePage
from .activities import scorm_sco_states
from .selectors import completed_lesson_keys

SEARCH_PAGE_SIZE = 20


def _back(request, fallback: str):
    target = request.POST.get("next") or fallback
    # a path of this site only (``redirect("abc")`` would look "abc" up as a view name: a 500)
    try:
        allowed = (
            target.startswith("/") and len(target) <= 2000 and "\x00" not in target
            and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        )
    except ValueError:  # not a URL at all ("/\\[")
        allowed = False
    return HttpResponseRedirect(target if allowed else fallback)


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
        services.lesson_mark_done(user=request.user, lesson=lesson)
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
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    terms = search_terms(query)
    page_obj = None
    if terms:
        locale = Locale.objects.filter(language_code=translation.get_language()).first()
        pages = Page.objects.live().filter(locale=locale).type(CoursePage, ModulePage, LessonPage)
        if not request.user.is_authenticated:
            pages = pages.public()
        results = pages.specific().search(terms)
        page_obj = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "courses/search.html", {"query": query, "page": page_obj})


def glossary(request):
    """The course's terms in the active language, in its alphabetical order (Turkmen collation for tk)."""
    return render(request, "courses/glossary.html", {"terms": glossary_terms(translation.get_language()[:2])})


def _h5p_payload(request, *, limit: int):
    """Parse a JSON report of the player bridge, or return the error response to send."""
    if minute_budget_spent(f"courses:h5p-rate:{request.user.pk}", limit=settings.H5P_RATE_LIMIT):
        return None, JsonResponse({"error": _("Too many reports; try again in a minute.")}, status=429)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit or len(request.body) > limit:
        return None, JsonResponse({"error": _("The report is too large.")}, status=413)
    if request.content_type != "application/json":
        return None, JsonResponse({"error": _("The report must be JSON.")}, status=415)
    try:
        payload = parse_json_body(request.body, max_depth=MAX_DEPTH, max_bytes=limit)
        if not isinstance(payload, dict) or "lesson" not in payload or "package" not in payload:
            raise JSONBodyError(_("The report is not valid."))
        lesson_id, package_id = bounded_id(payload["lesson"]), bounded_id(payload["package"])
    except JSONBodyError as exc:
        return None, JsonResponse({"error": str(exc.message)}, status=400)
    return (payload, lesson_id, package_id), None


@login_required
@require_POST
def h5p_xapi(request):
    """Receive an xAPI statement from a lesson's H5P activity (via the page's bridge)."""
    parsed, error = _h5p_payload(request, limit=MAX_STATEMENT_BYTES)
    if error:
        return error
    payload, lesson_id, package_id = parsed
    try:
        result = services.h5p_statement_record(
            user=request.user, lesson_id=lesson_id, package_id=package_id, statement=payload.get("statement")
        )
    except CourseError as exc:  # not an activity of a lesson this learner may open
        return JsonResponse({"error": str(exc.message)}, status=403)
    except StatementError as exc:
        return JsonResponse({"error": str(exc.message)}, status=400)
    return JsonResponse(result)


@login_required
@require_POST
def h5p_state(request):
    """Keep where the learner is in an activity, to resume it."""
    parsed, error = _h5p_payload(request, limit=MAX_STATE_BYTES + 1024)
    if error:
        return error
    payload, lesson_id, package_id = parsed
    state = payload.get("state")
    if not isinstance(state, str):
        return JsonResponse({"error": _("The report is not valid.")}, status=400)
    try:
        # the state is JSON in a string: the player parses it again on resume, so it gets the same checks
        parse_json_body(state, max_depth=MAX_STATE_DEPTH, max_bytes=MAX_STATE_BYTES)
        services.h5p_state_record(user=request.user, lesson_id=lesson_id, package_id=package_id, data=state)
    except JSONBodyError as exc:
        return JsonResponse({"error": str(exc.message)}, status=400)
    except CourseError as exc:
        return JsonResponse({"error": str(exc.message)}, status=403)
    return JsonResponse({"saved": True})


def _scorm_cors(response):
    # the SCO runs in an opaque origin (a sandbox): its requests are cross-origin and carry no cookies
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Content-Type"
    response["Access-Control-Max-Age"] = "600"
    return response


def _scorm_error(message, status: int):
    return _scorm_cors(JsonResponse({"result": "false", "errorCode": 101, "error": str(message)}, status=status))


@csrf_exempt  # authorised by the signed player token in the address, never by a cookie
@require_http_methods(["POST", "OPTIONS"])
def scorm_commit(request, token: str, sco: int, attempt: int):
    """Keep the CMI data that the SCORM runtime commits for the learner named by the token."""
    grant = scorm_grant(token)
    if request.method == "OPTIONS":
        return _scorm_cors(HttpResponse(status=204 if grant else 404))
    user = get_user_model().objects.filter(pk=grant.user_id, is_active=True).first() if grant else None
    if user is None:
        return _scorm_error(_("This activity's address has expired; reload the page."), 404)
    if minute_budget_spent(f"courses:scorm-rate:{user.pk}", limit=settings.SCORM_RATE_LIMIT):
        return _scorm_error(_("Too many reports; try again in a minute."), 429)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_COMMIT_BYTES or len(request.body) > MAX_COMMIT_BYTES:
        return _scorm_error(_("The report is too large."), 413)
    # JSON, sent as text/plain by the runtime so that the browser needs no preflight
    if request.content_type not in ("application/json", "text/plain"):
        return _scorm_error(_("The report must be JSON."), 415)
    session = request.GET.get("session", "")
    if session and not SESSION.fullmatch(session):
        return _scorm_error(_("The report is not valid."), 400)
    try:
        data = parse_json_body(request.body, max_depth=SCORM_MAX_DEPTH, max_bytes=MAX_COMMIT_BYTES)
        result = services.scorm_commit_record(
            user=user, lesson_id=grant.lesson_id, package_id=grant.package_id, sco_index=sco, number=attempt,
            data=data, session=session,
        )
    except (JSONBodyError, CommitError) as exc:
        return _scorm_error(exc.message, 400)
    except CourseError as exc:
        return _scorm_error(exc.message, 409 if isinstance(exc, AttemptOutdated) else 403)
    return _scorm_cors(JsonResponse(result))


@login_required
@require_GET
def scorm_status(request):
    """The learner's state of each SCO of a lesson's package, and whether the lesson is done."""
    try:
        lesson_id, package_id = bounded_id(request.GET.get("lesson")), bounded_id(request.GET.get("package"))
    except JSONBodyError as exc:
        return JsonResponse({"error": str(exc.message)}, status=400)
    usage = ScormUsage.objects.select_related("page").filter(page_id=lesson_id, package_id=package_id, page__live=True).first()
    if usage is None or not services.may_view_page(page=usage.page, user=request.user):
        return JsonResponse({"error": str(services.ACTIVITY_NOT_ALLOWED)}, status=403)
    package = ScormPackage.objects.get(pk=package_id)
    key = usage.page.translation_key
    return JsonResponse({
        "states": scorm_sco_states(user=request.user, packages=[package])[package.pk],
        "lesson_done": key in completed_lesson_keys(user=request.user, lesson_keys=[key]),
    })
