"""The numerical kind (assessments/kinds/numerical.py): data, responses, scores, the editor, paper, and GIFT
``{#…}`` and Moodle XML ``<question type="numerical">`` in and back out."""

from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from assessments import kinds, paper, services
from assessments.admin_forms import QuestionDataEditor
from assessments.interchange import questions_from_gift, questions_from_moodle_xml, questions_to_gift, questions_to_moodle_xml
from assessments.models import Assessment, AssessmentItem, Question
from assessments.scoring import QuestionDataError, ResponseError, question_data_validate, response_score, response_validate
from assessments.seed import question_bank_seed
from lms.people.roles import Role
from tests.factories import person

D = Decimal
PI = {"answers": [{"value": 3.14, "tolerance": 0.01, "feedback": "Right."}, {"min": 3, "max": 3.3, "weight": 50, "feedback": "Close."}]}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def score(data, response, points="2"):
    return response_score(kind="numerical", data=data, points=D(points), response=response)


def problems(data):
    with pytest.raises(QuestionDataError) as error:
        question_data_validate(kind="numerical", data=data)
    return [str(message) for message in error.value.messages]


# --- data, responses, scores -------------------------------------------------------------------------


def test_valid_shapes():
    for data in (PI, {"answers": [{"value": 18}]}, {"answers": [{"min": "1", "max": "5"}]}, {"answers": [{"value": -2.5, "tolerance": 0}]}):
        question_data_validate(kind="numerical", data=data)


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"answers": []}, "Add at least one answer."),
        ({"answers": [{"value": 3, "weight": 50}]}, "At least one answer must earn all the points (weight 100)."),
        ({"answers": [{"min": 5, "max": 1}]}, "Answer 1 needs a number with a tolerance of 0 or more, or a range from a lower to a higher number."),
        ({"answers": [{"value": 3, "tolerance": -1}]}, "Answer 1 needs a number with a tolerance of 0 or more, or a range from a lower to a higher number."),
        ({"answers": [{"value": "three"}]}, "Answer 1 needs a number with a tolerance of 0 or more, or a range from a lower to a higher number."),
        ({"answers": [{"value": 3, "weight": 150}]}, "Answer 1: the weight must be more than 0 and at most 100."),
        ({"answers": "3"}, "“answers” must be a list."),
    ],
)
def test_invalid_shapes_are_named(data, expected):
    assert expected in problems(data)


@pytest.mark.parametrize(
    "typed, stored",
    [("3.14", "3.14"), (" 3,14 ", "3.14"), ("-2", "-2"), ("1 000.5", "1000.5"), (18, "18"), (2.5, "2.5"), ("", None), ("   ", None)],
)
def test_responses_are_numbers_as_decimal_strings(typed, stored):
    assert response_validate(kind="numerical", data=PI, response=typed) == stored


@pytest.mark.parametrize("typed", ["three", "3.1.4", "1,000,5", "nan", "inf", True, ["3"], "9" * 41])
def test_other_responses_are_refused_with_a_message(typed):
    with pytest.raises(ResponseError) as error:
        response_validate(kind="numerical", data=PI, response=typed)
    assert str(error.value.message) == "Enter a number, for example 12 or 3.5."


@pytest.mark.parametrize(
    "response, points, fraction",
    [
        ("3.14", "2.00", "1"),  # exact
        ("3.15", "2.00", "1"),  # at the edge of the tolerance: included
        ("3.13", "2.00", "1"),
        ("3.151", "1.00", "0.5"),  # outside the tolerance, inside the 50% range
        ("3", "1.00", "0.5"),  # the range's ends are included
        ("3.3", "1.00", "0.5"),
        ("3.31", "0.00", "0"),
        ("-3.14", "0.00", "0"),
    ],
)
def test_the_best_answer_the_number_falls_within_scores(response, points, fraction):
    result = score(PI, response)
    assert (result.score, result.fraction, result.parts) == (D(points), D(fraction), {"answer": D(fraction)})


def test_not_answered_scores_nothing_and_feedback_follows_the_answer_matched():
    assert score(PI, None).parts == {} and score(PI, None).score == D("0.00")
    kind = kinds.get("numerical")
    assert kind.feedback(PI, "3.14", {}) == ["Right."]
    assert kind.feedback(PI, "3.2", {}) == ["Close."]
    assert kind.feedback(PI, "9", {}) == []
    assert kind.key_view(PI) == {"correct": ["3.14 ± 0.01", "3 – 3.3 (50%)"]}


# --- paper ---------------------------------------------------------------------------------------------


def test_a_paper_cell_holds_the_number_as_written():
    assert "numerical" in paper.paper_kinds()
    cell = paper.cell_response(kind="numerical", data=PI, text=" 3,14 ")
    assert response_validate(kind="numerical", data=PI, response=cell) == "3.14"
    with pytest.raises(ValueError, match="Enter a number"):
        paper.cell_response(kind="numerical", data=PI, text="pi")


# --- the editor (the case editor beside it reads the legal provisions: a database) ----------------------


def editor_post(editor):
    """The numerical editor's fields as the page renders them (the other kinds' fields are not needed)."""
    data = QueryDict(mutable=True)
    answers = editor.editors["numerical"].answers
    for field in answers.management_form:
        data[field.html_name] = str(field.value())
    for form in answers.forms:
        for field in form:
            shown = field.field.widget.format_value(field.value())
            data[field.html_name] = "" if shown is None else str(shown)
    return data


@pytest.mark.django_db
def test_opening_and_saving_keeps_the_data():
    shown = QuestionDataEditor(data=None, kind="numerical", stored_kind="numerical", stored=PI)
    bound = QuestionDataEditor(data=editor_post(shown), kind="numerical", stored_kind="numerical", stored=PI)
    assert bound.clean("numerical") == PI


@pytest.mark.django_db
def test_a_new_question_is_built_from_rows_and_needs_a_full_answer():
    shown = QuestionDataEditor(data=None, kind="numerical", stored_kind="", stored={})
    data = editor_post(shown)
    data.update({"qdata-numerical-answers-0-value": "18", "qdata-numerical-answers-0-weight": "100"})
    data.update({"qdata-numerical-answers-1-value": "16", "qdata-numerical-answers-1-upper": "17", "qdata-numerical-answers-1-weight": "25"})
    bound = QuestionDataEditor(data=data, kind="numerical", stored_kind="", stored={})
    assert bound.clean("numerical") == {"answers": [{"value": 18}, {"min": 16, "max": 17, "weight": 25}]}
    data["qdata-numerical-answers-0-weight"] = "50"
    bound = QuestionDataEditor(data=data, kind="numerical", stored_kind="", stored={})
    assert bound.clean("numerical") is None
    assert [str(error) for error in bound.editors["numerical"].answers.non_form_errors()] == ["At least one answer must earn all the points (weight 100)."]


@pytest.mark.django_db
def test_a_reversed_range_is_refused_next_to_its_field():
    shown = QuestionDataEditor(data=None, kind="numerical", stored_kind="", stored={})
    data = editor_post(shown)
    data.update({"qdata-numerical-answers-0-value": "5", "qdata-numerical-answers-0-upper": "1", "qdata-numerical-answers-0-weight": "100"})
    bound = QuestionDataEditor(data=data, kind="numerical", stored_kind="", stored={})
    assert bound.clean("numerical") is None
    assert bound.editors["numerical"].answers.forms[0].errors["upper"] == ["The end of the range must not be below its start."]


# --- GIFT ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, data",
    [
        ("{#3.14:0.01}", {"answers": [{"value": 3.14, "tolerance": 0.01}]}),
        ("{#2000}", {"answers": [{"value": 2000}]}),
        ("{#1..5}", {"answers": [{"min": 1, "max": 5}]}),
        ("{#=%100%3.14:0.01#Right =%50%3.1:0.1#Close}", {"answers": [{"value": 3.14, "tolerance": 0.01, "feedback": "Right"}, {"value": 3.1, "tolerance": 0.1, "weight": 50, "feedback": "Close"}]}),
        ("{#\n=1822:0 # Full credit.\n=%50%1822:2 # Half credit.\n}", {"answers": [{"value": 1822, "feedback": "Full credit."}, {"value": 1822, "tolerance": 2, "weight": 50, "feedback": "Half credit."}]}),
        ("{#-5:1}", {"answers": [{"value": -5, "tolerance": 1}]}),
    ],
)
def test_gift_numerical_imports_and_exports_back(answer, data):
    result = questions_from_gift(f"::N::How much? {answer}")
    assert result.errors == [] and result.warnings == []
    [question] = result.questions
    assert (question["kind"], question["data"]) == ("numerical", data)
    again = questions_from_gift(questions_to_gift([question]))
    assert again.errors == [] and again.questions == [question]


def test_gift_numerical_without_a_right_answer_or_with_a_non_number_is_refused_and_wrong_answers_dropped():
    result = questions_from_gift("::A::? {#three}\n\n::B::? {#=%50%3}\n\n::C::? {#=3 ~2#Too small}")
    assert [(issue.index, issue.code) for issue in result.errors] == [(1, "numerical_bad_number"), (2, "missing_correct")]
    assert [(issue.index, issue.code) for issue in result.warnings] == [(3, "numerical_answer_dropped")]
    assert [question["data"] for question in result.questions] == [{"answers": [{"value": 3}]}]


# --- Moodle XML ----------------------------------------------------------------------------------------

MOODLE = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="numerical">
    <name><text>Year</text></name>
    <questiontext format="html"><text><![CDATA[<p>When was the Protocol adopted?</p>]]></text></questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <defaultgrade>2.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <answer fraction="100" format="moodle_auto_format">
      <text>2000</text>
      <feedback format="html"><text>Right: 15 November 2000.</text></feedback>
      <tolerance>0</tolerance>
    </answer>
    <answer fraction="50" format="moodle_auto_format">
      <text>2000</text>
      <feedback format="html"><text></text></feedback>
      <tolerance>1</tolerance>
    </answer>
    <answer fraction="0" format="moodle_auto_format">
      <text>*</text>
      <feedback format="html"><text>No.</text></feedback>
      <tolerance>0</tolerance>
    </answer>
    <units><unit><multiplier>1</multiplier><unit_name>year</unit_name></unit></units>
    <unitgradingtype>0</unitgradingtype>
  </question>
</quiz>
"""


def test_moodle_numerical_imports_and_exports_back():
    result = questions_from_moodle_xml(MOODLE)
    assert result.errors == []
    assert [issue.code for issue in result.warnings] == ["numerical_units"]
    [question] = result.questions
    assert question["kind"] == "numerical" and question["points"] == D(2)
    assert question["data"] == {"answers": [{"value": 2000, "feedback": "Right: 15 November 2000."}, {"value": 2000, "tolerance": 1, "weight": 50}]}
    written = questions_to_moodle_xml([question])
    assert b'<question type="numerical">' in written and b"<tolerance>1</tolerance>" in written
    again = questions_from_moodle_xml(written)
    assert again.errors == [] and again.warnings == [] and again.questions == [question]


def test_a_range_goes_to_moodle_as_its_middle_and_half_width_and_scores_the_same():
    question = {"kind": "numerical", "name": "R", "prompt": "<p>?</p>", "points": D(1), "feedback": "", "data": {"answers": [{"min": 1, "max": 5}]}, "tags": []}
    [back] = questions_from_moodle_xml(questions_to_moodle_xml([question])).questions
    assert back["data"] == {"answers": [{"value": 3, "tolerance": 2}]}
    for response in ("1", "5", "0.9", "5.1"):
        assert score(back["data"], response) == score(question["data"], response)


def test_moodle_any_other_answer_with_marks_is_dropped_with_a_warning():
    xml = MOODLE.replace(b'fraction="0" format="moodle_auto_format">\n      <text>*</text>', b'fraction="10" format="moodle_auto_format">\n      <text>*</text>')
    result = questions_from_moodle_xml(xml)
    assert [issue.code for issue in result.warnings] == ["numerical_units", "numerical_any"]


# --- a learner answers, in Russian, with a comma -------------------------------------------------------


@pytest.mark.django_db
def test_a_learner_types_a_number_saves_it_and_is_scored(client, site_home, agency_a):
    question_bank_seed(locales={locale.language_code: locale for locale in Locale.objects.all()})
    question = Question.objects.get(key="m1-child-age", locale__language_code="ru")
    test = Assessment.objects.create(slug="age", title_en="Age", purpose=Assessment.Purpose.POST, published=True)
    AssessmentItem.objects.create(assessment=test, question_key=question.translation_key, position=0)
    learner = person(username="learner", roles=[Role.TRAINEE], agency=agency_a, language="ru")
    client.force_login(learner)
    attempt = services.attempt_start(user=learner, assessment=test, language="ru")
    page = client.get(reverse("assessments:take", args=[attempt.pk])).content.decode()
    assert 'name="q1" inputmode="decimal"' in page
    assert client.post(reverse("assessments:autosave", args=[attempt.pk]), {"position": 1, "q1": "17,5"}).json()["saved"] is True
    refused = client.post(reverse("assessments:autosave", args=[attempt.pk]), {"position": 1, "q1": "восемнадцать"})
    assert refused.status_code == 400
    client.post(reverse("assessments:take", args=[attempt.pk]), {"q1": "18", "save": ""})
    attempt = services.attempt_submit(attempt_id=attempt.pk, user=learner)
    answer = attempt.answers.get()
    assert (answer.response, answer.score, answer.parts) == ("18", D("1.00"), {"answer": "1"})
