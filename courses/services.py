"""Writes to the page tree (locales, home pages, seed courses) and to enrolment and progress."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, Site

from content.h5p.services import h5p_state_save, h5p_statement_store
from content.h5p.xapi import learner_mbox, statement_parse
from content.models import H5PStatement, H5PUsage, ScormPackage, ScormUsage, Term
from content.scorm.cmi import commit_parse, commit_sequence
from content.scorm.services import scorm_attempt_current, scorm_attempt_save, scorm_scos_done

from .exceptions import ActivityNotAllowed, AttemptOutdated, CompletedByCheck, EnrolmentClosed, NotEnrolled
from .learner_state import learner_changed
from .models import CourseCompletion, CoursePage, Enrolment, HomePage, LastVisit, LessonPage, LessonProgress
from .routing import view_restrictions_for
from .selectors import LAST_VISIT_TIMEOUT, course_nav, last_visit_cache_key, lesson_completed_by_check

SOURCE_LANGUAGE = "en"
ENROLMENT_CLOSED = _("This course is open only to people enrolled by their coordinator or trainer.")
NOT_ENROLLED = _("Enrol in the course first.")
COMPLETED_BY_CHECK = _("This lesson is completed by answering its knowledge check.")


def locales_ensure() -> list[Locale]:
    """Create a Wagtail Locale for each site language; return them in settings order."""
    return [
        Locale.objects.get_or_create(language_code=code)[0] for code, _name in settings.LANGUAGES
    ]


def _publish_if_changed(page: HomePage, *, title: str, slug: str, intro: str) -> None:
    if page.live and (page.title, page.slug, page.intro) == (title, slug, intro):
        return
    page.title, page.slug, page.intro = title, slug, intro
    page.save_revision().publish()


def _welcome_page_remove() -> None:
    """Remove the placeholder page that Wagtail's first migration creates (and its site)."""
    plain_page_type = ContentType.objects.get_for_model(Page)
    for page in Page.objects.filter(depth=2, content_type=plain_page_type):
        Site.objects.filter(root_page=page).delete()
        page.delete()


@transaction.atomic
def home_pages_ensure(*, texts: dict[str, dict[str, str]], site_name: str) -> HomePage:
    """Create or update the home page in English and its translations; make it the site root."""
    locales = {locale.language_code: locale for locale in locales_ensure()}
    _welcome_page_remove()
    source_locale = locales[SOURCE_LANGUAGE]
    home = HomePage.objects.filter(locale=source_locale, depth=2).first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(live=False, locale=source_locale, **texts[SOURCE_LANGUAGE])
        )
    _publish_if_changed(home, **texts[SOURCE_LANGUAGE])

    for code, locale in locales.items():
        if code == SOURCE_LANGUAGE:
            continue
        translation = home.get_translation_or_none(locale)
        if translation is None:
            translation = home.copy_for_translation(locale)
        _publish_if_changed(translation.specific, **texts[code])

    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname = site.hostname or "localhost"
    site.port = site.port or 80
    site.site_name = site_name
    site.root_page = home
    site.save()
    return home


def enrolment_create(*, user, course: CoursePage, enrolled_by=None, source: str = Enrolment.Source.SELF) -> Enrolment:
    """Enrol a learner in a course (in any of its languages); enrolling twice changes nothing."""
    if source == Enrolment.Source.SELF and not course.self_enrolment:
        raise EnrolmentClosed(ENROLMENT_CLOSED)
    enrolment, _created = Enrolment.objects.get_or_create(
        user=user,
        course_key=course.translation_key,
        defaults={"source": source, "enrolled_by": enrolled_by},
    )
    return enrolment


def _courses_holding(*, user, lesson_key) -> list:
    keys = Enrolment.objects.filter(user=user).values_list("course_key", flat=True)
    result = []
    for course_key in keys:
        nav = course_nav(course_key=course_key, language=SOURCE_LANGUAGE)
        if nav and lesson_key in nav.lesson_keys:
            result.append(nav)
    return result


@transaction.atomic
def lesson_complete(*, user, lesson: LessonPage, source: str = LessonProgress.Source.MANUAL) -> LessonProgress:
    """Mark a lesson done for a learner and complete every enrolled course that it finishes."""
    courses = _courses_holding(user=user, lesson_key=lesson.translation_key)
    if not courses:
        raise NotEnrolled(NOT_ENROLLED)
    try:
        with transaction.atomic():
            progress, _created = LessonProgress.objects.get_or_create(
                user=user, lesson_key=lesson.translation_key, defaults={"source": source}
            )
    except IntegrityError:  # a double submit raced us; the first one counts
        progress = LessonProgress.objects.get(user=user, lesson_key=lesson.translation_key)
    for nav in courses:
        done = LessonProgress.objects.filter(user=user, lesson_key__in=nav.lesson_keys).count()
        if nav.lesson_keys and done == len(nav.lesson_keys):
            CourseCompletion.objects.get_or_create(user=user, course_key=nav.key)
    return progress


def lesson_mark_done(*, user, lesson: LessonPage) -> LessonProgress:
    """The learner marks a lesson as done by hand: refused when a knowledge check of it completes it."""
    if lesson_completed_by_check(lesson=lesson) is not None:
        raise CompletedByCheck(COMPLETED_BY_CHECK)
    return lesson_complete_enrolling(user=user, lesson=lesson)


def lesson_complete_enrolling(*, user, lesson, source: str = LessonProgress.Source.MANUAL) -> LessonProgress:
    """Mark a lesson done, enrolling the learner in its course first when they are not enrolled yet."""
    try:
        return lesson_complete(user=user, lesson=lesson, source=source)
    except NotEnrolled:
        course = CoursePage.objects.ancestor_of(lesson).live().first()
        if course is None:
            raise
        enrolment_create(user=user, course=course)
        return lesson_complete(user=user, lesson=lesson, source=source)


ACTIVITY_NOT_ALLOWED = _("This activity is not part of a lesson you can open.")
ATTEMPT_OUTDATED = _("This activity was started again in another window; reload the page to go on there.")


def h5p_statement_record(*, user, lesson_id: int, package_id: int, statement) -> dict:
    """Record an xAPI statement from a lesson's H5P activity; completing it marks the lesson done.

    The statement and the progress it makes are written in one transaction: a failure leaves
    neither, so a stored "completed" always has its lesson done. A replay of a stored completion
    finishes the job when its lesson is not done (statements kept before this rule held).
    Costs a fixed number of queries whatever the size of the course: the lesson and the package are
    checked with one lookup in the usage table, and restrictions come from the cached table.
    """
    usage = _activity_usage(user=user, lesson_id=lesson_id, package_id=package_id)
    parsed = statement_parse(statement, expected_mbox=learner_mbox(user.pk))
    lesson = usage.page
    with transaction.atomic():
        recorded = h5p_statement_store(
            user=user, package_id=package_id, lesson_key=lesson.translation_key, parsed=parsed
        )
        completes = parsed.completes and (
            recorded
            or (
                H5PStatement.objects.filter(
                    user=user, statement_id=parsed.statement_id, lesson_key=lesson.translation_key, completed=True
                ).exists()
                and not LessonProgress.objects.filter(user=user, lesson_key=lesson.translation_key).exists()
            )
        )
        if completes:
            lesson_complete_enrolling(user=user, lesson=lesson, source=LessonProgress.Source.ACTIVITY)
    return {"recorded": recorded, "lesson_done": completes}


def h5p_state_record(*, user, lesson_id: int, package_id: int, data: str) -> None:
    """Keep where the learner left an activity of a lesson they may see."""
    _activity_usage(user=user, lesson_id=lesson_id, package_id=package_id)
    h5p_state_save(user=user, package_id=package_id, data=data)


def scorm_commit_record(
    *, user, lesson_id: int | None, package_id: int, sco_index: int, number: int, data, session: str = ""
) -> dict:
    """Keep a commit of a lesson's SCORM runtime for the learner; when it completes or passes the last
    SCO of the package not yet done, mark the lesson done (never a score that counts elsewhere).

    ``number`` is the attempt the SCO was launched with: the current one, or the next when the last
    is finished; any other is refused, so an old page cannot overwrite a newer attempt.
    """
    usage = (
        ScormUsage.objects.select_related("page", "package")
        .filter(package_id=package_id, page_id=lesson_id, page__live=True)
        .first()
    )
    if usage is None or not _may_view(page=usage.page, user=user, restrictions=view_restrictions_for(usage.page)):
        raise ActivityNotAllowed(ACTIVITY_NOT_ALLOWED)
    package: ScormPackage = usage.package
    if not 0 <= sco_index < len(package.scos or []):
        raise ActivityNotAllowed(ACTIVITY_NOT_ALLOWED)
    sco = package.scos[sco_index]["identifier"]
    current, next_number = scorm_attempt_current(user_id=user.pk, package=package, sco=sco)
    latest = next_number if current is not None else next_number - 1
    if number not in (next_number, latest) or number < 1:
        raise AttemptOutdated(ATTEMPT_OUTDATED)
    sequence = commit_sequence(data)
    values = commit_parse(data, version=package.version)
    lesson = usage.page
    with transaction.atomic():
        saved = scorm_attempt_save(
            user=user, package=package, lesson_key=lesson.translation_key, sco=sco, number=number, values=values,
            session=session, sequence=sequence,
        )
        if saved is None:  # an older commit of this launch, arrived after a newer one
            return {"result": "true", "errorCode": 0, "lesson_done": False}
        identifiers = {item["identifier"] for item in package.scos}
        completes = values.done and identifiers <= scorm_scos_done(user_id=user.pk, package=package)
        if completes:
            lesson_complete_enrolling(user=user, lesson=lesson, source=LessonProgress.Source.ACTIVITY)
    return {"result": "true", "errorCode": 0, "lesson_done": completes}


def _activity_usage(*, user, lesson_id, package_id):
    usage = (
        H5PUsage.objects.select_related("page")
        .filter(package_id=package_id, page_id=lesson_id, page__live=True)
        .first()
    )
    if usage is None or not _may_view(page=usage.page, user=user, restrictions=view_restrictions_for(usage.page)):
        raise ActivityNotAllowed(ACTIVITY_NOT_ALLOWED)
    return usage


def may_view_page(*, page, user) -> bool:
    """Whether the user may see a live page under its view restrictions (cached table)."""

    return _may_view(page=page, user=user, restrictions=view_restrictions_for(page))


def _may_view(*, page, user, restrictions) -> bool:
    from wagtail.models import PageViewRestriction

    if restrictions is None:
        restrictions = page.get_view_restrictions()
    for restriction in restrictions:
        if restriction.restriction_type == PageViewRestriction.LOGIN and not user.is_authenticated:
            return False
        if restriction.restriction_type == PageViewRestriction.GROUPS:
            if not user.is_superuser and not restriction.groups.filter(pk__in=user.groups.all()).exists():
                return False
        if restriction.restriction_type == PageViewRestriction.PASSWORD:
            return False
    return True


def lesson_incomplete(*, user, lesson: LessonPage) -> None:
    """Undo "mark as done" (a course completion already recorded stays, with its date)."""
    LessonProgress.objects.filter(user=user, lesson_key=lesson.translation_key).delete()


REVIEW_WORKFLOW_NAME = "Legal and methodology review"
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "view_page")
REVIEWER_PAGE_PERMISSIONS = ("add_page", "change_page", "view_page", "publish_page")


@transaction.atomic
def editorial_setup(*, index_pages, editors, reviewers):
    """Editors edit the course tree; a review by ``reviewers`` precedes publishing (safe to re-run).

    The review task is a Wagtail group approval task on every language's course index, so it covers
    courses, modules and lessons, and translations too.
    """
    from django.contrib.auth.models import Permission
    from wagtail.models import (
        GroupApprovalTask,
        GroupPagePermission,
        Workflow,
        WorkflowContentType,
        WorkflowPage,
        WorkflowTask,
    )

    workflow, _created = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=REVIEW_WORKFLOW_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_WORKFLOW_NAME)
    task.groups.set([reviewers])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    # the termbase is reviewed like the lessons (a snippet's workflow is assigned by its content type)
    WorkflowContentType.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(Term), defaults={"workflow": workflow}
    )
    for page in index_pages:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
        for group, codenames in ((editors, EDITOR_PAGE_PERMISSIONS), (reviewers, REVIEWER_PAGE_PERMISSIONS)):
            for codename in codenames:
                permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
                GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    return workflow


# A learner's last visit is written at most once per this many seconds (a page view writes nothing else).
LAST_VISIT_WRITE_INTERVAL = 60


def last_visit_record(*, user, course_key, lesson_key) -> bool:
    """Remember the lesson a learner opened in a course ("continue where you left off"); True when written.

    Nothing is written when the lesson is the one already stored, and at most one write a minute per
    learner: a lesson opened sooner after the last write is kept in the cache only (``selectors.last_visits``
    reads it over the stored row) and written by the learner's next page view after the minute. A page view
    that changes nothing therefore makes no query here at all.
    """
    key = last_visit_cache_key(user_id=user.pk, course_key=course_key)
    lesson = str(lesson_key)
    known = cache.get(key)
    if known == (lesson, True):
        return False
    if known is None or known[0] != lesson:
        cache.set(key, (lesson, False), LAST_VISIT_TIMEOUT)
        learner_changed(user.pk)  # the dashboard's "next lesson" follows the last visit
    if not cache.add(f"courses:last-visit-written:{user.pk}", 1, LAST_VISIT_WRITE_INTERVAL):
        return False
    updated = LastVisit.objects.filter(user=user, course_key=course_key).update(lesson_key=lesson_key)
    if not updated:
        LastVisit.objects.get_or_create(user=user, course_key=course_key, defaults={"lesson_key": lesson_key})
    cache.set(key, (lesson, True), LAST_VISIT_TIMEOUT)
    return True
