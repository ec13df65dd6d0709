"""An editor changes a lesson in the Wagtail admin and submits it; a programme manager approves it."""

import pytest
from django.core.management import call_command

from courses.models import LessonPage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NEW_TITLE = "Definitions: the three elements, revised"


@pytest.fixture
def admin_server(live_server):
    call_command("seed_demo", "--without-curriculum", verbosity=0)
    return live_server


def log_in(page, server, username):
    page.context.clear_cookies()
    page.goto(server.url + "/en/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "tot-demo-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/dashboard/")


def test_editor_submits_and_manager_approves(admin_server, page, screenshot):
    lesson = LessonPage.objects.get(slug="definitions-one", locale__language_code="en")
    old_title = lesson.title
    edit_url = f"{admin_server.url}/admin/pages/{lesson.pk}/edit/"

    log_in(page, admin_server, "editor")
    page.goto(edit_url)
    page.fill("#id_title", NEW_TITLE)
    # the editor has no publish button, only the review workflow
    assert page.locator("button[name=action-publish]").count() == 0
    with page.expect_navigation():
        page.locator("button[name=action-submit]").dispatch_event("click")
    page.wait_for_load_state()
    screenshot("20-admin-submitted")

    lesson.refresh_from_db()
    assert lesson.title == old_title  # nothing published yet
    assert lesson.current_workflow_state is not None
    assert lesson.current_workflow_state.status == "in_progress"

    log_in(page, admin_server, "manager")
    page.goto(edit_url)
    approve = page.locator("button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])")
    assert approve.count() == 1
    with page.expect_navigation():
        approve.dispatch_event("click")
    page.wait_for_load_state()
    screenshot("21-admin-approved")

    lesson.refresh_from_db()
    assert lesson.title == NEW_TITLE
    assert lesson.live
    page.goto(admin_server.url + lesson.url)
    assert NEW_TITLE in page.locator("h1").inner_text()
