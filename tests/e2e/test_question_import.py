"""An editor imports a GIFT file where some questions cannot be imported: the confirmation page lists the
skipped ones with their reasons (checked with axe-core at phone and desktop widths, under the admin's
Content-Security-Policy), and the supported ones are imported only when the editor confirms."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Question

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MIXED = """::Elements::Which element is not required for a child victim? {=the means ~the act ~the purpose}

::Year::The Protocol was adopted in {=2000 ~1990} and signed in {=Palermo ~Vienna}.

The questions below are on consent.

// [id:M4-CONSENT] [tag:m4-consent]
::Consent::The consent of an adult victim is irrelevant once a means was used. {T}

::Broken::What is missing here? {=one ~two

::Means::Which of these are means? {=Deception =Force ~Transportation}
"""


@pytest.fixture
def admin_server(live_server):
    call_command("seed_demo", "--without-curriculum", verbosity=0)
    return live_server


def test_the_editor_sees_what_is_skipped_and_confirms(admin_server, page, screenshot, axe_check, tmp_path):
    page.goto(admin_server.url + "/en/accounts/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "tot-demo-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/dashboard/")

    bank = tmp_path / "bank.gift.txt"
    bank.write_text(MIXED)
    page.goto(admin_server.url + reverse("assessments_question_import"))
    page.set_input_files("#id_file", str(bank))
    page.select_option("#id_format", "gift")
    page.locator("form[enctype] button[type=submit]").click()
    page.locator("#import-confirm").wait_for()
    assert not Question.objects.filter(title__in=["Elements", "Consent", "Means"]).exists()

    # in the editor's language; the codes say which problem each line is about
    skipped = page.locator("#import-skipped li")
    assert skipped.evaluate_all("nodes => nodes.map(n => [n.dataset.question, n.dataset.code])") == [
        ["2", "gift_several_parts"],
        ["5", "gift_unterminated"],
    ]
    warnings = page.locator("#import-warnings li")
    assert warnings.evaluate_all("nodes => nodes.map(n => n.dataset.code)") == ["description_skipped", "several_right"]
    assert page.locator("#import-kept li").count() == 3
    axe_check(page, "question import confirmation, 1366 px")
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot("60-question-import-confirm-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    axe_check(page, "question import confirmation, 390 px")
    screenshot("61-question-import-confirm-390")
    page.locator("#import-confirm").scroll_into_view_if_needed()
    screenshot("62-question-import-confirm-390-buttons")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("#import-confirm button[name=confirm]").click()
    page.wait_for_url("**/snippets/**")
    assert set(Question.objects.filter(editor_note__startswith="Imported").values_list("key", flat=True)) == {
        "elements",
        "m4-consent",
        "means",
    }
