"""Knowledge checks in lessons: questions from the bank, scored on the server, feedback, retry, completion."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from assessments import knowledge_checks
from assessments.models import Answer, Attempt, KnowledgeCheckResult
from courses.models import LessonPage, LessonProgress
from lms.people.roles import Role
from tests.assessments.bank import SECRET, bank_load
from tests.assessments.helpers import set_check
from tests.factories import person

pytestmark = pytest.mark.django_db

ALL_KINDS = ["m1-single", "m1-multiple", "m1-truefalse", "m1-short", "m2-matching", "m2-ordering", "m2-case", "m2-rubric"]


def lesson_in(language, slug="definitions-one"):
    lesson = LessonPage.objects.get(slug=slug, locale__language_code="en")
    return lesson if language == "en" else lesson.get_translation(lesson.locale.__class__.objects.get(language_code=language))


@pytest.fixture
def bank():
    return bank_load()


@pytest.fixture
def trainee(agency_a):
    return person(username="learner", roles=[Role.TRAINEE], agency=agency_a)


@pytest.fixture
def checked(curriculum, bank):
    """The English lesson definitions-one with a check of every kind (answer every question)."""
    return set_check(lesson_in("en"), questions=ALL_KINDS, completion="answer")


def post_url(lesson, block_id):
    return f"/en/tests/check/{lesson.pk}/{block_id}/"


RIGHT = {"q1": "b", "q2": ["a", "c"], "q3": "false", "q4": f"{SECRET}palermo", "q5-1": "x", "q5-2": "y",
         "q6-k1": "1", "q6-k2": "2", "q6-k3": "3", "q7-act": "recruitment", "q7-part": "2"}


def html_of(client, lesson):
    response = client.get(lesson.url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_check_renders_its_questions_and_never_the_key_or_a_placeholder(client, checked, trainee):
    lesson, block_id = checked
    client.force_login(trainee)
    html = html_of(client, lesson)
    assert "will appear here" not in html
    for key in ("m1-single", "m1-multiple", "m1-truefalse", "m1-short", "m2-matching", "m2-ordering", "m2-case"):
        assert f"en prompt of {key}" in html
    # open responses need a trainer: a check never asks them
    assert "en prompt of m2-rubric" not in html
    assert SECRET not in html
    assert f'action="{post_url(lesson, block_id)}"' in html
    assert "<fieldset" in html and "<legend" in html
    # the "Mark as done" button gives way to the check that completes the lesson
    assert 'data-action="mark-done"' not in html
    assert f'href="#check-{block_id}"' in html


def test_right_answers_score_full_marks_show_feedback_and_complete_the_lesson(client, checked, trainee):
    lesson, block_id = checked
    client.force_login(trainee)
    response = client.post(post_url(lesson, block_id), {**RIGHT, "next": lesson.url})
    assert response.status_code == 302
    assert response["Location"] == f"{lesson.url}#check-{block_id}-result"
    result = KnowledgeCheckResult.objects.get(user=trainee)
    assert (result.score, result.max_score, result.passed, result.attempts) == (Decimal(10), Decimal(10), True, 1)
    assert result.answers[str(_key("m1-multiple"))]["response"] == ["a", "c"]
    assert LessonProgress.objects.filter(user=trainee, lesson_key=lesson.translation_key, source="activity").exists()
    html = html_of(client, lesson)
    assert html.count("check-feedback--right") == 7
    assert "Your answer is correct." in html
    # the general feedback of each question is shown once answered; the option feedback of the chosen one too
    assert f"{SECRET} general feedback of m1-single" in html
    assert f"{SECRET} why B" in html
    assert f"{SECRET} why A" in html  # m1-multiple: A was chosen


def _key(question_key):
    from assessments.models import Question

    return Question.objects.get(key=question_key, locale__language_code="en").translation_key


@pytest.mark.parametrize(
    ("fields", "question", "status", "score"),
    [
        ({"q1": "a"}, "m1-single", "wrong", "0.00"),
        ({"q2": ["a"]}, "m1-multiple", "partly", "1.00"),  # right minus wrong: 1/2 of 2 points
        ({"q2": ["a", "b", "c"]}, "m1-multiple", "wrong", "0.00"),  # 2/2 right minus 1/1 wrong
        ({"q3": "true"}, "m1-truefalse", "wrong", "0.00"),
        ({"q4": f"  {SECRET}PALERMO. "}, "m1-short", "right", "1.00"),
        ({"q4": "Vienna"}, "m1-short", "wrong", "0.00"),
        ({"q5-1": "x", "q5-2": "x"}, "m2-matching", "partly", "0.50"),
        ({"q6-k1": "1", "q6-k2": "3", "q6-k3": "2"}, "m2-ordering", "partly", "0.33"),
        ({"q7-act": "recruitment", "q7-part": "1"}, "m2-case", "partly", "2.00"),
        ({}, "m1-single", "unanswered", "0.00"),
    ],
)
def test_each_kind_is_scored_with_feedback(client, checked, trainee, fields, question, status, score):
    lesson, block_id = checked
    client.force_login(trainee)
    assert client.post(post_url(lesson, block_id), fields).status_code == 302
    result = KnowledgeCheckResult.objects.get(user=trainee)
    given = result.answers[str(_key(question))]
    assert given["score"] == score
    items = knowledge_checks.knowledge_check_view(
        check=lesson.body[[b.block_type for b in lesson.body].index("knowledge_check")].value,
        block_id=block_id, language="en", user=trainee, lesson_key=lesson.translation_key,
    ).items
    item = next(item for item in items if item.question.key == question)
    assert item.status == status
    if status != "unanswered":
        assert f"{SECRET} general feedback of {question}" in "".join(item.feedback)
    if question == "m2-case":
        # the explanation of the element answered wrongly, not of the one answered right
        assert any("part explained" in text for text in item.feedback)
        assert not any("act explained" in text for text in item.feedback)
    # not every question answered: the check is not satisfied and the lesson not done
    assert result.passed is False
    assert not LessonProgress.objects.filter(user=trainee).exists()


def test_a_retry_replaces_the_answers_and_counts_the_tries(client, checked, trainee):
    lesson, block_id = checked
    client.force_login(trainee)
    client.post(post_url(lesson, block_id), {"q1": "a"})
    first = KnowledgeCheckResult.objects.get(user=trainee)
    assert (first.score, first.passed, first.attempts) == (Decimal(0), False, 1)
    html = html_of(client, lesson)
    assert "check-feedback--wrong" in html and "Check my answers again" in html
    assert 'value="a" checked' in html  # the last answer is shown again
    client.post(post_url(lesson, block_id), RIGHT)
    again = KnowledgeCheckResult.objects.get(user=trainee)
    assert (again.score, again.passed, again.attempts) == (Decimal(10), True, 2)
    assert KnowledgeCheckResult.objects.count() == 1


def test_pass_mark_rule(client, curriculum, bank, trainee):
    lesson, block_id = set_check(lesson_in("en"), questions=["m1-single", "m1-truefalse", "m1-short"], completion="pass", pass_mark=60)
    client.force_login(trainee)
    # one of three right: 33% < 60%, though every question is answered
    client.post(post_url(lesson, block_id), {"q1": "b", "q2": "true", "q3": "x"})
    assert KnowledgeCheckResult.objects.get(user=trainee).passed is False
    assert not LessonProgress.objects.filter(user=trainee).exists()
    assert "Not yet enough" in html_of(client, lesson)
    # two of three: 67% >= 60%, the third left open
    client.post(post_url(lesson, block_id), {"q1": "b", "q2": "false"})
    assert KnowledgeCheckResult.objects.get(user=trainee).passed is True
    assert LessonProgress.objects.filter(user=trainee, lesson_key=lesson.translation_key).exists()


def test_answer_every_question_rule_needs_no_right_answers(client, curriculum, bank, trainee):
    lesson, block_id = set_check(lesson_in("en"), questions=["m1-single", "m1-truefalse"], completion="answer")
    client.force_login(trainee)
    client.post(post_url(lesson, block_id), {"q1": "a"})
    assert not LessonProgress.objects.filter(user=trainee).exists()
    client.post(post_url(lesson, block_id), {"q1": "a", "q2": "true"})
    result = KnowledgeCheckResult.objects.get(user=trainee)
    assert result.score == 0 and result.passed is True
    assert LessonProgress.objects.filter(user=trainee, lesson_key=lesson.translation_key).exists()


def test_an_optional_check_keeps_the_done_button_and_never_completes(client, curriculum, bank, trainee):
    lesson, block_id = set_check(lesson_in("en"), questions=["m1-single"], completion="none")
    client.force_login(trainee)
    assert 'data-action="mark-done"' in html_of(client, lesson)
    client.post(post_url(lesson, block_id), {"q1": "b"})
    assert not LessonProgress.objects.filter(user=trainee).exists()
    assert client.post(f"/en/learn/lesson/{lesson.pk}/done/").status_code == 302
    assert LessonProgress.objects.filter(user=trainee, source="manual").exists()


def test_a_lesson_with_a_required_check_cannot_be_marked_done_by_hand(client, checked, trainee):
    lesson, _block_id = checked
    client.force_login(trainee)
    client.post(f"/en/learn/lesson/{lesson.pk}/done/")
    assert not LessonProgress.objects.filter(user=trainee).exists()


def test_questions_are_drawn_by_module_and_objective(curriculum, bank):
    questions = knowledge_checks.knowledge_check_questions(
        check={"module": 2, "count": 10}, block_id="b1", language="ru"
    )
    # matching, ordering, case; the rubric is never drawn
    assert sorted(q.key for q in questions) == ["m2-case", "m2-matching", "m2-ordering"]
    assert {q.locale.language_code for q in questions} == {"ru"}
    two = knowledge_checks.knowledge_check_questions(check={"module": 1, "count": 2}, block_id="b1", language="en")
    assert len(two) == 2
    # the draw is fixed by the block: the same for every learner and language
    assert [q.key for q in two] == [
        q.key for q in knowledge_checks.knowledge_check_questions(check={"module": 1, "count": 2}, block_id="b1", language="tk")
    ]
    by_objective = knowledge_checks.knowledge_check_questions(check={"objective": "m1-objective", "count": 20}, block_id="b", language="en")
    assert {q.key for q in by_objective} == {"m1-single", "m1-multiple", "m1-truefalse", "m1-short"}


def test_questions_are_asked_in_the_page_language_with_fallback_to_the_source(client, curriculum, bank, trainee):
    from assessments.models import Question

    # the Turkmen version of one question is missing: the English one stands in
    Question.objects.filter(key="m1-truefalse", locale__language_code="tk").delete()
    for language in ("ru", "tk"):
        set_check(lesson_in(language), questions=["m1-single", "m1-truefalse"])
    client.force_login(trainee)
    ru = html_of(client, lesson_in("ru"))
    assert "ru prompt of m1-single" in ru and "ru prompt of m1-truefalse" in ru
    tk = html_of(client, lesson_in("tk"))
    assert "tk prompt of m1-single" in tk and "en prompt of m1-truefalse" in tk
    # the answer given in Turkmen is kept under the question's one identity
    tk_lesson = lesson_in("tk")
    block_id = next(item["id"] for item in tk_lesson.body.raw_data if item["type"] == "knowledge_check")
    client.post(f"/tk/tests/check/{tk_lesson.pk}/{block_id}/", {"q1": "b", "q2": "false"})
    result = KnowledgeCheckResult.objects.get(user=trainee)
    assert result.language == "tk" and result.lesson_key == tk_lesson.translation_key
    assert set(result.answers) == {str(_key("m1-single")), str(_key("m1-truefalse"))}


def test_the_form_posts_without_javascript_and_redirects_to_the_feedback(client, checked, trainee):
    lesson, block_id = checked
    client.force_login(trainee)
    response = client.post(post_url(lesson, block_id), RIGHT, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"#check-{block_id}-result")
    html = response.content.decode()
    assert 'role="status"' in html and "10 of 10 points (100%)" in html


def test_only_who_may_see_the_lesson_may_answer(client, checked, trainee):
    lesson, block_id = checked
    # not signed in: to the login page, nothing stored
    response = client.post(post_url(lesson, block_id), RIGHT)
    assert response.status_code == 302 and "login" in response["Location"]
    # a lesson restricted to a group the learner is not in
    group = Group.objects.create(name="Judges only")
    restriction = PageViewRestriction.objects.create(page=lesson, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    client.force_login(trainee)
    assert client.post(post_url(lesson, block_id), RIGHT).status_code == 404
    # an unpublished lesson
    restriction.delete()
    lesson.unpublish()
    assert client.post(post_url(lesson, block_id), RIGHT).status_code == 404
    assert not KnowledgeCheckResult.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"q1": "zz"},  # an option the question does not have
        {"q2": ["a", "nope"]},
        {"q5-1": "nope"},
        {"q7-part": ["1", "2"]},  # two options for a single-choice element
        {"q4": "x" * 600},  # longer than a short answer may be
        {"q6-k1": "one", "q6-k2": "2", "q6-k3": "3"},  # not a position: a tampered form
    ],
)
def test_hostile_answers_are_refused_with_400_and_store_nothing(client, checked, trainee, fields):
    lesson, block_id = checked
    client.force_login(trainee)
    response = client.post(post_url(lesson, block_id), fields)
    assert response.status_code in (302, 400)
    if response.status_code == 302:  # the ordering slip is a learner's mistake: a message, not a 400
        assert "q6-k1" in fields
    assert not KnowledgeCheckResult.objects.exists()


def test_two_items_in_one_place_are_a_message_not_an_error(client, checked, trainee):
    lesson, block_id = checked
    client.force_login(trainee)
    response = client.post(post_url(lesson, block_id), {"q6-k1": "1", "q6-k2": "1", "q6-k3": "2"}, follow=True)
    assert response.status_code == 200
    assert "different position" in response.content.decode()
    assert not KnowledgeCheckResult.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/en/tests/check/99999999999999999999999/abc/",
        "/en/tests/check/{pk}/unknown-block/",
        "/en/tests/check/{pk}/" + "x" * 300 + "/",
    ],
)
def test_unknown_lessons_and_checks_are_404_not_500(client, checked, trainee, path):
    lesson, _block_id = checked
    client.force_login(trainee)
    assert client.post(path.format(pk=lesson.pk), RIGHT).status_code == 404


def test_get_is_not_allowed(client, checked, trainee):
    lesson, block_id = checked
    client.force_login(trainee)
    assert client.get(post_url(lesson, block_id)).status_code == 405


def test_check_results_never_reach_attempts_or_knowledge_gain(client, checked, trainee, manager):
    """Formative: answering a check changes no attempt or answer, and the gain report reads the same."""
    from lms.reports import selectors as reports

    lesson, block_id = checked

    def gain_figures():
        attempts = reports.scoped_attempts(user=manager, filters=reports.Filters())
        return reports.attempt_frame(attempts=attempts).to_dict(), reports.answer_frame(attempts=attempts).to_dict()

    before = (Attempt.objects.count(), Answer.objects.count(), gain_figures())
    client.force_login(trainee)
    client.post(post_url(lesson, block_id), RIGHT)
    assert KnowledgeCheckResult.objects.filter(user=trainee).exists()
    assert (Attempt.objects.count(), Answer.objects.count(), gain_figures()) == before


def test_no_analytics_or_certification_code_reads_check_results():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    readers = [root / "assessments" / "analytics.py", *sorted((root / "lms").rglob("*.py"))]
    offenders = [str(path) for path in readers if "KnowledgeCheckResult" in path.read_text(encoding="utf-8")]
    assert offenders == []


def test_a_check_without_questions_shows_nothing_and_blocks_nothing(client, curriculum, trainee):
    lesson = lesson_in("en")
    client.force_login(trainee)
    html = html_of(client, lesson)
    assert "will appear here" not in html
    assert "data-knowledge-check" not in html
    assert 'data-action="mark-done"' in html


def test_the_check_is_rendered_per_learner_while_the_rest_of_the_body_is_cached(client, checked, trainee, agency_a):
    lesson, block_id = checked
    other = person(username="other", roles=[Role.TRAINEE], agency=agency_a)
    client.force_login(trainee)
    client.post(post_url(lesson, block_id), {"q1": "a"})
    assert "check-feedback--wrong" in html_of(client, lesson)
    client.force_login(other)
    html = html_of(client, lesson)
    assert "check-feedback" not in html
    assert "English one paragraph one." in html
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert tokens
