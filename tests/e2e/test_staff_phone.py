"""The staff pages of trainers, coordinators and managers fit a phone: at 390 px (and at 1366 px) no page
scrolls sideways; a trainer takes a day's attendance on the phone with one tap per person."""

import uuid
from datetime import time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import CoursePage
from lms.cascade import services
from lms.cascade.models import Attendance
from lms.cascade.services import Day
from lms.trainers.models import Certification, CertificationProgramme, ToTCohort
from tests.e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "tot-demo-2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
# a long title and venue, as trainers write them: they must wrap by words, never one letter a line
TITLE = "Adam söwdasynyň pidalaryny ýüze çykarmak we olara kömek etmek boýunça sapak (Daşoguz, ikinji tapgyr)"
VENUE = "Daşoguz welaýat prokuraturasynyň okuw merkezi, mejlisler zaly"
ENROLLED = ["trainee", "gpo.amanowa", "gpo.berdiyew", "gpo.charyyewa"]


@pytest.fixture
def staff_server(live_server):
    call_command("seed_demo", "--without-curriculum", verbosity=0)
    User = get_user_model()
    today = timezone.localdate()
    tot = CoursePage.objects.get(locale__language_code="en", slug="tot")
    programme = CertificationProgramme.objects.create(
        code="tot-phone", name_en="Certified trainer: anti-trafficking", course_key=tot.translation_key,
        modules=[1, 2, 3, 4],
    )
    trainer = User.objects.get(username="trainer")
    cohort = ToTCohort.objects.create(
        code="tot-phone-1", title="Training of trainers, Daşoguz, spring intake (second group)", programme=programme,
        starts_on=today - timedelta(days=90), ends_on=today - timedelta(days=60), venue=VENUE, language="tk",
    )
    certification = Certification.objects.create(
        user=trainer, programme=programme, cohort=cohort, status="certified", number="TOT-PHONE-1", code=uuid.uuid4().hex,
        certified_on=today - timedelta(days=30), valid_until=today + timedelta(days=700),
    )
    session = services.session_schedule(
        actor=trainer, title=TITLE, course_key=programme.course_key, modules=[1, 2],
        days=[Day(today, time(9), time(17)), Day(today + timedelta(days=1), time(9), time(13))],
        venue=VENUE, capacity=12, language="tk",
    )
    services.session_submit(actor=trainer, session=session)
    services.session_approve(actor=User.objects.get(username="coordinator"), session=session)
    places = [
        services.participant_add(actor=trainer, session=session, user=User.objects.get(username=username))
        for username in ENROLLED
    ]
    live_server.extra_pages = _grading_paper_and_report(trainer, session, places, programme, today)
    return live_server, session, certification, places


def _grading_paper_and_report(trainer, session, places, programme, today):
    """An open answer of the session's participant to grade, a paper form to enter, and a delivered
    session whose report the trainer writes: the pages of those three jobs."""
    from assessments import services as assessment_services
    from assessments.models import Answer, Assessment, AssessmentItem, Question
    from lms.cascade.models import CascadeSession
    from tests.assessments.bank import bank_load

    bank_load()
    essay = Assessment.objects.create(slug="phone-essay", title_en="Written task", purpose="exam", published=True)
    rubric = Question.objects.get(key="m2-rubric", locale__language_code="en")
    AssessmentItem.objects.create(assessment=essay, question_key=rubric.translation_key)
    learner = places[0].user
    attempt = assessment_services.attempt_start(user=learner, assessment=essay, language="en")
    assessment_services.answer_save(
        user=learner, attempt_id=attempt.pk, position=1,
        response="The request names the central authority, the facts of the case and the assistance sought.",
    )
    assessment_services.attempt_submit(attempt_id=attempt.pk, user=learner)
    answer = Answer.objects.get(attempt=attempt)
    paper_test = Assessment.objects.create(slug="phone-paper", title_en="Pre-test on paper", purpose="pre", published=True)
    for position, key in enumerate(["m1-single", "m1-multiple", "m1-truefalse", "m1-short"], start=1):
        question = Question.objects.get(key=key, locale__language_code="en")
        AssessmentItem.objects.create(assessment=paper_test, question_key=question.translation_key, position=position)
    form = assessment_services.paper_form_create(assessment=paper_test, language="en", user=trainer)
    delivered = services.session_schedule(
        actor=trainer, title=TITLE + " — delivered", course_key=programme.course_key, modules=[3],
        days=[Day(today + timedelta(days=2), time(9), time(17))], venue=VENUE, capacity=12, language="tk",
    )
    CascadeSession.objects.filter(pk=delivered.pk).update(
        state=CascadeSession.State.DELIVERED, starts_at=timezone.now() - timedelta(days=2, hours=8),
        ends_at=timezone.now() - timedelta(days=2),
    )
    with translation.override("en"):
        return {
            "grade-answer": reverse("grading:grade_answer", args=[answer.pk]),
            "paper-enter": reverse("grading:paper_enter", args=[form.code]),
            "report-write": reverse("cascade:session_report", args=[delivered.pk]),
        }


def _login(context, server, username):
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{server.url}/en/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    return page


def _pages(session, certification):
    day = session.days.order_by("date").first()
    with translation.override("en"):
        return {
            "sessions": reverse("cascade:session_list"),
            "session-new": reverse("cascade:session_create"),
            "session-detail": reverse("cascade:session_detail", args=[session.pk]),
            "roster": reverse("cascade:session_roster", args=[session.pk]),
            "attendance": reverse("cascade:session_attendance", args=[session.pk, day.pk]),
            "report": reverse("cascade:session_report", args=[session.pk]),
            "session-tests": reverse("cascade:session_tests", args=[session.pk]),
            "approvals": reverse("cascade:approval_queue"),
            "calendar-month": reverse("cascade:calendar_month"),
            "calendar-week": reverse("cascade:calendar_week"),
            "grading": reverse("grading:grading_queue"),
            "paper": reverse("grading:paper_forms"),
            "ojt": reverse("ojt:ojt_dashboard"),
            "ojt-records": reverse("ojt:ojt_records"),
            "ojt-record-new": reverse("ojt:ojt_record_create"),
            "ojt-plan-new": reverse("ojt:ojt_plan_create"),
            "people": reverse("people:list"),
            "registry": reverse("trainers:registry"),
            "cohorts": reverse("trainers:cohort_list"),
            "candidate": reverse("trainers:certification_detail", args=[certification.pk]),
            "cohort": reverse("trainers:cohort_detail", args=[certification.cohort.code]),
        }


# the deepest elements that reach past the window's right edge (to say what to fix)
CULPRITS = """[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > window.innerWidth
  && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth))
  .slice(0, 4).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))"""


def _overflows(page, server, pages, viewport, axe_check=None):
    """Visit each page at ``viewport``; return the pages whose document is wider than the window. With
    ``axe_check``, each page must also pass axe-core (no critical or serious violation)."""
    page.set_viewport_size(viewport)
    wide = []
    for name, path in pages.items():
        response = page.goto(server.url + path)
        assert response.status < 500, (name, response.status)
        if axe_check is not None:
            axe_check(page, f"{name} ({path})")
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            wide.append((name, response.status, *widths, page.evaluate(CULPRITS)))
    return wide


@pytest.mark.parametrize("username", ["trainer", "coordinator", "manager"])
def test_no_staff_page_scrolls_sideways_on_a_phone_or_a_desktop(staff_server, browser, username, axe_check):
    server, session, certification, _places = staff_server
    context = browser.new_context(locale="en-GB", viewport=PHONE)
    try:
        page = _login(context, server, username)
        pages = {**_pages(session, certification), **server.extra_pages}
        assert _overflows(page, server, pages, PHONE, axe_check) == []
        assert _overflows(page, server, pages, DESKTOP) == []
        if username == "trainer":
            SCREENSHOTS.mkdir(exist_ok=True)
            page.set_viewport_size(PHONE)
            for name in ("session-detail", "calendar-month", "calendar-week", "roster", "sessions", "grade-answer",
                         "paper-enter", "report-write"):
                page.goto(server.url + pages[name])
                page.screenshot(path=str(SCREENSHOTS / f"70-phone-{name}.png"), full_page=True)
        if username == "manager":
            page.set_viewport_size(PHONE)
            for name in ("registry", "cohort", "candidate", "people"):
                page.goto(server.url + pages[name])
                page.screenshot(path=str(SCREENSHOTS / f"70-phone-{name}.png"), full_page=True)
    finally:
        context.close()


def test_a_trainer_takes_attendance_on_a_phone_with_one_tap_a_person(staff_server, browser):
    server, session, certification, places = staff_server
    context = browser.new_context(locale="en-GB", viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = _login(context, server, "trainer")
        page.goto(server.url + _pages(session, certification)["attendance"])
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        # every choice is a visible, labelled button at least 44 px high
        for label in page.locator(".segmented__label").all():
            box = label.bounding_box()
            assert box["height"] >= 44 and box["width"] >= 44 and label.inner_text().strip()
        # the save button stays in reach: it is on the screen before any scrolling
        button = page.locator("#attendance button[type=submit]")
        box = button.bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]
        marks = dict(zip((place.pk for place in places), ["present", "late", "excused", "absent"]))
        for pk, status in marks.items():
            row = page.locator(f"#attendance [data-participant='{pk}']")
            row.get_by_text(dict(present="Present", late="Late", excused="Excused", absent="Absent")[status],
                            exact=True).tap()
        page.screenshot(path=str(SCREENSHOTS / "70-phone-attendance.png"), full_page=False)
        with page.expect_navigation():
            button.tap()
        stored = dict(Attendance.objects.filter(participant__session=session).values_list("participant", "status"))
        assert stored == marks
        for pk, status in marks.items():
            assert page.locator(f"input[name=status-{pk}][value={status}]").is_checked()
    finally:
        context.close()
