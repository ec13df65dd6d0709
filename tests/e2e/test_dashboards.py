"""Each role's dashboard in a real browser: what to do next, at 390 px (no horizontal scroll) and 1366 px,
with no Content-Security-Policy violation; screenshots in tests/e2e/screenshots/."""

import uuid
from datetime import time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from assessments.models import Assessment, Attempt
from courses.models import CourseCompletion, CoursePage, Enrolment
from lms.cascade import services
from lms.cascade.models import CascadeSession, SessionDay
from lms.cascade.services import Day
from lms.trainers.models import Certification, CertificationProgramme

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "tot-demo-2026"


@pytest.fixture
def dashboard_server(live_server):
    call_command("seed_demo", "--without-curriculum", verbosity=0)
    User = get_user_model()
    trainer, coordinator, trainee = (User.objects.get(username=name) for name in ("trainer", "coordinator", "trainee"))
    today = timezone.localdate()
    tot = CoursePage.objects.get(locale__language_code="en", slug="tot")
    refresher = CoursePage.objects.get(locale__language_code="en", slug="refresher")
    programme = CertificationProgramme.objects.create(
        code="tot-dash", name_en="Certified trainer: anti-trafficking", course_key=tot.translation_key, modules=[1, 2],
    )
    Certification.objects.create(
        user=trainer, programme=programme, status="certified", number="TOT-2026-014", code=uuid.uuid4().hex,
        certified_on=today - timedelta(days=700), valid_until=today + timedelta(days=40),
    )

    def now_minus(**delta):
        return timezone.now() - timedelta(**delta)

    def session(title, days_ahead, *, approve=True):
        made = services.session_schedule(
            actor=trainer, title=title, course_key=tot.translation_key, modules=[1],
            days=[Day(today + timedelta(days=days_ahead), time(9), time(13))],
            venue="Daşoguz welaýat prokuraturasy", capacity=20, language="tk",
        )
        if approve:
            services.session_submit(actor=trainer, session=made)
            services.session_approve(actor=coordinator, session=made)
        return made

    running = session("Adam söwdasynyň pidalaryny ýüze çykarmak", 1)
    SessionDay.objects.filter(session=running).update(date=today)
    services.participant_add(actor=trainer, session=running, user=trainee)
    upcoming = session("Pidalar bilen gepleşik geçirmek", 12)
    services.participant_add(actor=trainer, session=upcoming, user=trainee)
    ended = session("Pidalary jezalandyrmazlyk ýörelgesi", 2)
    SessionDay.objects.filter(session=ended).update(date=today - timedelta(days=6))
    CascadeSession.objects.filter(pk=ended.pk).update(
        state=CascadeSession.State.DELIVERED, starts_at=now_minus(days=6, hours=8), ends_at=now_minus(days=6, hours=4),
    )
    session("Kanunçylyk: Palermo teswirnamasy", 20, approve=False)
    services.session_submit(actor=trainer, session=session("Halkara hyzmatdaşlyk", 30, approve=False))
    now = timezone.now()
    pre = Assessment.objects.create(slug="dash-pre", title_en="Pre-test: module 1", title_tk="Giriş test: 1-nji modul",
                                    title_ru="Входной тест: модуль 1", purpose="pre", published=True)
    Assessment.objects.create(slug="dash-post", title_en="Post-test: module 1", title_tk="Jemleýji test: 1-nji modul",
                              title_ru="Итоговый тест: модуль 1", purpose="post", published=True,
                              opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=8))
    Attempt.objects.create(assessment=pre, user=trainee, state="graded", score=7, max_score=10, submitted_at=now,
                           language="tk")
    Enrolment.objects.create(user=trainee, course_key=tot.translation_key)
    Enrolment.objects.create(user=trainee, course_key=refresher.translation_key)
    CourseCompletion.objects.create(user=trainee, course_key=refresher.translation_key)
    return live_server


def _login(page, server, username, language):
    page.goto(f"{server.url}/{language}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()


@pytest.mark.parametrize(
    ("username", "language", "first_section"),
    [("trainee", "tk", "courses"), ("trainer", "tk", "sessions"), ("coordinator", "ru", "approvals"),
     ("manager", "en", "approvals")],
)
def test_each_role_sees_what_to_do_next_on_a_phone_and_a_desktop(
    dashboard_server, browser, username, language, first_section, axe_check
):
    from tests.e2e.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(locale=language, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    _login(page, dashboard_server, username, language)
    page.goto(f"{dashboard_server.url}/{language}/dashboard/")
    assert page.locator("[data-section]").first.get_attribute("data-section") == first_section
    assert page.locator("h1").count() == 1 and page.locator("section h2").count() >= 4
    axe_check(page, f"the {username}'s dashboard at 1366 px")
    page.screenshot(path=str(SCREENSHOTS / f"70-dashboard-{username}-1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(page, f"the {username}'s dashboard at 390 px")
    page.screenshot(path=str(SCREENSHOTS / f"70-dashboard-{username}-390.png"), full_page=True)
    if username == "trainer":
        sections = page.locator("[data-section]").evaluate_all("(nodes) => nodes.map((n) => n.dataset.section)")
        assert sections[:2] == ["sessions", "recent_sessions"]
        assert "Pidalary jezalandyrmazlyk" in page.locator("#section-recent_sessions").inner_text()
        assert "Pidalary jezalandyrmazlyk" not in page.locator("#section-sessions").inner_text()
    if username == "coordinator":
        with page.expect_navigation():
            page.locator("#section-approvals button[value=approve]").first.click()
        assert "/training/sessions/" in page.url
    context.close()
