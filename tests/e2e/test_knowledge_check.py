"""A trainee answers a lesson's knowledge check in a real browser: on a phone with JavaScript, and on a
desktop without it (a plain form POST and redirect); the feedback shows and the lesson is completed."""

import pytest
from django.core.management import call_command

from courses.models import LessonPage, LessonProgress
from tests.assessments.bank import bank_load
from tests.assessments.helpers import set_check

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCREENSHOTS = "tests/e2e/screenshots"


@pytest.fixture
def check_server(live_server):
    call_command("seed_demo", "--without-curriculum", verbosity=0)
    bank_load()
    lesson = LessonPage.objects.get(slug="definitions-one", locale__language_code="en")
    for page in lesson.get_translations(inclusive=True):
        set_check(page.specific, questions=["m1-single", "m1-multiple", "m1-truefalse", "m2-matching", "m2-ordering"])
    return live_server


def login(page, server, language):
    page.goto(f"{server.url}/{language}/accounts/login/")
    page.fill("#id_username", "trainee")
    page.fill("#id_password", "tot-demo-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**/{language}/dashboard/")


def lesson_url(language):
    lesson = LessonPage.objects.get(slug="definitions-one", locale__language_code=language)
    return lesson.url


def answer(page):
    check = page.locator("[data-knowledge-check]")
    check.locator("input[name=q1][value=a]").check()  # wrong
    check.locator("input[name=q2][value=a]").check()
    check.locator("input[name=q2][value=c]").check()
    check.locator("input[name=q3][value=false]").check()
    check.locator("select[name=q4-1]").select_option("x")
    check.locator("select[name=q4-2]").select_option("y")
    for key, place in (("k1", "1"), ("k2", "2"), ("k3", "3")):
        check.locator(f"select[name=q5-{key}]").select_option(place)
    return check


def test_check_on_a_phone_with_javascript(check_server, browser, axe_check):
    context = browser.new_context(locale="ru-RU", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, check_server, "ru")
    page.goto(check_server.url + lesson_url("ru"))
    check = page.locator("[data-knowledge-check]")
    assert "ru prompt of m1-single" in check.inner_text()
    assert page.locator("[data-action=mark-done]").count() == 0
    # nothing overflows the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    answer(page)
    check.locator("button[type=submit]").click()
    page.locator(".knowledge-check__summary .notice").wait_for()
    # answered in place: the page did not navigate, the summary has the focus
    assert page.evaluate("document.activeElement.classList.contains('knowledge-check__summary')")
    assert page.locator(".check-feedback--wrong").count() == 1
    assert page.locator(".check-feedback--right").count() == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    check = page.locator("[data-knowledge-check]")
    check.scroll_into_view_if_needed()
    axe_check(page, "a lesson with its knowledge check")
    page.screenshot(path=f"{SCREENSHOTS}/knowledge-check-390.png", full_page=True)
    assert LessonProgress.objects.filter(user__username="trainee", source="activity").exists()
    context.close()


def test_check_on_a_desktop_without_javascript(check_server, browser):
    context = browser.new_context(locale="tk-TM", viewport={"width": 1366, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, check_server, "tk")
    page.goto(check_server.url + lesson_url("tk"))
    answer(page)
    with page.expect_navigation():
        page.locator("[data-knowledge-check] button[type=submit]").click()
    assert page.url.endswith("-result")
    assert page.locator(".check-feedback--right").count() == 4
    assert "tk prompt of m1-single" in page.locator("[data-knowledge-check]").inner_text()
    page.screenshot(path=f"{SCREENSHOTS}/knowledge-check-1366.png", full_page=True)
    context.close()
