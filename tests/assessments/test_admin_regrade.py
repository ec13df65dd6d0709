"""Regrading in the admin after a key was corrected: confirmation, the rescore, the audit, the permission."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.models import Assessment, AssessmentItem, Attempt, Question, ScoreChange
from assessments.views.question_regrade import NOTHING_CHANGED
from lms.people.roles import Role
from tests.assessments.bank import bank_load
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def bank(site_home):
    return bank_load()


@pytest.fixture
def editor(site_home):
    return person(username="ed", roles=[Role.EDITOR], language="en")


@pytest.fixture
def fixed_test(bank):
    test = Assessment.objects.create(
        slug="fixed", title_en="Fixed test", purpose=Assessment.Purpose.POST, published=True, shuffle_items=False,
        pass_mark=30, max_attempts=0,  # of 6 points: 2 pass, 1 does not
    )
    keys = ["m1-single", "m1-truefalse", "m2-rubric"]
    for position, key in enumerate(keys):
        question = Question.objects.get(key=key, locale__language_code="en")
        AssessmentItem.objects.create(assessment=test, question_key=question.translation_key, position=position)
    return test


def submitted(test, user, *, language, single, truefalse=False, essay=None):
    """A submitted attempt with the single-choice answer ``single`` (the key is "b") and true/false right."""
    attempt = services.attempt_start(user=user, assessment=test, language=language)
    for answer in attempt.answers.select_related("question"):
        response = {"single": single, "truefalse": truefalse, "rubric": essay}[answer.question.kind]
        services.answer_save(user=user, attempt_id=attempt.pk, position=answer.position, response=response)
    return services.attempt_submit(attempt_id=attempt.pk, user=user)


def correct_the_key(key="m1-single", correct="a"):
    for question in Question.objects.filter(key=key):
        question.data = {**question.data, "correct": correct}
        question.save()


def single_of(attempt):
    return attempt.answers.get(question__kind="single")


def regrade_url(key="m1-single", language="en"):
    question = Question.objects.get(key=key, locale__language_code=language)
    return reverse("wagtailsnippets_assessments_question:regrade", args=[question.pk])


@pytest.fixture
def learners(agency_a):
    return [person(username=f"learner{number}", roles=[Role.TRAINEE], agency=agency_a, language="ru") for number in range(3)]


def test_the_confirmation_shows_what_would_change_and_writes_nothing(client, editor, fixed_test, learners):
    chose_a = [submitted(fixed_test, user, language=language, single="a") for user, language in zip(learners[:2], ("en", "ru"), strict=True)]
    chose_b = submitted(fixed_test, learners[2], language="tk", single="b")
    assert [attempt.score for attempt in chose_a] == [Decimal("1.00")] * 2 and chose_b.score == Decimal("2.00")
    correct_the_key()
    client.force_login(editor)

    response = client.get(regrade_url())

    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.answers_total, preview.answers_changed, preview.attempts_changed) == (3, 3, 3)
    totals = {row.attempt.user.username: (row.old_score, row.new_score, row.old_passed, row.new_passed) for row in preview.rows}
    assert totals == {
        "learner0": (Decimal("1.00"), Decimal("2.00"), False, True),
        "learner1": (Decimal("1.00"), Decimal("2.00"), False, True),
        "learner2": (Decimal("2.00"), Decimal("1.00"), True, False),
    }
    html = response.content.decode()
    assert "3 of 3 submitted answers would get a new score, in 3 attempts." in html
    assert learners[2].get_full_name() in html
    assert not ScoreChange.objects.exists()
    assert single_of(chose_b).score == Decimal("1.00")


def test_regrading_rescores_answers_and_totals_and_audits_each_change(client, editor, fixed_test, learners):
    wrong = submitted(fixed_test, learners[0], language="ru", single="a")
    right = submitted(fixed_test, learners[1], language="en", single="b")
    untouched = submitted(fixed_test, learners[2], language="tk", single="c")
    Attempt.objects.filter(pk=right.pk).update(source=Attempt.Source.PAPER)
    correct_the_key()
    client.force_login(editor)

    response = client.post(regrade_url(language="ru"), follow=True)

    assert response.status_code == 200
    assert "2 answers were rescored. 2 attempts got a new total." in response.content.decode()
    wrong.refresh_from_db()
    right.refresh_from_db()
    untouched.refresh_from_db()
    assert (wrong.score, wrong.passed, right.score, right.passed) == (Decimal("2.00"), True, Decimal("1.00"), False)
    assert untouched.score == Decimal("1.00")
    changes = {change.answer.attempt_id: change for change in ScoreChange.objects.select_related("answer")}
    assert set(changes) == {wrong.pk, right.pk}
    for attempt_id, (old, new) in {wrong.pk: ("0.00", "1.00"), right.pk: ("1.00", "0.00")}.items():
        change = changes[attempt_id]
        assert (change.reason, change.actor, change.old_score, change.new_score) == (
            ScoreChange.Reason.REGRADED, editor, Decimal(old), Decimal(new)
        )
        assert change.note == "key corrected"


def test_a_second_regrade_with_the_same_key_changes_nothing_and_says_so(client, editor, fixed_test, learners):
    attempt = submitted(fixed_test, learners[0], language="ru", single="a")
    correct_the_key()
    client.force_login(editor)
    client.post(regrade_url())
    assert ScoreChange.objects.count() == 1

    preview = client.get(regrade_url()).context["preview"]
    assert (preview.answers_total, preview.answers_changed) == (1, 0)
    response = client.post(regrade_url(), follow=True)

    assert str(NOTHING_CHANGED) in response.content.decode()
    assert ScoreChange.objects.count() == 1
    attempt.refresh_from_db()
    assert attempt.score == Decimal("2.00")


def test_open_attempts_are_not_regraded(client, editor, fixed_test, learners):
    attempt = services.attempt_start(user=learners[0], assessment=fixed_test, language="en")
    services.answer_save(user=learners[0], attempt_id=attempt.pk, position=single_of(attempt).position, response="a")
    correct_the_key()
    client.force_login(editor)
    assert client.get(regrade_url()).context["preview"].answers_total == 0
    client.post(regrade_url())
    assert single_of(attempt).score is None and not ScoreChange.objects.exists()


def test_the_page_says_rubric_answers_are_not_scored_automatically(client, editor, fixed_test, learners):
    attempt = submitted(fixed_test, learners[0], language="en", single="b", essay="The request names the authority.")
    assert attempt.state == Attempt.State.AWAITING_GRADING
    client.force_login(editor)
    response = client.get(regrade_url("m2-rubric"))
    assert response.status_code == 200
    assert 'id="regrade-rubric"' in response.content.decode()
    assert response.context["preview"].answers_changed == 0
    assert 'id="regrade-rubric"' not in client.get(regrade_url()).content.decode()


def test_the_page_names_language_versions_whose_key_differs(client, editor, fixed_test, learners):
    question = Question.objects.get(key="m1-single", locale__language_code="en")
    question.data = {**question.data, "correct": "a"}
    question.save()
    client.force_login(editor)
    versions = {row["question"].locale.language_code: row["differs"] for row in client.get(regrade_url()).context["versions"]}
    assert versions == {"en": False, "ru": True, "tk": True}


def test_the_button_is_on_the_edit_page_and_in_the_list(client, editor, bank):
    client.force_login(editor)
    question = Question.objects.get(key="m1-single", locale__language_code="en")
    edit = client.get(reverse("wagtailsnippets_assessments_question:edit", args=[question.pk]))
    assert regrade_url() in edit.content.decode()
    listing = client.get(reverse("wagtailsnippets_assessments_question:list"))
    assert regrade_url() in listing.content.decode()


def test_without_the_change_permission_there_is_no_button_and_no_regrade(client, fixed_test, learners):
    attempt = submitted(fixed_test, learners[0], language="ru", single="a")
    correct_the_key()
    viewer = person(username="viewer", roles=[], language="en")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
        Permission.objects.get(codename="view_question", content_type__app_label="assessments"),
    )
    client.force_login(viewer)

    listing = client.get(reverse("wagtailsnippets_assessments_question:list"))
    assert listing.status_code == 200 and "m1-single (en)" in listing.content.decode()
    assert regrade_url() not in listing.content.decode()
    for response in (client.get(regrade_url()), client.post(regrade_url())):
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert not ScoreChange.objects.exists()
    assert single_of(attempt).score == Decimal("0.00")


def test_the_confirmation_page_costs_the_same_queries_for_few_and_many_attempts(client, editor, fixed_test, agency_a):
    client.force_login(editor)

    def queries():
        client.get(regrade_url())  # warm the session and the admin's caches
        with CaptureQueriesContext(connection) as context:
            assert client.get(regrade_url()).status_code == 200
        return len(context)

    for number in range(2):
        submitted(fixed_test, person(username=f"few{number}", roles=[Role.TRAINEE], agency=agency_a), language="en", single="a")
    correct_the_key(correct="a")
    few = queries()
    correct_the_key(correct="b")
    for number in range(8):
        submitted(fixed_test, person(username=f"many{number}", roles=[Role.TRAINEE], agency=agency_a), language="ru", single="a")
    correct_the_key(correct="a")
    assert len(client.get(regrade_url()).context["preview"].rows) == 10
    many = queries()
    assert few == many
