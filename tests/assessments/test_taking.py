"""Taking a test like a good exam tool: the question list and flags, the summary before the final
submit, one question per page, and a test page that says when no attempt is left."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import exceptions as errors
from assessments import services
from assessments.models import Answer, Assessment, AssessmentItem, Attempt, Question
from lms.people.roles import Role
from tests.assessments.bank import bank_load
from tests.factories import person

pytestmark = pytest.mark.django_db

KEYS = ["m1-single", "m1-truefalse", "m1-short", "m1-multiple"]


@pytest.fixture
def learner(agency_a):
    return person(username="learner", roles=[Role.TRAINEE], agency=agency_a, language="en")


@pytest.fixture
def four(site_home):
    """A test of four items in a fixed order: 1 single, 2 true/false, 3 short answer, 4 multiple."""
    bank_load()
    test = Assessment.objects.create(
        slug="four", title_en="Four", purpose=Assessment.Purpose.POST, published=True, shuffle_items=False, shuffle_options=False
    )
    for position, key in enumerate(KEYS):
        question = Question.objects.get(key=key, locale__language_code="en")
        AssessmentItem.objects.create(assessment=test, question_key=question.translation_key, position=position)
    return test


@pytest.fixture
def attempt(client, four, learner):
    client.force_login(learner)
    return services.attempt_start(user=learner, assessment=four, language="en")


def take(attempt):
    return reverse("assessments:take", args=[attempt.pk])


def state(attempt):
    return {answer.position: (answer.response, answer.flagged) for answer in Answer.objects.filter(attempt=attempt)}


def assert_strict_csp_markup(html):
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert " style=" not in html, "style attribute"


def test_the_summary_lists_unanswered_and_flagged_questions(client, attempt):
    post = {"q1": "b", "flag1": "1", "q2": "true", "submit": ""}
    response = client.post(take(attempt), post)
    assert response.url == reverse("assessments:summary", args=[attempt.pk])
    assert Attempt.objects.get().state == Attempt.State.IN_PROGRESS  # "Submit the test" only opens the summary
    assert state(attempt) == {1: ("b", True), 2: (True, False), 3: (None, False), 4: (None, False)}

    page = client.get(response.url).content.decode()
    unanswered = page.split('data-summary="unanswered"')[1].split("</div>")[0]
    assert "2 questions are not answered" in unanswered
    assert f'href="{take(attempt)}#item-3"' in unanswered and f'href="{take(attempt)}#item-4"' in unanswered
    assert "#item-1" not in unanswered
    flagged = page.split('data-summary="flagged"')[1].split("</div>")[0]
    assert "1 question is flagged for review" in flagged and f"{take(attempt)}#item-1" in flagged
    assert 'name="confirm" value="yes"' in page
    assert_strict_csp_markup(page)


def test_a_final_submit_without_confirmation_is_refused_and_the_attempt_stays_open(client, attempt, learner):
    response = client.post(reverse("assessments:submit", args=[attempt.pk]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("assessments:summary", args=[attempt.pk])
    assert str(errors.SUBMIT_NOT_CONFIRMED) in response.content.decode()
    assert Attempt.objects.get().state == Attempt.State.IN_PROGRESS
    with pytest.raises(errors.SubmitNotConfirmed):
        services.attempt_finish(attempt_id=attempt.pk, user=learner, confirmed=False)
    assert Attempt.objects.get().state == Attempt.State.IN_PROGRESS

    response = client.post(reverse("assessments:submit", args=[attempt.pk]), {"confirm": "yes"})
    assert response.url == reverse("assessments:review", args=[attempt.pk])
    assert Attempt.objects.get().state == Attempt.State.SUBMITTED
    # a second confirmation (double click) changes nothing
    client.post(reverse("assessments:submit", args=[attempt.pk]), {"confirm": "yes"})
    assert Attempt.objects.count() == 1 and Attempt.objects.get().state == Attempt.State.SUBMITTED


def test_a_timed_out_attempt_closes_without_confirmation(attempt, learner):
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    closed = services.attempt_finish(attempt_id=attempt.pk, user=learner, confirmed=False)
    assert closed.state == Attempt.State.SUBMITTED and closed.closed_by_timer


def test_after_the_last_attempt_the_page_says_so_and_offers_no_start(client, attempt, four, learner):
    services.attempt_finish(attempt_id=attempt.pk, user=learner, confirmed=True)
    detail = reverse("assessments:detail", args=[four.slug])
    page = client.get(detail).content.decode()
    assert 'data-action="start"' not in page and "assessments/four/start" not in page
    assert str(errors.NO_ATTEMPT_LEFT_ONE) in page
    assert "Your score: 0 of 5" in page
    assert reverse("assessments:review", args=[attempt.pk]) in page
    assert_strict_csp_markup(page)

    response = client.post(reverse("assessments:start", args=[four.slug]))
    assert response.status_code == 302 and response.url == detail
    page = client.get(detail).content.decode()
    assert page.count(str(errors.NO_ATTEMPT_LEFT_ONE)) == 2  # the message of the refused start, and the page's
    assert Attempt.objects.count() == 1


def test_a_closed_test_or_a_passed_one_without_retakes_offers_no_start(client, attempt, four, learner):
    four.max_attempts, four.pass_mark, four.retake_after_pass = 3, 0, False
    four.save()
    services.attempt_finish(attempt_id=attempt.pk, user=learner, confirmed=True)  # 0 of 5 passes a pass mark of 0
    assert Attempt.objects.get().passed is True
    detail = reverse("assessments:detail", args=[four.slug])
    page = client.get(detail).content.decode()
    assert str(errors.ALREADY_PASSED) in page and 'data-action="start"' not in page
    assert client.post(reverse("assessments:start", args=[four.slug])).status_code == 302
    assert Attempt.objects.count() == 1

    four.retake_after_pass = True
    four.closes_at = timezone.now() - timedelta(minutes=1)
    four.opens_at = timezone.now() - timedelta(days=1)
    four.save()
    page = client.get(detail).content.decode()
    assert "This test closed on" in page and 'data-action="start"' not in page
    assert client.post(reverse("assessments:start", args=[four.slug]), follow=True).status_code == 200


def test_the_start_button_remains_while_attempts_are_left(client, four, learner):
    client.force_login(learner)
    page = client.get(reverse("assessments:detail", args=[four.slug])).content.decode()
    assert 'data-action="start"' in page and "Start the test" in page


def test_a_flag_is_saved_with_the_answer_and_restored_on_resume(client, attempt, four, learner):
    url = reverse("assessments:autosave", args=[attempt.pk])
    saved = client.post(url, {"position": 3, "q3": "Palermo", "flag3": "1"}).json()
    assert saved == {"saved": True, "position": 3, "answered": True, "flagged": True}
    flagged_only = client.post(url, {"position": 4, "flag4": "1"}).json()
    assert flagged_only["flagged"] is True and flagged_only["answered"] is False
    assert state(attempt)[3] == ("Palermo", True) and state(attempt)[4] == (None, True)

    resumed = services.attempt_start(user=learner, assessment=four, language="en")  # a reload, another day
    assert resumed.pk == attempt.pk
    page = client.get(take(attempt)).content.decode()
    assert re.search(r'name="flag3" value="1" data-flag checked', page)
    assert re.search(r'name="flag1" value="1" data-flag>', page)
    assert re.search(r'data-nav="3"', page) and "is-answered is-flagged" in page
    assert_strict_csp_markup(page)

    # unflagging: the item's fields come without the flag
    assert client.post(url, {"position": 3, "q3": "Palermo"}).json()["flagged"] is False
    # the form without JavaScript saves flags with its buttons
    client.post(take(attempt), {"q3": "Palermo", "flag2": "1", "save": ""})
    assert [position for position, (_, flagged) in state(attempt).items() if flagged] == [2]


def test_one_question_per_page_with_previous_next_and_the_navigator(client, attempt, four):
    four.layout = Assessment.Layout.ONE
    four.save()
    page = client.get(take(attempt)).content.decode()
    assert 'id="item-1"' in page and 'id="item-2"' not in page
    assert 'data-action="next"' in page and 'data-action="previous"' not in page
    assert page.count('name="goto"') == 5  # four in the navigator, and "next"

    response = client.post(take(attempt), {"item": "1", "q1": "b", "flag1": "1", "goto": "2"})
    assert response.url == take(attempt) + "?item=2"
    page = client.get(response.url).content.decode()
    assert 'id="item-2"' in page and 'id="item-1"' not in page
    assert 'data-action="previous"' in page and 'value="1" class="button button--secondary" data-action="previous"' in page
    assert 'aria-current="step"' in page

    # answering item 2 leaves item 1 as it was; the navigator jumps to item 4, which has no "next"
    response = client.post(take(attempt), {"item": "2", "q2": "false", "goto": "4"})
    assert response.url == take(attempt) + "?item=4"
    assert state(attempt)[1] == ("b", True) and state(attempt)[2] == (False, False)
    page = client.get(response.url).content.decode()
    assert 'data-action="next"' not in page and 'id="item-4"' in page
    # a question the test does not have shows the first
    assert 'id="item-1"' in client.get(take(attempt) + "?item=99").content.decode()

    # the summary links to each question's own page
    client.post(take(attempt), {"item": "4", "submit": ""})
    summary = client.get(reverse("assessments:summary", args=[attempt.pk])).content.decode()
    assert f'href="{take(attempt)}?item=3"' in summary


def test_the_timer_is_announced_at_five_minutes_and_one_minute_only(client, attempt, four):
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(minutes=20))
    for url in (take(attempt), reverse("assessments:summary", args=[attempt.pk])):
        page = client.get(url).content.decode()
        assert 'role="timer" aria-live="off"' in page
        assert re.search(r'data-timer-announce="300" aria-live="polite"', page)
        assert re.search(r'data-timer-announce="60" aria-live="assertive"', page)
        assert "assessments/test-timer.js" in page


def test_the_summary_of_a_timed_out_attempt_closes_it(client, attempt):
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("assessments:summary", args=[attempt.pk]))
    assert response.url == reverse("assessments:review", args=[attempt.pk])
    assert Attempt.objects.get().closed_by_timer
