"""A trainee takes a pre-test, loses the connection mid-way, comes back, and submits: nothing is lost."""

import pytest

from assessments.models import Answer, Attempt

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def pre_test_keys():
    return ["m1-single", "m1-truefalse", "m1-short", "m2-matching"]


def saved_responses():
    return {answer.question.key: answer.response for answer in Answer.objects.select_related("question")}


def test_trainee_resumes_after_losing_the_connection(live_server_with_pre_test, page, screenshot):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server_with_pre_test.url + "/tk/accounts/login/")
    page.fill("#id_username", "trainee")
    page.fill("#id_password", "tot-demo-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/tk/dashboard/")
    page.locator("[data-test=pre] a").first.click()
    page.locator("[data-action=start]").click()
    page.wait_for_url("**/tests/attempt/*/")
    assert "Giriş synagy" in page.locator("h1").inner_text()
    assert page.locator(".timer").inner_text().count(":") == 1  # the countdown runs

    # answer the first item online: it is saved at once
    page.locator("#item-1 input[value=b]").check()
    page.wait_for_function("() => document.querySelector('[data-save-state]').dataset.state === 'saved'")
    assert saved_responses()["m1-single"] == "b"

    # the connection drops: the next answers wait in the browser
    page.context.set_offline(True)
    page.locator("#item-2 input[value=false]").check()
    page.locator("#item-3 input[type=text]").fill("Palermo")
    page.wait_for_function("() => document.querySelector('[data-save-state]').dataset.state === 'offline'")
    assert saved_responses()["m1-truefalse"] is None
    screenshot("40-test-offline")

    # the learner closes the page and opens the test again later, online
    page.goto("about:blank")
    page.context.set_offline(False)
    page.goto(live_server_with_pre_test.url + "/tk/dashboard/")
    page.locator("[data-test=pre] a").first.click()
    page.locator("[data-action=start]").click()  # "continue the test"
    page.wait_for_url("**/tests/attempt/*/")
    page.wait_for_function("() => document.querySelector('[data-save-state]').dataset.state === 'saved'")
    assert page.locator("#item-2 input[value=false]").is_checked()
    assert page.locator("#item-3 input[type=text]").input_value() == "Palermo"
    responses = saved_responses()
    assert responses["m1-truefalse"] is False
    assert responses["m1-short"] == "Palermo"
    assert Attempt.objects.count() == 1

    page.locator("#item-4 select").first.select_option("x")
    page.locator("[data-action=submit]").click()
    page.wait_for_url("**/summary/")  # the summary asks to confirm
    page.locator("[data-action=confirm-submit]").click()
    page.wait_for_url("**/review/")
    screenshot("41-test-submitted")
    attempt = Attempt.objects.get()
    assert attempt.state == Attempt.State.SUBMITTED
    # single right (1) + true/false right (1) + short wrong (0) + one of two matches (0.5)
    assert str(attempt.score) == "2.50"
    assert "2,50" in page.locator("#result").inner_text()  # Turkmen decimal comma
    assert "62%" in page.locator("#result").inner_text()
    assert errors == []
