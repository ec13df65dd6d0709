"""The trainer kit of a cascade session: one PDF, in the session's language, to run the session from.

A cover with the session's facts, the agenda by day, an outline of every module covered (its lessons,
objectives and the curriculum's trainer notes), an attendance sheet per day and, when the session tests
on paper, its paper test forms. The trainer prints it before a session held where there is no network.

The kit is rendered by WeasyPrint with the Noto Sans files the app ships (``assessments.paper``), so
Russian and Turkmen letters print without system fonts or network. Each paper form is rendered as its
own document, in the form's language, and its pages are appended to the kit's: no PDF library needed.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from assessments import paper
from courses.models import LessonPage, ModulePage
from courses.selectors import course_nav
from lms.people.names import display_name

from .models import CascadeSession, SessionParticipant

# rows left empty on each day's attendance sheet for people who come without being on the roster
MIN_EMPTY_ROWS = 3
MAX_EMPTY_ROWS = 10


@dataclass
class LessonOutline:
    title: str
    summary: str
    fallback: bool  # no translation in the session's language: the source language is printed
    notes: list[dict] = field(default_factory=list)


@dataclass
class ModuleOutline:
    number: int
    title: str
    objectives: list[str] = field(default_factory=list)
    lessons: list[LessonOutline] = field(default_factory=list)
    minutes: int = 0


def agenda(days: list, modules: list) -> list[tuple]:
    """Spread the modules over the days in order, as evenly as the count allows.

    ``[(day, [module, …]), …]``: earlier days take one module more when the modules do not divide
    evenly; with more days than modules the last days have none (review, practice, tests).
    """
    if not days:
        return []
    share, extra = divmod(len(modules), len(days))
    plan, start = [], 0
    for index, day in enumerate(days):
        end = start + share + (1 if index < extra else 0)
        plan.append((day, modules[start:end]))
        start = end
    return plan


def lesson_trainer_notes(lesson: LessonPage) -> list[dict]:
    """The trainer notes of a lesson in the order of its body: notes blocks and case-study notes.

    Only those two block types are converted (``StreamValue`` converts per type on first access), so
    the provisions, documents and H5P packages other blocks refer to are not looked up. A case study's
    notes are ``SafeRichText``: printing them sanitises them as the lesson page does.
    """
    notes = []
    body = lesson.body
    for index, raw in enumerate(body.raw_data):
        kind = raw.get("type")
        if kind == "trainer_notes":
            notes.append({"kind": "steps", "value": body[index].value})
        elif kind == "case_study" and (raw.get("value") or {}).get("trainer_notes"):
            value = body[index].value
            notes.append({"kind": "case", "title": value["title"], "html": value["trainer_notes"]})
    return notes


def module_outlines(*, session: CascadeSession, language: str) -> tuple[str, list[ModuleOutline]]:
    """The course title and an outline of each module the session covers, in ``language``.

    Titles come from the course navigation (the page in ``language``, else the source page); the
    module and lesson pages are read in two queries for objectives and trainer notes.
    """
    nav = course_nav(course_key=session.course_key, language=language)
    by_number = {module.number: module for module in nav.modules} if nav else {}
    covered = [(number, by_number.get(number)) for number in session.modules]
    module_pages = ModulePage.objects.in_bulk([module.page_id for _n, module in covered if module])
    lesson_pages = LessonPage.objects.in_bulk(
        [lesson.page_id for _n, module in covered if module for lesson in module.lessons]
    )
    outlines = []
    for number, module in covered:
        if module is None:
            outlines.append(ModuleOutline(number=number, title=""))
            continue
        page = module_pages.get(module.page_id)
        outline = ModuleOutline(
            number=number, title=module.title, objectives=page.objective_list if page else [], minutes=module.minutes
        )
        for lesson in module.lessons:
            lesson_page = lesson_pages.get(lesson.page_id)
            outline.lessons.append(
                LessonOutline(
                    title=lesson.title,
                    summary=lesson_page.summary if lesson_page else "",
                    fallback=lesson.fallback,
                    notes=lesson_trainer_notes(lesson_page) if lesson_page else [],
                )
            )
        outlines.append(outline)
    return (nav.title if nav else ""), outlines


def _attendance_rows(session: CascadeSession) -> tuple[list[dict], int]:
    """The enrolled participants (name, position, unit) by name, and how many empty rows to add."""
    places = (
        session.participants.filter(status=SessionParticipant.Status.ENROLLED)
        .select_related("user__profile__unit")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    rows = []
    for place in places:
        profile = getattr(place.user, "profile", None)
        rows.append(
            {
                "name": display_name(place.user),
                "position": profile.position if profile else "",
                "unit": str(profile.unit) if profile and profile.unit else "",
            }
        )
    empty = min(max(session.capacity - len(rows), MIN_EMPTY_ROWS), MAX_EMPTY_ROWS)
    return rows, empty


def kit_context(*, session: CascadeSession, base_url: str) -> dict:
    """What the kit prints; call it with the session's language active."""
    language = session.language
    course_title, outlines = module_outlines(session=session, language=language)
    days = list(session.days.all())
    participants, empty_rows = _attendance_rows(session)
    forms = []
    if session.test_mode == CascadeSession.TestMode.PAPER:
        forms = list(session.paper_forms.select_related("assessment").order_by("created_at", "pk"))
    return {
        "session": session,
        "language": language,
        "course_title": course_title,
        "modules": outlines,
        "days": days,
        "agenda": agenda(days, outlines),
        "co_trainers": list(session.co_trainers.order_by("last_name", "first_name", "username")),
        "participants": participants,
        "empty_rows": range(empty_rows),
        "paper_mode": session.test_mode == CascadeSession.TestMode.PAPER,
        "paper_forms": forms,
        # where the paper forms of the session are made (named when the session has none yet)
        "tests_url": f"{base_url.rstrip('/')}{reverse('cascade:session_tests', args=[session.pk])}",
        "fonts": paper.font_faces(),
        "font_family": paper.FONT_FAMILY,
    }


def session_kit_pdf(*, session: CascadeSession, base_url: str) -> bytes:
    """Render the session's trainer kit as one PDF, in the session's language.

    Pass a session read with ``agency``, ``unit``, ``region`` and ``lead_trainer`` (as
    ``selectors.session_list`` reads it); the rest is read here in a bounded number of queries.
    """
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()  # one for every part, so the combined pages share their fonts
    with translation.override(session.language):
        context = kit_context(session=session, base_url=base_url)
        html = render_to_string("cascade/kit.html", context)
    documents = [HTML(string=html, base_url=str(paper.FONT_DIR)).render(font_config=font_config)]
    documents += [paper.paper_form_document(form, font_config=font_config) for form in context["paper_forms"]]
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
