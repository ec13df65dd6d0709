"""Moodle XML and GIFT import (assessments/interchange) of the sample files in ``files/``, written the way
Moodle writes them: no database.
"""

import pytest
from django.utils.functional import Promise

from assessments.interchange import (
    ImportResult,
    questions_from_gift,
    questions_from_moodle_xml,
    questions_to_moodle_xml,
)
from assessments.scoring import question_data_validate
from tests.assessments.interchange_helpers import D, FILES, codes


# --------------------------------------------------------------------------------------------------
# The Moodle sample file.
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def moodle_sample() -> ImportResult:
    return questions_from_moodle_xml((FILES / "moodle_export.xml").read_bytes())


def test_moodle_sample_reads_every_question_and_skips_the_category(moodle_sample):
    assert moodle_sample.errors == []
    assert [q["kind"] for q in moodle_sample.questions] == [
        "single",
        "multiple",
        "truefalse",
        "matching",
        "short",
        "rubric",
        "single",
    ]
    assert [q["name"] for q in moodle_sample.questions][:3] == [
        "Elements of trafficking",
        "Means of trafficking",
        "Consent of the victim",
    ]
    for question in moodle_sample.questions:
        question_data_validate(kind=question["kind"], data=question["data"])
        assert {"kind", "name", "prompt", "points", "feedback", "data", "tags"} <= set(question)
        assert set(question) <= {"kind", "name", "prompt", "points", "feedback", "data", "tags", "id", "files"}


def test_moodle_sample_warnings_name_the_question_and_the_loss(moodle_sample):
    # Question 5 drops its 50 % answer, 6 has no rubric criteria; the image of 7 is imported (see
    # test_interchange_features); Moodle's default combined feedback texts are not worth a warning.
    assert codes(moodle_sample.warnings) == [(5, "short_partial"), (6, "rubric_overall")]
    rubric = moodle_sample.warnings[1]
    assert isinstance(rubric.message, Promise)
    assert str(rubric).startswith("Question 6 “")


def test_moodle_single_keeps_html_prompt_and_makes_options_plain(moodle_sample):
    question = moodle_sample.questions[0]
    assert question["prompt"] == (
        "<p>Which <strong>three</strong> elements define trafficking in persons under the Palermo Protocol?</p>"
    )
    assert question["feedback"] == "<p>Article 3(a) of the Protocol: act, means, purpose.</p>"
    assert question["points"] == D("1")
    assert question["tags"] == ["Elements of the offence", "m4-elements", "palermo"]  # the category first
    assert question["data"] == {
        "options": [
            {"key": "a", "text": "Act, means & purpose", "feedback": "Right: all three must be proven for adults."},
            {
                "key": "b",
                "text": "Recruitment, profit and border crossing",
                "feedback": "Crossing a border is not required.",
            },
            {"key": "c", "text": "Consent, force and payment", "feedback": ""},
        ],
        "correct": "a",
        "shuffle": True,
    }


def test_moodle_multiple_with_equal_fractions_is_right_minus_wrong(moodle_sample):
    question = moodle_sample.questions[1]
    assert question["points"] == D("2")
    assert question["data"]["correct"] == ["a", "b"]
    assert question["data"]["scoring"] == "right_minus_wrong"
    assert question["data"]["shuffle"] is False
    assert question["data"]["options"][2] == {
        "key": "c",
        "text": "Transportation",
        "feedback": "Transportation is an act.",
    }


def test_moodle_truefalse_matching_short_and_essay(moodle_sample):
    truefalse, matching, short, essay = moodle_sample.questions[2:6]
    assert truefalse["data"] == {
        "correct": True,
        "feedback_true": "Yes: Article 3(b).",
        "feedback_false": "No: see Article 3(b) of the Protocol.",
    }
    # Two items share the choice "Forced labour"; the sub-question without text is a distractor.
    assert matching["data"]["choices"] == [
        {"key": "a", "text": "Forced labour"},
        {"key": "b", "text": "Forced begging"},
        {"key": "c", "text": "Organ removal"},
    ]
    assert matching["data"]["correct"] == {"1": "a", "2": "b", "3": "a"}
    assert matching["data"]["items"][1] == {"key": "2", "text": 'Made to beg in the street for a "boss"'}
    assert short["data"] == {"accepted": ["Palermo Protocol", "Palermo"]}
    assert essay["points"] == D("4")
    assert essay["data"] == {
        "criteria": [{"key": "overall", "text": "Overall", "points": 4}],
        "guidance": "Check that the requesting and the requested central authority are named.",
        "model_answer": "",
        "max_words": 400,
    }


# --------------------------------------------------------------------------------------------------
# The GIFT sample file.
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gift_sample() -> ImportResult:
    return questions_from_gift((FILES / "questions.gift").read_text(encoding="utf-8"))


def test_gift_sample_reads_every_form(gift_sample):
    assert gift_sample.errors == []
    assert [q["kind"] for q in gift_sample.questions] == [
        "single",
        "multiple",
        "truefalse",
        "truefalse",
        "short",
        "matching",
        "rubric",
        "single",
        "truefalse",
    ]
    assert codes(gift_sample.warnings) == [(7, "rubric_overall")]
    assert gift_sample.warnings[0].line == 37
    for question in gift_sample.questions:
        question_data_validate(kind=question["kind"], data=question["data"])
        assert question["points"] == D("1")


def test_gift_categories_become_tags(gift_sample):
    assert [q["tags"] for q in gift_sample.questions] == [["m4-elements"]] * 6 + [["m4-evidence"]] * 3


def test_gift_single_with_feedback_and_general_feedback(gift_sample):
    question = gift_sample.questions[0]
    assert question["name"] == "Elements of trafficking"
    assert question["prompt"] == (
        "<p>Which three elements define trafficking in persons under the Palermo Protocol?</p>"
    )
    assert question["feedback"] == "<p>Article 3(a) of the Protocol: act, means, purpose.</p>"
    assert question["data"]["correct"] == "a"
    assert question["data"]["options"][1] == {
        "key": "b",
        "text": "Recruitment, profit and border crossing",
        "feedback": "Crossing a border is not required.",
    }


def test_gift_multiple_html_and_weights(gift_sample):
    question = gift_sample.questions[1]
    assert question["prompt"] == "<p>Which of these are <em>means</em> in the definition?</p>"
    assert question["data"]["correct"] == ["a", "b"]
    assert question["data"]["scoring"] == "right_minus_wrong"


def test_gift_truefalse_feedback_follows_moodle_wrong_then_right(gift_sample):
    consent, child = gift_sample.questions[2:4]
    # {T#wrong#right}: the first feedback is for a wrong answer (false), the second for the right one.
    assert consent["data"] == {
        "correct": True,
        "feedback_true": "Yes: Article 3(b).",
        "feedback_false": "No: see Article 3(b).",
    }
    assert child["data"] == {
        "correct": False,
        "feedback_true": "Yes, it must.",
        "feedback_false": "Right: for children the means are not required.",
    }


def test_gift_short_matching_essay(gift_sample):
    short, matching, essay = gift_sample.questions[4:7]
    assert short["data"] == {"accepted": ["Palermo Protocol", "Palermo"]}
    assert matching["data"]["correct"] == {"1": "a", "2": "b", "3": "a"}
    assert matching["data"]["choices"][2] == {"key": "c", "text": "Organ removal"}
    assert essay["prompt"] == "<p>Describe how you would take a first statement from a possible victim.</p>"
    assert essay["data"]["criteria"] == [{"key": "overall", "text": "Overall", "points": 1}]


def test_gift_escapes_and_comments(gift_sample):
    question = gift_sample.questions[7]
    assert question["name"] == "Escapes: a test"
    assert question["prompt"] == "<p>Which expression is written {x} in the template, with 50% = half?</p>"
    assert [o["text"] for o in question["data"]["options"]] == ["{x} ~ braces", "x # hash", "a \\ b"]
    assert question["data"]["options"][0]["feedback"] == "Right: the braces are literal."


def test_gift_question_without_title_is_named_from_its_text(gift_sample):
    question = gift_sample.questions[8]
    assert question["name"] == "Is forced begging a form of exploitation under the Protocol?"
    assert question["data"]["correct"] is True


def test_gift_sample_survives_moodle_xml(gift_sample):
    """GIFT → ours → Moodle XML → ours changes nothing Moodle XML holds."""
    again = questions_from_moodle_xml(questions_to_moodle_xml(gift_sample.questions))
    assert again.errors == []
    assert again.questions == gift_sample.questions
