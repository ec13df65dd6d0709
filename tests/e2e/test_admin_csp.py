"""The Wagtail admin works under its Content-Security-Policy: the page editor with its live preview (the
lesson and its H5P player framed inside the admin), the choosers' modals and the image uploader.

Any CSP violation in any frame fails the test (tests/e2e/conftest.py)."""

import pytest
from django.core.management import call_command

from courses.models import LessonPage
from tests.e2e.conftest import AXE_SOURCE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def admin_server(live_server):
    call_command("seed_demo", "--without-curriculum", verbosity=0)
    return live_server


def log_in(page, server, username):
    page.goto(server.url + "/en/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "tot-demo-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/dashboard/")


def leave_the_admin(page, server):
    """Leave the page editor while the server still runs: it releases its editing session on the way out."""
    page.goto(server.url + "/en/dashboard/")
    page.wait_for_timeout(500)


def test_the_editor_previews_a_lesson_with_its_activity_inside_the_admin(admin_server, page, screenshot):
    lesson = LessonPage.objects.get(slug="definitions-two", locale__language_code="en")
    log_in(page, admin_server, "editor")

    response = page.goto(f"{admin_server.url}/admin/pages/{lesson.pk}/edit/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["permissions-policy"] == "camera=(), microphone=(), geolocation=()"

    # the live preview: the site's page in an iframe of the admin, under the site's own policy
    with page.expect_response(lambda r: "/edit/preview/" in r.url and r.request.method == "GET") as preview:
        page.locator("[data-side-panel-toggle=preview]").click()
    preview_policy = preview.value.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in preview_policy and "unsafe-inline" not in preview_policy
    frame = page.frame_locator("#w-preview-iframe")
    frame.locator("h1").wait_for()
    assert lesson.title in frame.locator("h1").inner_text()
    # ... which frames the sandboxed H5P player in turn, and the activity plays there
    # (the activity loads when it is scrolled to)
    frame.locator("[data-h5p-package]").scroll_into_view_if_needed()
    player = frame.frame_locator("[data-h5p-package] iframe")
    player.locator(".lms-cs").first.wait_for()
    screenshot("40-admin-preview")
    leave_the_admin(page, admin_server)


def test_dialogs_and_the_image_uploader_work_under_the_admin_policy(admin_server, page, screenshot):
    log_in(page, admin_server, "admin")
    page.goto(f"{admin_server.url}/admin/")
    page.locator("#wagtail-sidebar").wait_for(state="attached")
    assert page.locator("img[src*='gravatar']").count() == 0  # nothing from the internet

    # the privacy dialog of the page editor loads its form (HTML and its scripts) from the server
    lesson = LessonPage.objects.get(slug="definitions-one", locale__language_code="en")
    page.goto(f"{admin_server.url}/admin/pages/{lesson.pk}/edit/")
    page.locator("[data-side-panel-toggle=status]").click()
    page.locator("[data-a11y-dialog-show=set-privacy]:visible").first.click()
    page.locator("#set-privacy input[name=restriction_type][value=password]").check()
    page.locator("#set-privacy input[name=password]").wait_for()
    screenshot("41-admin-privacy-dialog")
    page.keyboard.press("Escape")
    leave_the_admin(page, admin_server)

    # the image uploader previews the chosen file from a blob: URL
    page.goto(f"{admin_server.url}/admin/images/multiple/add/")
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
        b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    page.set_input_files("#fileupload", files=[{"name": "dot.png", "mimeType": "image/png", "buffer": png}])
    page.locator("#upload-list li.upload-success, #upload-list li.upload-failure").first.wait_for()
    screenshot("42-admin-image-upload")


def test_the_lesson_editor_shows_each_languages_translation_state(admin_server, page, screenshot):
    lesson = LessonPage.objects.get(slug="definitions-two", locale__language_code="en")
    log_in(page, admin_server, "editor")
    try:
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{admin_server.url}/admin/pages/{lesson.pk}/edit/")
            table = page.locator("[data-translation-state]")
            table.scroll_into_view_if_needed()
            rows = table.locator("tbody tr").evaluate_all("(rows) => rows.map((r) => r.dataset.language + ':' + r.dataset.state)")
            assert sorted(rows) == ["en:source", "ru:up_to_date", "tk:up_to_date"], rows
            # axe-core on the panel (Wagtail's own StreamField inputs of the editor have findings of their own)
            if not page.evaluate("() => typeof window.axe !== 'undefined'"):
                page.evaluate(AXE_SOURCE.read_text())
            found = page.evaluate("""async () => (await axe.run("[data-translation-state]", {resultTypes: ["violations"]}))
                .violations.map((v) => ({id: v.id, impact: v.impact}))""")
            assert not [v for v in found if v["impact"] in ("critical", "serious")], found
            screenshot(f"80-admin-translation-state-{width}")
            table.screenshot(path=str(screenshot(f"80-admin-translation-state-{width}")).replace(".png", "-panel.png"))
    finally:
        leave_the_admin(page, admin_server)


def test_the_question_bank_lists_one_row_per_question_with_its_languages(admin_server, page, screenshot, axe_check):
    from tests.assessments.bank import bank_load

    bank_load()
    log_in(page, admin_server, "editor")
    try:
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{admin_server.url}/admin/snippets/assessments/question/")
            text = page.locator("main").inner_text()
            assert "m1-single (en)" in text and "m1-single (ru)" not in text and "Türkmençe:" in text
            axe_check(page, f"the question list at {width} px")
            screenshot(f"80-admin-question-list-{width}")
    finally:
        leave_the_admin(page, admin_server)


def test_the_question_preview_shows_each_language_as_a_learner_sees_it(admin_server, page, screenshot, axe_check):
    from assessments.models import Question
    from tests.assessments.bank import bank_load

    bank_load()
    question = Question.objects.get(key="m2-case", locale__language_code="en")
    log_in(page, admin_server, "editor")
    try:
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{admin_server.url}/admin/snippets/assessments/question/preview-languages/{question.pk}/")
            text = page.locator("main").inner_text()
            assert "ru prompt of m2-case" in text and "tk prompt of m2-case" in text
            assert page.locator("[data-editors-part]").count() == 3
            assert page.locator("[data-learner-view] input:disabled").count() > 0
            assert page.locator("[data-learner-view] input:enabled").count() == 0
            axe_check(page, f"the question preview at {width} px")
            screenshot(f"81-admin-question-preview-{width}")
    finally:
        leave_the_admin(page, admin_server)


def test_the_regrade_and_export_screens_pass_axe(admin_server, page, screenshot, axe_check):
    """The other custom admin screens of the question bank (issue 16): the regrade page of a question and
    the export page, at desktop and phone widths, under the admin's CSP, with no critical or serious finding."""
    from django.urls import reverse

    from assessments.models import Question
    from tests.assessments.bank import bank_load

    bank_load()
    question = Question.objects.get(key="m1-single", locale__language_code="en")
    screens = {
        "regrade": f"/admin/snippets/assessments/question/regrade/{question.pk}/",
        "export": reverse("assessments_question_export"),
    }
    log_in(page, admin_server, "editor")
    try:
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            for name, path in screens.items():
                response = page.goto(admin_server.url + path)
                assert response.status == 200, (name, response.status)
                assert page.locator("main h1, main h2").count() > 0, name
                axe_check(page, f"the question {name} screen at {width} px")
                screenshot(f"82-admin-question-{name}-{width}")
    finally:
        leave_the_admin(page, admin_server)
