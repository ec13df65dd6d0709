"""A trainee reads two lessons in Turkmen, marks them done and sees the course progress bar move."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def course_server(live_server):
    # the small curriculum of tests/conftest.py is already there; add the demo accounts
    call_command("seed_demo", "--without-curriculum", verbosity=0)
    return live_server


def progress_of(page) -> int:
    return int(page.locator("#lesson-status .progress").get_attribute("aria-valuenow"))


def test_trainee_reads_two_lessons_in_turkmen(course_server, page, screenshot):
    page.goto(course_server.url + "/tk/accounts/login/")
    page.fill("#id_username", "trainee")
    page.fill("#id_password", "tot-demo-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/tk/dashboard/")

    page.goto(course_server.url + "/tk/courses/tot/")
    assert page.locator("html").get_attribute("lang") == "tk"
    assert "Türkmençe course tot" in page.locator("h1").inner_text()
    page.locator(".module-item a").first.click()
    page.locator(".lesson-list a").first.click()
    assert "Türkmençe one paragraph one." in page.locator("article.lesson").inner_text()
    assert page.locator("[data-trainer-notes]").count() == 0  # trainees do not see trainer notes
    screenshot("10-lesson-tk")

    with page.expect_navigation():
        page.locator("[data-action=mark-done]").click()
    assert progress_of(page) == 25

    with page.expect_navigation():
        page.locator("a.pager__next").click()
    assert "Türkmençe two paragraph one." in page.locator("article.lesson").inner_text()
    with page.expect_navigation():
        page.locator("[data-action=mark-done]").click()
    assert progress_of(page) == 50
    screenshot("11-lesson-tk-done")

    page.goto(course_server.url + "/tk/dashboard/")
    assert page.locator("[data-course] .progress").get_attribute("aria-valuenow") == "50"
    screenshot("12-dashboard-tk")
