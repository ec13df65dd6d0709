"""Starting, answering, submitting and reviewing a test: the rules and what a learner may see."""

import json
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from assessments import exceptions as errors
from assessments import services
from assessments.models import Answer, Assessment, AssessmentItem, Attempt, Blueprint, BlueprintRule, Question, ScoreChange
from lms.people.roles import Role
from tests.assessments.bank import SECRET, bank_load
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(site_home):
    return bank_load()


@pytest.fixture
def learner(agency_a):
    return person(username="learner", roles=[Role.TRAINEE], agency=agency_a, language="ru")


@pytest.fixture
def fixed_test(bank):
    test = Assessment.objects.create(
        slug="fixed", title_en="Fixed test", purpose=Assessment.Purpose.PRE, published=True, shuffle_items=False
    )
    for position, question in enumerate(q for q in bank if q.locale.language_code == "en"):
        AssessmentItem.objects.create(assessment=test, question_key=question.translation_key, position=position)
    return test


def keys_by_slug():
    return {q.key: q.translation_key for q in Question.objects.filter(locale__language_code="en")}


def answers_of(attempt):
    return {answer.question.key: answer for answer in attempt.answers.select_related("question")}


def test_a_blueprint_draws_its_count_per_module_from_the_form(bank, learner):
    blueprint = Blueprint.objects.create(name="two per module")
    BlueprintRule.objects.create(blueprint=blueprint, module=1, count=2)
    BlueprintRule.objects.create(blueprint=blueprint, module=2, count=3)
    test = Assessment.objects.create(slug="pre", title_en="Pre", purpose="pre", blueprint=blueprint, form="A", published=True)

    attempt = services.attempt_start(user=learner, assessment=test, language="ru")

    drawn = list(attempt.answers.select_related("question"))
    modules = sorted(answer.question.module for answer in drawn)
    assert modules == [1, 1, 2, 2, 2]
    # form A: never the items marked B only
    assert not {"m1-multiple", "m2-ordering"} & {answer.question.key for answer in drawn}
    # in the learner's language, with one identity per item
    assert {answer.question.locale.language_code for answer in drawn} == {"ru"}
    assert {answer.question_key for answer in drawn} <= set(keys_by_slug().values())
    assert attempt.max_score == sum(answer.max_score for answer in drawn)


def test_a_blueprint_the_bank_cannot_fill_is_refused_and_creates_nothing(bank, learner):
    blueprint = Blueprint.objects.create(name="too many")
    BlueprintRule.objects.create(blueprint=blueprint, module=1, count=9)
    test = Assessment.objects.create(slug="big", title_en="Big", purpose="pre", blueprint=blueprint, published=True)
    with pytest.raises(errors.NotEnoughItems):
        services.attempt_start(user=learner, assessment=test, language="en")
    assert not Attempt.objects.exists()


def test_starting_again_resumes_the_open_attempt_with_the_same_items(fixed_test, learner):
    first = services.attempt_start(user=learner, assessment=fixed_test, language="tk")
    services.answer_save(user=learner, attempt_id=first.pk, position=1, response="b")
    again = services.attempt_start(user=learner, assessment=fixed_test, language="tk")
    assert again.pk == first.pk
    assert Attempt.objects.count() == 1
    assert again.answers.get(position=1).response == "b"


def test_window_and_attempt_limits(fixed_test, learner):
    now = timezone.now()
    fixed_test.opens_at = now + timedelta(days=1)
    fixed_test.save()
    with pytest.raises(errors.TestNotOpen):
        services.attempt_start(user=learner, assessment=fixed_test, language="en")
    fixed_test.opens_at, fixed_test.closes_at = now - timedelta(days=2), now - timedelta(days=1)
    fixed_test.save()
    with pytest.raises(errors.TestNotOpen):
        services.attempt_start(user=learner, assessment=fixed_test, language="en")
    fixed_test.closes_at = None
    fixed_test.save()
    attempt = services.attempt_start(user=learner, assessment=fixed_test, language="en")
    services.attempt_submit(attempt_id=attempt.pk, user=learner)
    with pytest.raises(errors.NoAttemptsLeft):
        services.attempt_start(user=learner, assessment=fixed_test, language="en")


def test_answers_are_validated_and_a_bad_one_changes_nothing(fixed_test, learner):
    attempt = services.attempt_start(user=learner, assessment=fixed_test, language="en")
    position = answers_of(attempt)["m1-single"].position
    services.answer_save(user=learner, attempt_id=attempt.pk, position=position, response="b")
    with pytest.raises(errors.BadResponse):
        services.answer_save(user=learner, attempt_id=attempt.pk, position=position, response="zzz")
    with pytest.raises(errors.BadResponse):
        services.answer_save(user=learner, attempt_id=attempt.pk, position=99, response="a")
    assert Answer.objects.get(attempt=attempt, position=position).response == "b"


def test_another_learner_cannot_answer_or_submit_my_attempt(fixed_test, learner, agency_a):
    other = person(username="other", roles=[Role.TRAINEE], agency=agency_a)
    attempt = services.attempt_start(user=learner, assessment=fixed_test, language="en")
    with pytest.raises(errors.BadResponse):
        services.answer_save(user=other, attempt_id=attempt.pk, position=1, response="a")
    with pytest.raises(errors.BadResponse):
        services.attempt_submit(attempt_id=attempt.pk, user=other)
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS


def test_submit_scores_every_kind_and_waits_for_the_rubric(fixed_test, learner):
    attempt = services.attempt_start(user=learner, assessment=fixed_test, language="en")
    items = answers_of(attempt)
    responses = {
        "m1-single": "b",  # right: 1 of 1
        "m1-multiple": ["a"],  # one of two right, no wrong: half of 2 points
        "m1-truefalse": True,  # wrong
        "m1-short": f"  {SECRET}PALERMO ",  # right after normalising
        "m2-matching": {"1": "x", "2": "x"},  # one of two
        "m2-ordering": ["k1", "k3", "k2"],  # one of three at its place
        "m2-case": {"act": ["recruitment"], "part": ["2"], "aggravations": []},  # all three elements right: 3
        "m2-rubric": "The central authority of Turkmenistan asks ...",
    }
    for key, response in responses.items():
        services.answer_save(user=learner, attempt_id=attempt.pk, position=items[key].position, response=response)

    attempt = services.attempt_submit(attempt_id=attempt.pk, user=learner)
    scores = {key: answer.score for key, answer in answers_of(attempt).items()}
    assert scores["m1-single"] == Decimal("1.00")
    assert scores["m1-multiple"] == Decimal("1.00")
    assert scores["m1-truefalse"] == Decimal("0.00")
    assert scores["m1-short"] == Decimal("1.00")
    assert scores["m2-matching"] == Decimal("0.50")
    assert scores["m2-ordering"] == Decimal("0.33")
    assert scores["m2-case"] == Decimal("3.00")
    assert scores["m2-rubric"] is None
    assert attempt.state == Attempt.State.AWAITING_GRADING
    assert attempt.score is None

    trainer = person(username="grader", roles=[Role.TRAINER])
    services.rubric_grade(answer_id=items["m2-rubric"].pk, awards={"authority": 2, "facts": 1}, grader=trainer)
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.GRADED
    # 1 + 1 + 0 + 1 + 0.5 + 0.33 + 3 + 3 (3 of 4 criterion points of 4)
    assert attempt.score == Decimal("9.83")
    change = ScoreChange.objects.get(answer=items["m2-rubric"])
    assert (change.reason, change.old_score, change.new_score, change.actor) == ("graded", None, Decimal("3.00"), trainer)


def test_grading_outside_a_criterion_range_is_refused(fixed_test, learner):
    attempt = services.attempt_start(user=learner, assessment=fixed_test, language="en")
    rubric = answers_of(attempt)["m2-rubric"]
    services.answer_save(user=learner, attempt_id=attempt.pk, position=rubric.position, response="text")
    services.attempt_submit(attempt_id=attempt.pk, user=learner)
    with pytest.raises(errors.GradingRefused):
        services.rubric_grade(answer_id=rubric.pk, awards={"authority": 3, "facts": 0}, grader=learner)
    rubric.refresh_from_db()
    assert rubric.needs_grading and rubric.score is None
    assert not ScoreChange.objects.exists()


def test_submit_twice_counts_once(fixed_test, learner):
    attempt = services.attempt_start(user=learner, assessment=fixed_test, language="en")
    services.answer_save(user=learner, attempt_id=attempt.pk, position=answers_of(attempt)["m1-single"].position, response="b")
    first = services.attempt_submit(attempt_id=attempt.pk, user=learner)
    second = services.attempt_submit(attempt_id=attempt.pk, user=learner, now=timezone.now() + timedelta(minutes=5))
    assert second.submitted_at == first.submitted_at
    assert Attempt.objects.get().state == first.state
    with pytest.raises(errors.AttemptClosed):
        services.answer_save(user=learner, attempt_id=attempt.pk, position=1, response="a")


# serialized_rollback: the flush after this test then leaves the database as the other tests expect
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_submits_count_once(fixed_test, learner):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) are what this checks: PostgreSQL only")
    attempt = services.attempt_start(user=learner, assessment=fixed_test, language="en")
    services.answer_save(user=learner, attempt_id=attempt.pk, position=answers_of(attempt)["m1-single"].position, response="b")
    barrier = threading.Barrier(2)
    results = []

    def submit():
        from django.db import connections

        barrier.wait()
        try:
            results.append(services.attempt_submit(attempt_id=attempt.pk, user=learner).submitted_at)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2 and results[0] == results[1]
    assert Attempt.objects.get().state != Attempt.State.IN_PROGRESS


def test_time_limit_is_enforced_by_the_server(fixed_test, learner):
    fixed_test.time_limit_minutes = 10
    fixed_test.save()
    start = timezone.now() - timedelta(minutes=30)
    attempt = services.attempt_start(user=learner, assessment=fixed_test, language="en", now=start)
    position = answers_of(attempt)["m1-single"].position
    services.answer_save(user=learner, attempt_id=attempt.pk, position=position, response="b", now=start + timedelta(minutes=5))
    with pytest.raises(errors.AttemptClosed):
        services.answer_save(user=learner, attempt_id=attempt.pk, position=position, response="a")
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.AWAITING_GRADING or attempt.state == Attempt.State.SUBMITTED
    assert attempt.closed_by_timer
    assert attempt.submitted_at == attempt.deadline
    assert attempt.answers.get(position=position).response == "b"  # what was saved counts


def test_overdue_attempts_are_closed_by_the_command(fixed_test, learner):
    from django.core.management import call_command

    fixed_test.time_limit_minutes = 10
    fixed_test.save()
    services.attempt_start(user=learner, assessment=fixed_test, language="en", now=timezone.now() - timedelta(hours=1))
    call_command("close_overdue_attempts", verbosity=0)
    attempt = Attempt.objects.get()
    assert attempt.state != Attempt.State.IN_PROGRESS and attempt.closed_by_timer


def test_regrading_after_a_key_correction_is_audited(fixed_test, learner):
    attempt = services.attempt_start(user=learner, assessment=fixed_test, language="ru")
    single = answers_of(attempt)["m1-single"]
    services.answer_save(user=learner, attempt_id=attempt.pk, position=single.position, response="a")
    services.attempt_submit(attempt_id=attempt.pk, user=learner)
    for question in Question.objects.filter(key="m1-single"):
        question.data = {**question.data, "correct": "a"}
        question.save()
    editor = person(username="ed", roles=[Role.EDITOR])
    assert services.question_regrade(question_key=single.question_key, actor=editor, note="key was b") == 1
    single.refresh_from_db()
    assert single.score == Decimal("1.00")
    change = ScoreChange.objects.get(answer=single)
    assert (change.reason, change.old_score, change.new_score, change.note) == ("regraded", Decimal("0.00"), Decimal("1.00"), "key was b")


# --- pages ----------------------------------------------------------------------------------------------


def test_the_open_attempt_never_shows_the_key(client, fixed_test, learner):
    client.force_login(learner)
    with translation.override("ru"):
        response = client.post(reverse("assessments:start", args=[fixed_test.slug]))
        attempt = Attempt.objects.get()
        assert response.url == reverse("assessments:take", args=[attempt.pk])
    page = client.get(response.url).content.decode()
    assert "ru prompt of m1-single" in page  # the language the learner took the test in
    assert SECRET not in page
    position = answers_of(attempt)["m1-single"].position
    saved = client.post(reverse("assessments:autosave", args=[attempt.pk]), {"position": position, f"q{position}": "a"})
    assert saved.status_code == 200 and saved.json() == {"saved": True, "position": position, "answered": True, "flagged": False}
    assert SECRET not in saved.content.decode()
    assert "correct" not in json.dumps(saved.json())


def test_the_form_works_without_javascript_and_submits(client, fixed_test, learner):
    client.force_login(learner)
    attempt = services.attempt_start(user=learner, assessment=fixed_test, language="en")
    items = answers_of(attempt)
    case = items["m2-case"].position
    order = items["m2-ordering"].position
    post = {
        f"q{items['m1-single'].position}": "b",
        f"q{items['m1-multiple'].position}": ["a", "c"],
        f"q{items['m1-truefalse'].position}": "false",
        f"q{case}-act": "recruitment",
        f"q{case}-part": "2",
        f"q{order}-k1": "1",
        f"q{order}-k2": "2",
        f"q{order}-k3": "3",
        "save": "",
    }
    assert client.post(reverse("assessments:take", args=[attempt.pk]), post).status_code == 302
    saved = answers_of(attempt)
    assert saved["m1-multiple"].response == ["a", "c"]
    assert saved["m2-case"].response == {"act": ["recruitment"], "part": ["2"], "aggravations": []}
    assert saved["m2-ordering"].response == ["k1", "k2", "k3"]
    assert saved["m1-short"].response is None

    response = client.post(reverse("assessments:take", args=[attempt.pk]), {**post, "submit": ""})
    assert response.url == reverse("assessments:summary", args=[attempt.pk])  # check, then confirm
    response = client.post(reverse("assessments:submit", args=[attempt.pk]), {"confirm": "yes"})
    assert response.url == reverse("assessments:review", args=[attempt.pk])
    review = client.get(response.url).content.decode()
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED  # the open response was left empty: nothing to grade
    assert f"{SECRET} part explained" in review  # review after submitting is this test's policy


def test_a_bad_ordering_in_the_form_saves_nothing(client, fixed_test, learner):
    client.force_login(learner)
    attempt = services.attempt_start(user=learner, assessment=fixed_test, language="en")
    items = answers_of(attempt)
    order = items["m2-ordering"].position
    post = {f"q{items['m1-single'].position}": "b", f"q{order}-k1": "1", f"q{order}-k2": "1", f"q{order}-k3": "2", "save": ""}
    response = client.post(reverse("assessments:take", args=[attempt.pk]), post)
    assert response.status_code == 400
    assert not Answer.objects.filter(attempt=attempt, response__isnull=False).exists()


def test_score_only_review_keeps_the_key_after_submitting(client, fixed_test, learner):
    fixed_test.review = Assessment.Review.SCORE_ONLY
    fixed_test.save()
    client.force_login(learner)
    attempt = services.attempt_start(user=learner, assessment=fixed_test, language="en")
    services.attempt_submit(attempt_id=attempt.pk, user=learner)
    page = client.get(reverse("assessments:review", args=[attempt.pk])).content.decode()
    assert SECRET not in page


def test_someone_elses_attempt_does_not_exist_for_me(client, fixed_test, learner, agency_a):
    attempt = services.attempt_start(user=learner, assessment=fixed_test, language="en")
    client.force_login(person(username="nosy", roles=[Role.TRAINEE], agency=agency_a))
    for name in ("take", "review"):
        assert client.get(reverse(f"assessments:{name}", args=[attempt.pk])).status_code == 404
    assert client.post(reverse("assessments:autosave", args=[attempt.pk]), {"position": 1, "q1": "a"}).status_code == 404


def test_autosave_costs_the_same_queries_however_long_the_test(client, fixed_test, learner, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # as in production
    client.force_login(learner)
    attempt = services.attempt_start(user=learner, assessment=fixed_test, language="en")
    position = answers_of(attempt)["m1-single"].position
    url = reverse("assessments:autosave", args=[attempt.pk])
    client.post(url, {"position": position, f"q{position}": "a"})
    with CaptureQueriesContext(connection) as small:
        client.post(url, {"position": position, f"q{position}": "b"})
    # the same test with its items doubled costs the same
    for question in Question.objects.filter(locale__language_code="en"):
        for copy in range(1, 3):
            clone = Question.objects.create(
                key=f"{question.key}-{copy}", kind=question.kind, title=question.title, prompt=question.prompt,
                points=question.points, module=question.module, data=question.data, locale=question.locale,
            )
            Answer.objects.create(attempt=attempt, position=100 + clone.pk, question=clone, question_key=clone.translation_key, max_score=clone.points)
    client.post(url, {"position": position, f"q{position}": "b"})  # new questions forgot the cached items
    with CaptureQueriesContext(connection) as large:
        client.post(url, {"position": position, f"q{position}": "a"})
    assert len(large) == len(small)
    # session, user and the item (with its attempt and question) from the cache: one conditional update
    assert len(small) == 1, [query["sql"][:80] for query in small.captured_queries]
    assert small.captured_queries[0]["sql"].startswith("UPDATE")


def test_autosave_after_the_submit_is_refused_though_the_item_is_cached(client, fixed_test, learner):
    client.force_login(learner)
    attempt = services.attempt_start(user=learner, assessment=fixed_test, language="en")
    position = answers_of(attempt)["m1-single"].position
    url = reverse("assessments:autosave", args=[attempt.pk])
    assert client.post(url, {"position": position, f"q{position}": "a"}).status_code == 200
    services.attempt_submit(attempt_id=attempt.pk, user=learner)
    response = client.post(url, {"position": position, f"q{position}": "b"})
    assert response.status_code == 409
    assert response.json()["closed"] is True
    assert Answer.objects.get(attempt=attempt, position=position).response == "a"


def test_autosave_validates_against_an_edited_question(client, fixed_test, learner):
    client.force_login(learner)
    attempt = services.attempt_start(user=learner, assessment=fixed_test, language="en")
    answer = answers_of(attempt)["m1-single"]
    url = reverse("assessments:autosave", args=[attempt.pk])
    assert client.post(url, {"position": answer.position, f"q{answer.position}": "b"}).status_code == 200
    question = answer.question
    question.data = {**question.data, "options": [o for o in question.data["options"] if o["key"] != "b"]}
    question.save()
    assert client.post(url, {"position": answer.position, f"q{answer.position}": "b"}).status_code == 400
