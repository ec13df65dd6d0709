"""The question bank in a real browser: the question editor (the roomy case-qualification editor) and the
filtered question list, at 1366 and 390 px, with axe-core (0 critical, 0 serious) and no CSP violation."""

import pytest

from assessments.models import Question
from tests.e2e.test_admin_csp import admin_server, leave_the_admin, log_in  # noqa: F401 — the fixture
from tests.assessments.bank import bank_load

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = (1366, 390)


def _fits(locator) -> bool:
    """Whether an input shows its whole box: not cut by its cell or the page."""
    return locator.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1 && el.getBoundingClientRect().width >= 0")


def test_the_case_editor_gives_keys_labels_and_explanations_room(admin_server, page, screenshot, axe_check):  # noqa: F811
    bank_load()
    question = Question.objects.get(key="m2-case", locale__language_code="en")
    log_in(page, admin_server, "editor")
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{admin_server.url}/admin/snippets/assessments/question/edit/{question.pk}/")
            case = page.locator('[data-qe-for="case"]')
            case.wait_for()
            # the chosen provision by its name, not its code
            provision = page.locator('select[name="qdata-case-case-provision"] option:checked')
            assert "129-1" in provision.inner_text() and "cc-129-1-2010" not in provision.inner_text()
            element = case.locator(".qe-element").first
            element.scroll_into_view_if_needed()
            screenshot(f"82-admin-case-editor-{width}")
            element.screenshot(path=str(screenshot(f"82-admin-case-editor-{width}")).replace(".png", "-element.png"))
            # keys, labels and explanations show what they hold, and nothing runs off the page
            for name in ("key", "label"):
                field = element.locator(f'input[name$="-0-{name}"]').first
                box = field.bounding_box()
                assert box["width"] >= min(160, width / 3), (name, width, box)
                assert field.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1"), (name, width)
            explanation = element.locator('textarea[name$="-explanation"]').first
            box = explanation.bounding_box()
            assert box["height"] >= 80 and box["width"] >= width * 0.5, (width, box)
            overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, f"the editor is {overflow} px wider than the window at {width} px"
            # the column headings wrap rather than being cut
            for heading in element.locator(".qe-field-caption").all():
                assert heading.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1"), heading.inner_text()
            axe_check(page, f"the question editor at {width} px")
    finally:
        leave_the_admin(page, admin_server)


def test_the_question_list_filters_by_module_and_translation_state(admin_server, page, screenshot, axe_check):  # noqa: F811
    bank_load()
    Question.objects.get(key="m1-single", locale__language_code="tk").delete()
    log_in(page, admin_server, "editor")
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{admin_server.url}/admin/snippets/assessments/question/?translations=tk:missing")
            text = page.locator("main").inner_text()
            assert "m1-single (en)" in text and "m1-multiple (en)" not in text
            axe_check(page, f"the filtered question list at {width} px")
            # the filters in the drawer: names, not codes
            page.locator("#filters-drilldown .w-slim-header-action-button").click()
            page.locator('[aria-controls="drilldown-id_module"]').click()
            page.locator('#drilldown-id_module input[name="module"]').first.wait_for()
            options = page.locator('#drilldown-id_module label').all_inner_texts()
            assert any(option.strip().startswith("Модуль 1: ") for option in options), options  # the editor works in Russian
            axe_check(page, f"the question list's filters at {width} px")
            screenshot(f"83-admin-question-filters-{width}")
            page.keyboard.press("Escape")
    finally:
        leave_the_admin(page, admin_server)
