"""A trainee answers some questions, flags one, opens the summary, sees what is unanswered and flagged,
goes back, answers the rest and submits: on a phone (390 px) and on a laptop, without sideways scrolling."""

import pytest

from assessments.models import Answer, Assessment, Attempt

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def no_overflow(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width,height", [(390, 844), (1366, 900)])
def test_trainee_checks_the_summary_goes_back_and_submits(live_server_with_pre_test, page, screenshot, width, height, axe_check):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server_with_pre_test.url + "/tk/accounts/login/")
    page.fill("#id_username", "trainee")
    page.fill("#id_password", "tot-demo-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/tk/dashboard/")
    page.locator("[data-test=pre] a").first.click()
    page.locator("[data-action=start]").click()
    page.wait_for_url("**/tests/attempt/*/")
    assert page.locator("[data-nav]").count() == 5
    assert page.locator("[data-timer-announce]").count() == 2

    # answer two questions and flag the first; the navigator follows
    page.locator("#item-1 input[value=b]").check()
    page.locator("#item-1 [data-flag]").check()
    page.locator("#item-2 input[value=false]").check()
    page.wait_for_function("() => document.querySelector('[data-save-state]').dataset.state === 'saved'")
    page.wait_for_function("() => document.querySelector('[data-nav=\"2\"]').classList.contains('is-answered')")
    assert "is-flagged" in page.locator("[data-nav='1']").get_attribute("class")
    assert "is-answered" not in page.locator("[data-nav='3']").get_attribute("class")
    assert page.locator("[data-answered]").inner_text() == "5 soragdan 2-sine jogap berildi"  # in the page's language
    page.wait_for_function(
        "() => document.querySelector('[data-save-state]').dataset.state === 'saved'"
        " && Object.keys(localStorage).filter((key) => key.startsWith('lms-test-pending:'))"
        ".every((key) => localStorage.getItem(key) === '{}')"
    )
    flagged = {answer.position: answer.flagged for answer in Answer.objects.all()}
    assert flagged == {1: True, 2: False, 3: False, 4: False, 5: False}
    assert no_overflow(page)
    axe_check(page, "the test, answering")
    screenshot(f"50-exam-answering-{width}")

    # the summary lists what is unanswered and flagged
    page.locator("[data-action=submit]").click()
    page.wait_for_url("**/summary/")
    unanswered = page.locator("[data-summary=unanswered]")
    assert unanswered.locator("a").count() == 3
    assert page.locator("[data-summary=flagged] a").count() == 1
    assert no_overflow(page)
    axe_check(page, "the submit summary")
    screenshot(f"51-exam-summary-{width}")
    assert Attempt.objects.get().state == Attempt.State.IN_PROGRESS

    # back to question 3 from the list, answer the rest, unflag question 1
    unanswered.locator("a").first.click()
    page.wait_for_url("**/tests/attempt/*/#item-3")
    page.locator("#item-3 input[type=text]").fill("Palermo")
    page.locator("#item-4 input[value=a]").check()
    page.locator("#item-4 input[value=c]").check()
    for select in page.locator("#item-5 select").all():
        select.select_option(index=1)
    page.locator("#item-1 [data-flag]").uncheck()
    assert no_overflow(page)
    page.locator("[data-action=submit]").click()
    page.wait_for_url("**/summary/")
    assert page.locator("[data-summary=unanswered]").count() == 0
    assert page.locator("[data-summary=flagged]").count() == 0
    screenshot(f"52-exam-summary-complete-{width}")

    page.locator("[data-action=confirm-submit]").click()
    page.wait_for_url("**/review/")
    attempt = Attempt.objects.get()
    assert attempt.state == Attempt.State.SUBMITTED
    assert not Answer.objects.filter(response__isnull=True).exists()

    # the only attempt is used: the test page says so and offers no start
    page.goto(live_server_with_pre_test.url + "/tk/dashboard/")
    page.locator("[data-test=pre] a").first.click()
    assert page.locator("[data-start-refused]").is_visible()
    assert page.locator("[data-action=start]").count() == 0
    assert no_overflow(page)
    axe_check(page, "the test with no attempt left")
    screenshot(f"53-exam-no-attempt-left-{width}")
    assert errors == []


def test_one_question_per_page_on_a_phone(live_server_with_pre_test, page, screenshot):
    Assessment.objects.filter(slug="pre").update(layout=Assessment.Layout.ONE)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 390, "height": 844})
    page.clock.install()  # the countdown's clock, to reach the announcements without waiting 25 minutes
    page.goto(live_server_with_pre_test.url + "/tk/accounts/login/")
    page.fill("#id_username", "trainee")
    page.fill("#id_password", "tot-demo-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/tk/dashboard/")
    page.locator("[data-test=pre] a").first.click()
    page.locator("[data-action=start]").click()
    page.wait_for_url("**/tests/attempt/*/")
    assert page.locator("fieldset.test-item").count() == 1
    page.locator("#item-1 input[value=b]").check()
    page.locator("[data-action=next]").click()
    page.wait_for_url("**/tests/attempt/*/?item=2")
    assert "is-answered" in page.locator("[data-nav='1']").get_attribute("class")
    assert page.evaluate("() => document.activeElement.id") == "item-2"  # reading starts at the question
    page.locator("#item-2 [data-flag]").check()
    page.locator("[data-nav='4']").click()  # the navigator jumps
    page.wait_for_url("**/tests/attempt/*/?item=4")
    assert "is-flagged" in page.locator("[data-nav='2']").get_attribute("class")
    assert page.locator("[data-action=previous]").is_visible()
    assert no_overflow(page)
    screenshot("54-exam-one-per-page-390")
    assert {answer.position: (answer.response, answer.flagged) for answer in Answer.objects.all()} == {
        1: ("b", False), 2: (None, True), 3: (None, False), 4: (None, False), 5: (None, False)
    }

    # the timer is told to screen readers at five minutes (politely) and at one minute, not every second
    polite, assertive = page.locator("[data-timer-announce='300']"), page.locator("[data-timer-announce='60']")
    assert polite.get_attribute("aria-live") == "polite" and assertive.get_attribute("aria-live") == "assertive"
    assert polite.inner_text() == "" and assertive.inner_text() == ""
    page.clock.run_for("24:50")
    assert polite.inner_text() == "" and page.locator(".timer").inner_text().startswith("5:")
    page.clock.run_for("00:20")
    assert polite.inner_text() == "Bäş minut galdy." and assertive.inner_text() == ""
    page.clock.run_for("04:05")
    assert assertive.inner_text() == "Bir minut galdy."
    assert errors == []
