"""On a phone (390×844), the lead trainer finds two namesakes in the roster picker by typing, ticks both
and adds them in one go; the page never scrolls sideways. Then the session form takes a fourth day with
"Add a day" (the script's copy of the empty row)."""

from datetime import time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from lms.cascade import services
from lms.cascade.models import CascadeSession, SessionParticipant
from lms.people.models import Agency, Profile, Region
from lms.trainers.models import CertificationProgramme
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.helpers import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}


def _namesake(username, agency, region):
    user = get_user_model().objects.create_user(
        username=username, password="unused-9-horse", first_name="Döwlet", last_name="Atayew"
    )
    Profile.objects.create(user=user, agency=agency, region=region, position="Prosecutor")
    return user


WIDER = """() => [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map((el) => el.tagName + '#' + el.id + '.' + el.className).slice(0, 8)"""


def _no_sideways_scroll(page):
    wide = page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert wide, page.evaluate(WIDER)
    return wide


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="tk-TM", viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_trainer_picks_two_namesakes_on_a_phone(trainer_server, phone, axe_check):
    server, page = trainer_server, phone
    trainer = get_user_model().objects.get(username="trainer")
    gpo, balkan = Agency.objects.get(code="GPO"), Region.objects.get(code="TM-B")
    first, second = _namesake("d.atayew", gpo, balkan), _namesake("d.atayew2", gpo, balkan)
    _namesake("mia.atayew", Agency.objects.exclude(pk=gpo.pk).first(), balkan)  # another agency: never offered
    soon = timezone.localdate() + timedelta(days=7)
    course_key = CertificationProgramme.objects.get(code="tot-cjs").course_key
    session = services.session_schedule(
        actor=trainer, title="Identifying victims", course_key=course_key,
        modules=[1], days=[services.Day(soon, time(9), time(13))], venue="Balkan", capacity=1, language="tk",
    )

    login(page, server, "trainer", "tk")
    page.goto(f"{server.url}/tk/training/sessions/{session.pk}/roster/")
    page.locator("#roster-q").press_sequentially("atay", delay=40)
    results = page.locator("#roster-results li")
    results.first.wait_for()
    page.wait_for_function("() => document.querySelectorAll('#roster-results li').length === 2")
    assert "2 adam tapyldy." in page.locator("#roster-status").inner_text()
    assert page.locator("#roster-results").inner_text().count("Döwlet Atayew") == 2
    assert "d.atayew2" in page.locator("#roster-results").inner_text()
    assert "mia.atayew" not in page.content()
    page.locator(f"#roster-results input[value='{first.pk}']").check()
    # the first choice stays ticked while the search changes
    page.fill("#roster-q", "atayew2")
    page.wait_for_function("() => document.querySelectorAll('#roster-results li').length === 1")
    assert page.locator(f"#roster-chosen input[value='{first.pk}']").is_checked()
    page.locator(f"#roster-results input[value='{second.pk}']").check()
    assert _no_sideways_scroll(page)
    axe_check(page, "the roster picker")
    page.screenshot(path=str(SCREENSHOTS / "60-roster-picker-390-tk.png"), full_page=True)
    box = page.locator(f"#roster-results input[value='{second.pk}'] + label").bounding_box()
    assert box["height"] >= 40  # a large touch target
    with page.expect_navigation():
        page.locator("#roster-add button[type=submit]").click()
    places = {place.user_id: place.status for place in SessionParticipant.objects.filter(session=session)}
    assert places == {first.pk: "enrolled", second.pk: "waitlisted"}
    assert "1 adam ýazyldy. 1 adam garaşýanlaryň sanawynda" in page.locator(".messages").inner_text()
    assert _no_sideways_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / "61-roster-added-390-tk.png"), full_page=True)

    # the session form, on the phone: three more days added by the script, then saved
    page.goto(f"{server.url}/tk/training/sessions/{session.pk}/edit/")
    assert page.locator("[data-day-row]").count() == 2
    for offset in (1, 2, 3):
        if offset > 1:
            page.locator("#add-day").click()
        index = offset
        page.fill(f"#id_days-{index}-date", (soon + timedelta(days=offset)).isoformat())
        page.fill(f"#id_days-{index}-starts", "09:00")
        page.fill(f"#id_days-{index}-ends", "13:00")
    assert page.locator("[data-day-row]").count() == 4
    assert _no_sideways_scroll(page)
    axe_check(page, "the session form")
    page.screenshot(path=str(SCREENSHOTS / "62-session-days-390-tk.png"), full_page=True)
    with page.expect_navigation():
        page.locator("#session-save").click()
    session = CascadeSession.objects.get(pk=session.pk)
    assert [day.date for day in session.days.all()] == [soon + timedelta(days=offset) for offset in range(4)]
