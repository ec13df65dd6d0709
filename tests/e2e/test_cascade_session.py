"""A certified trainer schedules a cascade session for today (in Turkmen) and submits it; the agency's
coordinator approves it from the approval queue (in Russian); the trainer enrols a participant and takes
the day's attendance."""


import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from lms.cascade.models import Attendance, CascadeSession, SessionParticipant
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.helpers import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Adam söwdasynyň pidalaryny ýüze çykarmak"


def test_a_session_is_scheduled_approved_and_its_attendance_taken(trainer_server, browser, page, screenshot):
    server = trainer_server
    today = timezone.localdate()
    User = get_user_model()

    # the trainer, in Turkmen, schedules a one-day session for today
    login(page, server, "trainer", "tk")
    page.goto(f"{server.url}/tk/training/sessions/")
    with page.expect_navigation():
        page.locator("#schedule-session").click()
    page.fill("#id_title", TITLE)
    page.locator("input[name=modules][value='1']").check()
    page.fill("#id_days-0-date", today.isoformat())
    page.fill("#id_days-0-starts", "09:00")
    page.fill("#id_days-0-ends", "17:00")
    page.fill("#id_venue", "Daşoguz welaýat prokuraturasy")
    page.fill("#id_capacity", "15")
    screenshot("50-session-form-tk")
    with page.expect_navigation():
        page.locator("#session-save").click()
    session = CascadeSession.objects.get(title=TITLE)
    assert (session.state, session.language, session.modules) == ("draft", "tk", [1])
    assert session.lead_trainer.username == "trainer" and session.agency.code == "GPO"
    assert page.locator("[data-state]").first.get_attribute("data-state") == "draft"
    with page.expect_navigation():
        page.locator("#session-actions button[value=submit]").click()
    session.refresh_from_db()
    assert session.state == "submitted"
    screenshot("51-session-submitted-tk")

    # the GPO coordinator, in Russian, in a browser of their own, approves it from the queue
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    coordinator = context.new_page()
    coordinator.set_default_timeout(15_000)
    try:
        login(coordinator, server, "coordinator", "ru")
        coordinator.goto(f"{server.url}/ru/training/approvals/")
        coordinator.screenshot(path=str(SCREENSHOTS / "52-approval-queue-ru.png"), full_page=True)
        with coordinator.expect_navigation():
            coordinator.locator(f"#approval-queue [data-session='{session.pk}'] a").click()
        with coordinator.expect_navigation():
            coordinator.locator("#session-actions button[value=approve]").click()
        session.refresh_from_db()
        assert session.state == "approved"
        assert coordinator.locator("[data-state]").first.get_attribute("data-state") == "approved"
        coordinator.screenshot(path=str(SCREENSHOTS / "53-session-approved-ru.png"), full_page=True)
    finally:
        context.close()

    # the trainer enrols the demo trainee and takes today's attendance
    trainee = User.objects.get(username="trainee")
    page.goto(f"{server.url}/tk/training/sessions/{session.pk}/")
    with page.expect_navigation():
        page.locator("#open-roster").click()
    page.fill("#roster-q", trainee.last_name or trainee.username)
    page.locator(f"#roster-results input[value='{trainee.pk}']").check()
    with page.expect_navigation():
        page.locator("#roster-add button[type=submit]").click()
    place = SessionParticipant.objects.get(session=session)
    assert (place.user, place.status) == (trainee, "enrolled")
    assert page.locator("#enrolled [data-user=trainee]").count() == 1
    screenshot("54-session-roster-tk")

    page.goto(f"{server.url}/tk/training/sessions/{session.pk}/")
    with page.expect_navigation():
        page.locator("#session-days a").first.click()
    page.locator(f"input[name=status-{place.pk}][value=present]").check()
    with page.expect_navigation():
        page.locator("#attendance button[type=submit]").click()
    mark = Attendance.objects.get(participant=place)
    assert (mark.participant, mark.day.date, mark.status) == (place, today, "present")
    assert page.locator(f"input[name=status-{place.pk}][value=present]").is_checked()
    screenshot("55-session-attendance-tk")
    page.goto(f"{server.url}/tk/training/sessions/")
    assert page.locator(f"#sessions [data-session='{session.pk}'] [data-state]").get_attribute("data-state") == "approved"
    screenshot("56-session-list-tk")
