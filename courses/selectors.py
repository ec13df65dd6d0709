"""Reads of the course tree: navigation per language (cached), outlines with progress, lesson context.

Navigation is built from the English (source) tree, with each page replaced by its live translation in
the requested language where there is one; where there is none the source page is used and marked as a
fallback, and its URL stays under the requested language's prefix (see ``HomePage.route``).
"""

from dataclasses import dataclass, field
from uuid import UUID

from django.core.cache import cache
from django.utils import translation
from wagtail.models import Page

from content.blocks import knowledge_check_required

from .activities import h5p_players, scorm_players
from .models import (
    CourseCompletion,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    HomePage,
    LastVisit,
    LessonPage,
    LessonProgress,
    ModuleLessonLink,
    ModulePage,
)

SOURCE_LANGUAGE = "en"
NAV_VERSION_KEY = "courses:nav-version"
NAV_TIMEOUT = 60 * 60 * 24


@dataclass
class NavLesson:
    key: UUID
    page_id: int
    title: str
    url: str
    fallback: bool
    minutes: int
    reused: bool = False


@dataclass
class NavModule:
    key: UUID
    page_id: int
    number: int
    title: str
    url: str
    fallback: bool
    minutes: int
    lessons: list[NavLesson] = field(default_factory=list)


@dataclass
class CourseNav:
    key: UUID
    title: str
    url: str
    modules: list[NavModule]

    @property
    def lessons(self) -> list[NavLesson]:
        return [lesson for module in self.modules for lesson in module.lessons]

    @property
    def lesson_keys(self) -> list[UUID]:
        return [lesson.key for lesson in self.lessons]


def nav_version() -> int:
    return cache.get_or_set(NAV_VERSION_KEY, 1, None)


def nav_invalidate() -> None:
    """Forget every cached navigation (called when a course page is published, moved or removed)."""
    try:
        cache.incr(NAV_VERSION_KEY)
    except ValueError:
        cache.set(NAV_VERSION_KEY, 2, None)


def _localized_url(page: Page, language: str, home_paths: dict[int, str]) -> str:
    """Return the page's URL under ``/<language>/`` (also for a source page shown as fallback)."""
    root_path = home_paths.get(page.locale_id)
    if root_path and page.url_path.startswith(root_path):
        return f"/{language}/{page.url_path[len(root_path):]}"
    return page.url or "#"


def _home_paths() -> dict[int, str]:
    return dict(HomePage.objects.values_list("locale_id", "url_path"))


def course_nav(*, course_key: UUID, language: str | None = None) -> CourseNav | None:
    """Return the navigation of a course in a language, from the cache when it is there."""
    language = language or translation.get_language() or SOURCE_LANGUAGE
    cache_key = f"courses:nav:{nav_version()}:{course_key}:{language}"
    nav = cache.get(cache_key)
    if nav is None:
        nav = _build_course_nav(course_key=course_key, language=language)
        cache.set(cache_key, nav, NAV_TIMEOUT)
    return nav


def _build_course_nav(*, course_key: UUID, language: str) -> CourseNav | None:
    source = CoursePage.objects.filter(translation_key=course_key, locale__language_code=SOURCE_LANGUAGE).first()
    if source is None:
        return None
    modules = list(ModulePage.objects.child_of(source).live().order_by("path"))
    lessons = list(LessonPage.objects.descendant_of(source).live().order_by("path"))
    links = list(
        ModuleLessonLink.objects.filter(module__in=modules)
        .select_related("lesson")
        .order_by("sort_order")
    )
    reused = [link.lesson for link in links if link.lesson.live]
    keys = {source.translation_key} | {page.translation_key for page in modules + lessons + reused}
    translated = {
        page.translation_key: page.specific
        for page in Page.objects.filter(
            translation_key__in=keys, locale__language_code=language, live=True
        ).specific()
    }
    home_paths = _home_paths()

    def pick(page):
        local = translated.get(page.translation_key)
        chosen = local or page
        return chosen, local is None and language != SOURCE_LANGUAGE

    course_page, _fallback = pick(source)
    nav = CourseNav(key=course_key, title=course_page.title, url=_localized_url(course_page, language, home_paths), modules=[])
    by_parent: dict[str, list[LessonPage]] = {}
    for lesson in lessons:
        by_parent.setdefault(lesson.path[: -LessonPage.steplen], []).append(lesson)
    links_by_module: dict[int, list[LessonPage]] = {}
    for link in links:
        if link.lesson.live:
            links_by_module.setdefault(link.module_id, []).append(link.lesson)
    for module in modules:
        chosen, fallback = pick(module)
        nav_module = NavModule(
            key=module.translation_key,
            page_id=chosen.pk,
            number=module.number,
            title=chosen.title,
            url=_localized_url(chosen, language, home_paths),
            fallback=fallback,
            minutes=module.estimated_minutes,
        )
        for lesson, is_reused in [(page, False) for page in by_parent.get(module.path, [])] + [
            (page, True) for page in links_by_module.get(module.pk, [])
        ]:
            chosen_lesson, lesson_fallback = pick(lesson)
            nav_module.lessons.append(
                NavLesson(
                    key=lesson.translation_key,
                    page_id=chosen_lesson.pk,
                    title=chosen_lesson.title,
                    url=_localized_url(chosen_lesson, language, home_paths),
                    fallback=lesson_fallback,
                    minutes=lesson.estimated_minutes,
                    reused=is_reused,
                )
            )
        nav.modules.append(nav_module)
    return nav


def course_key_for_path(path: str):
    """Return the translation key of the page at a tree path (cached until the tree changes)."""
    cache_key = f"courses:key-at:{nav_version()}:{path}"
    key = cache.get(cache_key)
    if key is None:
        key = Page.objects.filter(path=path).values_list("translation_key", flat=True).first()
        cache.set(cache_key, key, NAV_TIMEOUT)
    return key


def translation_urls(*, page: Page, request) -> dict[str, str]:
    """Return the URL of each live translation of a page by language (cached until the tree changes)."""
    cache_key = f"courses:translations:{nav_version()}:{page.translation_key}"
    urls = cache.get(cache_key)
    if urls is None:
        urls = {}
        for translated in page.get_translations(inclusive=True).live().select_related("locale"):
            url = translated.get_url(request)
            if url:
                urls[translated.locale.language_code] = url
        cache.set(cache_key, urls, NAV_TIMEOUT)
    return urls


def completed_lesson_keys(*, user, lesson_keys) -> set[UUID]:
    if not user.is_authenticated:
        return set()
    return set(
        LessonProgress.objects.filter(user=user, lesson_key__in=list(lesson_keys)).values_list("lesson_key", flat=True)
    )


def percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0


@dataclass
class ModuleProgress:
    module: NavModule
    done: int
    total: int
    completed_keys: set

    @property
    def percent(self) -> int:
        return percent(self.done, self.total)


@dataclass
class CourseOutline:
    nav: CourseNav
    modules: list[ModuleProgress]
    enrolled: bool
    completed_at: object = None
    continue_url: str = ""

    @property
    def done(self) -> int:
        return sum(module.done for module in self.modules)

    @property
    def total(self) -> int:
        return sum(module.total for module in self.modules)

    @property
    def percent(self) -> int:
        return percent(self.done, self.total)


LAST_VISIT_TIMEOUT = 60 * 60 * 24 * 30


def last_visit_cache_key(*, user_id, course_key) -> str:
    return f"courses:last-visit:{user_id}:{course_key}"


def last_visits(*, user, course_keys) -> dict:
    """The lesson (translation key) each course was last opened at, by course key: the stored rows, and
    over them the cache's newer value where a visit was not written yet (``services.last_visit_record``
    writes at most once a minute per learner)."""
    keys = list(course_keys)
    if not keys:
        return {}
    stored = dict(LastVisit.objects.filter(user=user, course_key__in=keys).values_list("course_key", "lesson_key"))
    cached = cache.get_many([last_visit_cache_key(user_id=user.pk, course_key=key) for key in keys])
    for key in keys:
        value = cached.get(last_visit_cache_key(user_id=user.pk, course_key=key))
        if value is not None:
            stored[key] = UUID(value[0])
    return stored


def course_outline(*, course: CoursePage, user) -> CourseOutline | None:
    nav = course_nav(course_key=course.translation_key)
    if nav is None:
        return None
    completed = completed_lesson_keys(user=user, lesson_keys=nav.lesson_keys)
    modules = []
    for module in nav.modules:
        keys = {lesson.key for lesson in module.lessons}
        modules.append(ModuleProgress(module=module, done=len(keys & completed), total=len(keys), completed_keys=completed))
    enrolled = False
    completed_at = None
    continue_url = ""
    if user.is_authenticated:
        enrolled = Enrolment.objects.filter(user=user, course_key=nav.key).exists()
        completion = CourseCompletion.objects.filter(user=user, course_key=nav.key).first()
        completed_at = completion.completed_at if completion else None
        continue_url = _continue_url(nav=nav, user=user, completed=completed)
    return CourseOutline(nav=nav, modules=modules, enrolled=enrolled, completed_at=completed_at, continue_url=continue_url)


def _continue_url(*, nav: CourseNav, user, completed: set) -> str:
    last = last_visits(user=user, course_keys=[nav.key]).get(nav.key)
    lessons = nav.lessons
    if last is not None:
        for lesson in lessons:
            if lesson.key == last:
                return lesson.url
    for lesson in lessons:
        if lesson.key not in completed:
            return lesson.url
    return lessons[0].url if lessons else nav.url


def module_outline(*, module: ModulePage, user) -> dict:
    course = module.get_parent().specific
    nav = course_nav(course_key=course.translation_key)
    nav_module = next((item for item in nav.modules if item.key == module.translation_key), None) if nav else None
    lessons = nav_module.lessons if nav_module else []
    completed = completed_lesson_keys(user=user, lesson_keys=[lesson.key for lesson in lessons])
    done = sum(1 for lesson in lessons if lesson.key in completed)
    return {
        "nav": nav,
        "module": nav_module,
        "lessons": lessons,
        "completed": completed,
        "done": done,
        "total": len(lessons),
        "percent": percent(done, len(lessons)),
    }


def lesson_context(*, lesson: LessonPage, request) -> dict:
    """Everything a lesson page shows around its body, in a constant number of queries."""
    user = request.user
    module_path = lesson.path[: -LessonPage.steplen]
    course_path = module_path[: -LessonPage.steplen]
    course_key = course_key_for_path(course_path)
    nav = course_nav(course_key=course_key) if course_key else None
    lessons = nav.lessons if nav else []
    position = next((index for index, item in enumerate(lessons) if item.key == lesson.translation_key), None)
    previous_lesson = lessons[position - 1] if position else None
    next_lesson = lessons[position + 1] if position is not None and position + 1 < len(lessons) else None
    completed = completed_lesson_keys(user=user, lesson_keys=[item.key for item in lessons])
    module = None
    if nav:
        module = next((item for item in nav.modules if any(entry.key == lesson.translation_key for entry in item.lessons)), None)
    can_see_notes = user.is_authenticated and (
        user.has_perm("courses.view_trainer_notes") or getattr(request, "is_preview", False)
    )
    done = sum(1 for key in (nav.lesson_keys if nav else []) if key in completed)
    is_preview = getattr(request, "is_preview", False)
    segments = lesson_body_segments(lesson=lesson)
    return {
        "h5p": h5p_players(lesson=lesson, user=user),
        "scorm": scorm_players(lesson=lesson, user=user),
        # The rendered body is cached per live revision, language and trainer-notes visibility under
        # the content version (bumped on every publish and provision/media change); previews never.
        "body_cache_timeout": 0 if is_preview else NAV_TIMEOUT,
        "body_cache_key": (
            f"{nav_version()}:{lesson.pk}:{lesson.live_revision_id}:{translation.get_language()}"
            f":{int(can_see_notes)}:{int(is_preview)}"
        ),
        "body_segments": segments,
        "has_knowledge_check": any(segment.per_learner for segment in segments),
        "completing_check": lesson_completed_by_check(lesson=lesson),
        "nav": nav,
        "nav_module": module,
        "previous_lesson": previous_lesson,
        "next_lesson": next_lesson,
        "is_done": lesson.translation_key in completed,
        "completed": completed,
        "course_done": done,
        "course_total": len(lessons),
        "course_percent": percent(done, len(lessons)),
        "can_see_trainer_notes": can_see_notes,
        "language_fallback": getattr(request, "lms_language_fallback", False),
    }


def course_cards(*, index_page, user) -> list[dict]:
    """The live courses under an index page, in the active language, with the learner's progress."""
    language = translation.get_language() or SOURCE_LANGUAGE
    courses = list(CoursePage.objects.child_of(index_page).live().order_by("path"))
    cards = []
    for course in courses:
        nav = course_nav(course_key=course.translation_key, language=language)
        cards.append({"course": course, "nav": nav})
    if user.is_authenticated:
        keys = [card["course"].translation_key for card in cards]
        enrolled = set(Enrolment.objects.filter(user=user, course_key__in=keys).values_list("course_key", flat=True))
        all_lessons = [key for card in cards if card["nav"] for key in card["nav"].lesson_keys]
        completed = completed_lesson_keys(user=user, lesson_keys=all_lessons)
        for card in cards:
            card["enrolled"] = card["course"].translation_key in enrolled
            lesson_keys = card["nav"].lesson_keys if card["nav"] else []
            card["percent"] = percent(sum(1 for key in lesson_keys if key in completed), len(lesson_keys))
    return cards


def _next_lesson(*, nav: CourseNav, completed: set, last) -> NavLesson | None:
    """The lesson to go on with: the last one visited while it is unfinished, else the first unfinished one
    after it, else the first unfinished one; ``None`` when every lesson is done."""
    lessons = nav.lessons
    start = 0
    for index, lesson in enumerate(lessons):
        if lesson.key == last:
            if lesson.key not in completed:
                return lesson
            start = index + 1
            break
    for lesson in [*lessons[start:], *lessons[:start]]:
        if lesson.key not in completed:
            return lesson
    return None


def enrolled_courses(*, user, language: str | None = None) -> list[dict]:
    """The learner's courses with progress and where to continue (for the dashboard), in four queries
    whatever the number of courses (the navigation comes from the cache).

    A completed course (a ``CourseCompletion``) has ``completed_at`` and no ``continue_url``; an unfinished
    one has the next unfinished lesson (``next_lesson``) and its ``continue_url``.
    """
    if not user.is_authenticated:
        return []
    keys = list(Enrolment.objects.filter(user=user).order_by("enrolled_at").values_list("course_key", flat=True))
    navs = [nav for nav in (course_nav(course_key=key, language=language) for key in keys) if nav is not None]
    if not navs:
        return []
    completed = completed_lesson_keys(user=user, lesson_keys=[key for nav in navs for key in nav.lesson_keys])
    finished = dict(
        CourseCompletion.objects.filter(user=user, course_key__in=keys).values_list("course_key", "completed_at")
    )
    last = last_visits(user=user, course_keys=keys)
    result = []
    for nav in navs:
        done = completed & set(nav.lesson_keys)
        completed_at = finished.get(nav.key)
        next_lesson = None if completed_at else _next_lesson(nav=nav, completed=done, last=last.get(nav.key))
        result.append(
            {
                "nav": nav,
                "percent": percent(len(done), len(nav.lesson_keys)),
                "completed": completed_at is not None,
                "completed_at": completed_at,
                "next_lesson": next_lesson,
                # every lesson done but the course not completed yet (a final test, say): the course page
                "continue_url": "" if completed_at else (next_lesson.url if next_lesson else nav.url),
            }
        )
    return result


def course_catalogue_url(language: str | None = None) -> str:
    """Return the URL of the course index in a language (cached until the tree changes)."""
    language = language or translation.get_language() or SOURCE_LANGUAGE
    cache_key = f"courses:catalogue:{nav_version()}:{language}"
    url = cache.get(cache_key)
    if url is None:
        index = CourseIndexPage.objects.filter(
            locale__language_code__in=[language, SOURCE_LANGUAGE]
        ).live().select_related("locale")
        pages = {page.locale_id: page for page in index}
        home_paths = _home_paths()
        chosen = next(
            (page for page in pages.values() if page.locale.language_code == language), None
        ) or next(iter(pages.values()), None)
        url = _localized_url(chosen, language, home_paths) if chosen else ""
        cache.set(cache_key, url, NAV_TIMEOUT)
    return url


class BodySegment:
    """Consecutive blocks of a lesson body, rendered together.

    Blocks that look the same for every learner share one cache entry; a knowledge check (``per_learner``)
    shows the learner's own answers and a form with their CSRF token, so it is rendered on every request.
    A block is converted from its stored JSON only when the segment is iterated (on a cache miss).
    """

    def __init__(self, body, start: int, stop: int, per_learner: bool):
        self.body, self.start, self.stop, self.per_learner = body, start, stop, per_learner

    def __iter__(self):
        return (self.body[index] for index in range(self.start, self.stop))


PER_LEARNER_BLOCKS = {"knowledge_check"}


def lesson_body_segments(*, lesson: LessonPage) -> list[BodySegment]:
    """The lesson body cut into shared runs of blocks and per-learner blocks, from the stored JSON alone."""
    segments = []
    start = 0
    raw = list(lesson.body.raw_data)
    for index, item in enumerate(raw):
        if isinstance(item, dict) and item.get("type") in PER_LEARNER_BLOCKS:
            if start < index:
                segments.append(BodySegment(lesson.body, start, index, per_learner=False))
            segments.append(BodySegment(lesson.body, index, index + 1, per_learner=True))
            start = index + 1
    if start < len(raw):
        segments.append(BodySegment(lesson.body, start, len(raw), per_learner=False))
    return segments


def lesson_completed_by_check(*, lesson: LessonPage) -> str | None:
    """The id of the first knowledge check that completes this lesson (so no "Mark as done"), or None."""
    for item in lesson.body.raw_data:
        if isinstance(item, dict) and item.get("type") == "knowledge_check" and knowledge_check_required(item.get("value")):
            return item.get("id") or ""
    return None


def lesson_for_viewer(*, user, lesson_id: int) -> LessonPage | None:
    """The live lesson ``lesson_id`` if ``user`` may open it (login and group restrictions), else None.

    A password-protected lesson is never open to posts: a password is given per session, not per user.
    """
    from wagtail.models import PageViewRestriction

    # not at the top: a real cycle, routing imports selectors (NAV_TIMEOUT, nav_version) at its top
    from .routing import view_restrictions_for

    if not isinstance(lesson_id, int) or not 0 < lesson_id < 2**31:  # page ids are 32-bit: no query can find more
        return None
    lesson = LessonPage.objects.live().filter(pk=lesson_id).select_related("locale").first()
    if lesson is None:
        return None
    restrictions = view_restrictions_for(lesson)
    if restrictions is None:
        restrictions = lesson.get_view_restrictions()
    for restriction in restrictions:
        if restriction.restriction_type == PageViewRestriction.LOGIN and not user.is_authenticated:
            return None
        if restriction.restriction_type == PageViewRestriction.GROUPS:
            if not user.is_superuser and not restriction.groups.filter(pk__in=user.groups.all()).exists():
                return None
        if restriction.restriction_type == PageViewRestriction.PASSWORD:
            return None
    return lesson
