"""A trainee fills the gaps of an embedded-answers (Cloze) question in Turkmen on a phone: a typed answer, a
drop-down and a number with a decimal comma; autosave keeps them, the review marks each gap."""

import pytest

from assessments.models import Answer, Attempt

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def pre_test_keys():
    return ["m3-cloze", "m1-truefalse"]


def test_trainee_fills_the_gaps_autosaves_submits_and_sees_each_gap_marked(live_server_with_pre_test, page, screenshot, axe_check):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server_with_pre_test.url + "/tk/accounts/login/")
    page.fill("#id_username", "trainee")
    page.fill("#id_password", "tot-demo-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/tk/dashboard/")
    page.locator("[data-test=pre] a").first.click()
    page.locator("[data-action=start]").click()
    page.wait_for_url("**/tests/attempt/*/")

    item = page.locator("#item-1")
    assert "{#" not in item.inner_text()
    page.get_by_label("Boş ýer 1 (jemi 3)").fill("keyonlyact")  # letter case does not count
    page.get_by_label("Boş ýer 2 (jemi 3)").select_option("b")  # the wrong option
    page.get_by_label("Boş ýer 3 (jemi 3)").fill("18,3")
    page.wait_for_function("() => document.querySelector('[data-nav=\"1\"]').classList.contains('is-answered')")
    expected = {"1": "keyonlyact", "2": "b", "3": "18.3"}
    for _ in range(50):  # typing is saved after a pause of 800 ms
        if Answer.objects.get(position=1).response == expected:
            break
        page.wait_for_timeout(200)
    assert Answer.objects.get(position=1).response == expected
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    axe_check(page, "an embedded-answers question")
    screenshot("60-cloze-answering-390")

    page.locator("#item-2 input[value=false]").check()
    page.locator("[data-action=submit]").click()
    page.wait_for_url("**/summary/")
    page.locator("[data-action=confirm-submit]").click()
    page.wait_for_url("**/review/")
    answer = Attempt.objects.get().answers.get(position=1)
    assert (answer.score, answer.parts) == (3, {"1": "1", "2": "0", "3": "1"})  # 2 + 0 + 1 of 4 marks, of 4 points
    review = page.locator("#item-1")
    assert review.locator(".cloze-gap--right").count() == 2 and review.locator(".cloze-gap--wrong").count() == 1
    axe_check(page, "the review of an embedded-answers question")
    screenshot("61-cloze-review-390")
    assert errors == []
