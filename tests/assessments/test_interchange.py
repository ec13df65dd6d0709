"""Moodle XML and GIFT import and export (assessments/interchange): no database.

The sample files in ``files/`` are written the way Moodle writes them; the broken files are built here so
that each test shows the one thing that is wrong.
"""

import copy
import time
from decimal import Decimal
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest
from django.utils.functional import Promise

from assessments.interchange import (
    ExportError,
    ImportResult,
    QuestionIssue,
    questions_from_gift,
    questions_from_moodle_xml,
    questions_to_gift,
    questions_to_moodle_xml,
)
from assessments.interchange.common import MAX_FILE_BYTES, html_to_text, letter_key, text_to_html
from assessments.scoring import question_data_validate

FILES = Path(__file__).parent / "files"
D = Decimal


def codes(issues):
    return [(issue.index, issue.code) for issue in issues]


def moodle(*questions: str) -> bytes:
    """A Moodle XML file holding the given <question> elements."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n").encode()


def mc(name, answers, *, single="true", qtype="multichoice", extra=""):
    """A Moodle multichoice question; ``answers`` is a list of (fraction, text)."""
    body = "".join(
        f'<answer fraction="{fraction}" format="html"><text>{text}</text>'
        f'<feedback format="html"><text></text></feedback></answer>'
        for fraction, text in answers
    )
    return (
        f'<question type="{qtype}"><name><text>{name}</text></name>'
        f'<questiontext format="html"><text>&lt;p&gt;{name}?&lt;/p&gt;</text></questiontext>'
        f"<defaultgrade>1.0000000</defaultgrade><single>{single}</single><shuffleanswers>1</shuffleanswers>"
        f"{extra}{body}</question>"
    )


GOOD_MC = mc("Good", [(100, "Right"), (0, "Wrong")])


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


# --------------------------------------------------------------------------------------------------
# Broken Moodle XML files.
# --------------------------------------------------------------------------------------------------


def test_moodle_not_xml():
    result = questions_from_moodle_xml(b"<quiz><question type='multichoice'>\n<name></quiz>")
    assert codes(result.errors) == [(0, "not_xml")]
    assert result.questions == []
    assert "line 2" in str(result.errors[0])


def test_moodle_not_utf8():
    result = questions_from_moodle_xml("<quiz><question>Ответ</question></quiz>".encode("cp1251"))
    assert codes(result.errors) == [(0, "not_utf8")]


def test_moodle_declared_encoding_is_honoured():
    data = '<?xml version="1.0" encoding="ISO-8859-1"?><quiz>{}</quiz>'.format(
        mc("Café", [(100, "Oui"), (0, "Non")])
    ).encode("latin-1")
    result = questions_from_moodle_xml(data)
    assert result.errors == []
    assert result.questions[0]["name"] == "Café"


@pytest.mark.parametrize("data", [b"", b"   \n"])
def test_moodle_empty(data):
    assert codes(questions_from_moodle_xml(data).errors) == [(0, "empty")]


@pytest.mark.parametrize(
    "data",
    [
        b"<quiz/>",
        moodle('<question type="category"><category><text>$course$/top/x</text></category></question>'),
        moodle(
            '<question type="description"><name><text>Intro</text></name>'
            '<questiontext format="html"><text>Read this.</text></questiontext></question>'
        ),
    ],
)
def test_moodle_no_questions(data):
    result = questions_from_moodle_xml(data)
    assert codes(result.errors) == [(0, "no_questions")]


def test_moodle_other_xml():
    result = questions_from_moodle_xml(b"<html><body/></html>")
    assert codes(result.errors) == [(0, "not_moodle")]
    assert "<html>" in str(result.errors[0])


def test_moodle_too_large_is_refused_before_parsing():
    result = questions_from_moodle_xml(b" " * (MAX_FILE_BYTES + 1))
    assert codes(result.errors) == [(0, "too_large")]
    assert "5.0\xa0MB" in str(result.errors[0])


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz><question type="shortanswer"><name><text>&lol9;</text></name>
<questiontext format="html"><text>&lol9;</text></questiontext>
<answer fraction="100"><text>&lol9;</text></answer></question></quiz>
"""


def test_moodle_entity_bomb_is_refused_not_expanded():
    started = time.perf_counter()
    result = questions_from_moodle_xml(BILLION_LAUGHS)
    assert time.perf_counter() - started < 1
    assert codes(result.errors) == [(0, "unsafe_xml")]
    assert result.questions == []


def test_moodle_external_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    data = f"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file://{secret}">]>
<quiz><question type="shortanswer"><name><text>&xxe;</text></name>
<questiontext format="html"><text>&xxe;</text></questiontext>
<answer fraction="100"><text>x</text></answer></question></quiz>""".encode()
    result = questions_from_moodle_xml(data)
    assert codes(result.errors) == [(0, "unsafe_xml")]
    assert "TOP-SECRET" not in str(result.errors[0])


def test_moodle_doctype_without_entities_is_refused_too():
    result = questions_from_moodle_xml(b'<?xml version="1.0"?><!DOCTYPE quiz SYSTEM "http://example.org/q.dtd"><quiz/>')
    assert codes(result.errors) == [(0, "unsafe_xml")]


def test_moodle_missing_correct_answer_is_reported_and_the_rest_parses():
    result = questions_from_moodle_xml(moodle(GOOD_MC, mc("Elements", [(0, "Act"), (0, "Means")]), GOOD_MC))
    assert codes(result.errors) == [(2, "missing_correct")]
    assert str(result.errors[0]) == "Question 2 “Elements”: the answer marked correct is missing."
    assert len(result.questions) == 2


def test_moodle_multichoice_without_answers():
    result = questions_from_moodle_xml(moodle(GOOD_MC, mc("Nothing", [])))
    assert codes(result.errors) == [(2, "no_answers")]
    assert len(result.questions) == 1


def test_moodle_multichoice_with_one_answer():
    result = questions_from_moodle_xml(moodle(mc("Lonely", [(100, "Only")])))
    assert codes(result.errors) == [(1, "too_few_answers")]


def test_moodle_unknown_qtype_is_an_error_for_that_question_only():
    calculated = (
        '<question type="calculated"><name><text>Sum</text></name>'
        '<questiontext format="html"><text>{a} + {b}</text></questiontext></question>'
    )
    category = '<question type="category"><category><text>$course$/top/m4</text></category></question>'
    result = questions_from_moodle_xml(moodle(category, GOOD_MC, calculated, GOOD_MC))
    # The category does not count: the calculated question is question 2.
    assert codes(result.errors) == [(2, "unsupported_type")]
    assert "“calculated”" in str(result.errors[0])
    assert len(result.questions) == 2


def test_moodle_description_is_skipped_with_a_warning():
    description = (
        '<question type="description"><name><text>Intro</text></name>'
        '<questiontext format="html"><text>Read the case.</text></questiontext></question>'
    )
    result = questions_from_moodle_xml(moodle(description, GOOD_MC))
    assert result.errors == []
    assert codes(result.warnings) == [(1, "description_skipped")]
    assert len(result.questions) == 1


def test_moodle_single_with_two_right_answers():
    result = questions_from_moodle_xml(moodle(mc("Two", [(100, "A"), (100, "B"), (0, "C")])))
    assert codes(result.errors) == [(1, "several_correct")]


def test_moodle_single_partial_credit_is_dropped_with_a_warning():
    result = questions_from_moodle_xml(moodle(mc("Partial", [(100, "A"), (50, "B"), (-33.33333, "C")])))
    assert result.errors == []
    assert codes(result.warnings) == [(1, "partial_dropped"), (1, "partial_dropped")]
    assert "“B” gave 50% of the marks" in str(result.warnings[0])


def test_moodle_invalid_fraction():
    result = questions_from_moodle_xml(moodle(mc("Bad", [("lots", "A"), (0, "B")])))
    assert codes(result.errors) == [(1, "invalid_grade")]
    assert "“lots”" in str(result.errors[0])


def test_moodle_empty_prompt():
    question = mc("Blank", [(100, "A"), (0, "B")]).replace("&lt;p&gt;Blank?&lt;/p&gt;", "&lt;p&gt; &lt;/p&gt;")
    assert codes(questions_from_moodle_xml(moodle(question)).errors) == [(1, "empty_prompt")]


@pytest.mark.parametrize(
    "answers, warnings",
    [
        ([(50, "A"), (50, "B"), (-50, "C"), (-50, "D")], []),
        ([(33.33333, "A"), (33.33333, "B"), (33.33333, "C"), (-100, "D")], []),
        ([(50, "A"), (50, "B")], []),  # no wrong option at all: nothing to penalise
        ([(100, "A"), (100, "B")], ["grades_unequal"]),  # Moodle wants them to add up to 100 %
        ([(70, "A"), (30, "B"), (-100, "C")], ["grades_unequal"]),
        ([(50, "A"), (50, "B"), (0, "C"), (0, "D")], ["penalty_none"]),
        ([(50, "A"), (50, "B"), (-100, "C"), (-25, "D")], ["penalty_unequal"]),
    ],
)
def test_moodle_multiple_fraction_mapping(answers, warnings):
    result = questions_from_moodle_xml(moodle(mc("Multi", answers, single="false")))
    assert result.errors == []
    data = result.questions[0]["data"]
    assert data["scoring"] == "right_minus_wrong"
    assert data["correct"] == [key for key, (fraction, _text) in zip("abcd", answers, strict=False) if fraction > 0]
    assert [code for _index, code in codes(result.warnings)] == warnings


def test_moodle_multiple_without_positive_fraction():
    result = questions_from_moodle_xml(moodle(mc("None right", [(0, "A"), (-100, "B")], single="false")))
    assert codes(result.errors) == [(1, "missing_correct")]


def test_moodle_truefalse_without_correct_answer():
    truefalse = (
        '<question type="truefalse"><name><text>TF</text></name>'
        '<questiontext format="html"><text>Sure?</text></questiontext>'
        '<answer fraction="0"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>'
    )
    assert codes(questions_from_moodle_xml(moodle(truefalse)).errors) == [(1, "missing_correct")]


def shortanswer(answers, usecase="0"):
    body = "".join(
        f'<answer fraction="{fraction}" format="moodle_auto_format"><text>{text}</text>'
        f'<feedback format="html"><text>{feedback}</text></feedback></answer>'
        for fraction, text, feedback in answers
    )
    return (
        '<question type="shortanswer"><name><text>Short</text></name>'
        f'<questiontext format="html"><text>Name it.</text></questiontext><usecase>{usecase}</usecase>{body}</question>'
    )


def test_moodle_shortanswer_losses_are_warnings():
    result = questions_from_moodle_xml(
        moodle(shortanswer([(100, "Palermo*", "Good"), (100, "Pal\\*", ""), (0, "*", "No")], usecase="1"))
    )
    assert result.errors == []
    assert result.questions[0]["data"] == {"accepted": ["Palermo*", "Pal*"]}
    assert [code for _i, code in codes(result.warnings)] == [
        "short_wildcard",
        "short_feedback",
        "short_partial",
        "short_case",
    ]


def test_moodle_shortanswer_without_full_marks_answer():
    result = questions_from_moodle_xml(moodle(shortanswer([(50, "Half", "")])))
    assert codes(result.errors) == [(1, "missing_correct")]


def test_moodle_matching_item_without_answer():
    matching = (
        '<question type="matching"><name><text>Pairs</text></name>'
        '<questiontext format="html"><text>Match.</text></questiontext>'
        '<subquestion format="html"><text>A</text><answer><text>1</text></answer></subquestion>'
        '<subquestion format="html"><text>B</text><answer><text></text></answer></subquestion>'
        '<subquestion format="html"><text>C</text><answer><text>2</text></answer></subquestion>'
        "</question>"
    )
    result = questions_from_moodle_xml(moodle(matching))
    assert codes(result.errors) == [(1, "item_without_match")]


def ordering(grading, items=("First", "Second", "Third"), select="ALL", count="0"):
    answers = "".join(
        f'<answer fraction="{n}" format="html"><text>&lt;p&gt;{text}&lt;/p&gt;</text></answer>'
        for n, text in enumerate(items, start=1)
    )
    return (
        '<question type="ordering"><name><text>Order</text></name>'
        '<questiontext format="html"><text>Put in order.</text></questiontext>'
        f"<layouttype>VERTICAL</layouttype><selecttype>{select}</selecttype><selectcount>{count}</selectcount>"
        f"<gradingtype>{grading}</gradingtype><showgrading>SHOW</showgrading>{answers}</question>"
    )


@pytest.mark.parametrize(
    "grading, scoring, warned",
    [
        ("ALL_OR_NOTHING", "all_or_nothing", False),
        ("ABSOLUTE_POSITION", "positions", False),
        ("RELATIVE_NEXT_EXCLUDE_LAST", "adjacent_pairs", False),
        ("0", "positions", False),  # the plugin's old numeric codes
        ("-1", "all_or_nothing", False),
        ("RELATIVE_NEXT_INCLUDE_LAST", "adjacent_pairs", True),
        ("LONGEST_CONTIGUOUS_SUBSET", "positions", True),
    ],
)
def test_moodle_ordering_grading(grading, scoring, warned):
    result = questions_from_moodle_xml(moodle(ordering(grading)))
    assert result.errors == []
    assert result.questions[0]["data"] == {
        "items": [{"key": "a", "text": "First"}, {"key": "b", "text": "Second"}, {"key": "c", "text": "Third"}],
        "correct": ["a", "b", "c"],
        "scoring": scoring,
    }
    assert codes(result.warnings) == ([(1, "ordering_grading")] if warned else [])


def test_moodle_ordering_subset_and_too_few_items():
    result = questions_from_moodle_xml(
        moodle(ordering("ABSOLUTE_POSITION", select="RANDOM", count="2"), ordering("ABS", items=("One",)))
    )
    assert codes(result.warnings) == [(1, "ordering_subset")]
    assert codes(result.errors) == [(2, "too_few_items")]


def test_moodle_hints_and_custom_combined_feedback_are_reported():
    extra = (
        '<correctfeedback format="html"><text>Well done, investigator.</text></correctfeedback>'
        '<hint format="html"><text>Think of Article 3.</text></hint>'
    )
    result = questions_from_moodle_xml(moodle(mc("Hinted", [(100, "A"), (0, "B")], extra=extra)))
    assert result.errors == []
    assert sorted(code for _i, code in codes(result.warnings)) == ["combined_feedback", "hints"]


def test_moodle_plain_text_prompt_becomes_escaped_html():
    question = (
        '<question type="truefalse"><name><text></text></name>'
        '<questiontext format="plain_text"><text>Is 1 &lt; 2?\nSay so &amp; go.</text></questiontext>'
        '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>'
    )
    result = questions_from_moodle_xml(moodle(question))
    # self-closed, as the rich-text editor needs it inside a paragraph
    assert result.questions[0]["prompt"] == "<p>Is 1 &lt; 2?<br/>Say so &amp; go.</p>"
    assert result.questions[0]["name"] == "Is 1 < 2? Say so & go."


def test_moodle_long_name_and_bad_grade_are_warnings():
    question = mc("N" * 250, [(100, "A"), (0, "B")]).replace("<defaultgrade>1.0000000", "<defaultgrade>0")
    result = questions_from_moodle_xml(moodle(question))
    assert result.errors == []
    assert [code for _i, code in codes(result.warnings)] == ["name_shortened", "points_invalid"]
    assert len(result.questions[0]["name"]) <= 200
    assert result.questions[0]["points"] == D("1")


def test_moodle_essay_edited_after_export_falls_back_to_overall():
    xml = questions_to_moodle_xml([RUBRIC]).decode()
    edited = xml.replace("Names the requesting", "Names the sending")
    result = questions_from_moodle_xml(edited.encode())
    assert codes(result.warnings) == [(1, "rubric_edited")]
    assert result.questions[0]["data"]["criteria"] == [{"key": "overall", "text": "Overall", "points": 4}]


# --------------------------------------------------------------------------------------------------
# Broken GIFT files.
# --------------------------------------------------------------------------------------------------

GOOD_GIFT = "::Good::Is this fine? {T}"


def gift(*blocks: str) -> str:
    return "\n\n".join(blocks) + "\n"


def test_gift_unterminated_brace_is_reported_and_the_rest_parses():
    text = gift(GOOD_GIFT, "::Elements::Which are the elements? {=Act ~Profit", GOOD_GIFT)
    result = questions_from_gift(text)
    assert codes(result.errors) == [(2, "gift_unterminated")]
    assert result.errors[0].line == 3
    assert str(result.errors[0]).startswith("Question 2 “Elements” (line 3): the answer part opened with {")
    assert len(result.questions) == 2


def test_gift_numerical_is_imported():
    result = questions_from_gift(gift(GOOD_GIFT, "::Year::When was the Protocol adopted? {#2000:0}", GOOD_GIFT))
    assert result.errors == []
    assert [question["kind"] for question in result.questions] == ["truefalse", "numerical", "truefalse"]
    assert result.questions[1]["data"] == {"answers": [{"value": 2000}]}


@pytest.mark.parametrize(
    "block, code",
    [
        ("::Two::Pick {=a ~b} and {=c ~d}", "gift_several_parts"),
        ("::Stray::A } here {T}", "gift_stray_close"),
        ("::Unclosed title Is it? {T}", "gift_title_unclosed"),
        ("::Lonely::Only one? {=yes ~}", "empty_answer"),
        ("::Too few::Only one? {~%100%yes}", "too_few_answers"),
        ("::No right::Which? {~a ~b}", "missing_correct"),
        ("::Two right, one weighted::Which? {=a =b ~%50%c ~d}", "several_right_weighted"),
        ("::All right::Which? {=a =b ~%100%c}", "several_right_weighted"),
        ("::Weight::Which? {~%abc%a ~b}", "invalid_grade"),
        ("::Arrow::Match {=a -> 1 =b 2}", "pair_without_arrow"),
        ("::One pair::Match {=a -> 1}", "too_few_pairs"),
        ("::Empty::{T}", "empty_prompt"),
        ("::Half::Name it {=%50%Palermo}", "missing_correct"),
        ("::Order::Order {>3 SIDEWAYS\nA\nB\nC\n}", "gift_ordering_syntax"),
    ],
)
def test_gift_per_question_errors(block, code):
    result = questions_from_gift(gift(GOOD_GIFT, block, GOOD_GIFT))
    assert codes(result.errors) == [(2, code)]
    assert len(result.questions) == 2


def test_gift_not_utf8():
    assert codes(questions_from_gift("::Ответ::Да? {T}".encode("cp1251")).errors) == [(0, "not_utf8")]


def test_gift_bytes_with_bom_are_read():
    result = questions_from_gift("\ufeff::Жертва::Согласие важно? {F}".encode("utf-8"))
    assert result.errors == []
    assert result.questions[0]["name"] == "Жертва"


@pytest.mark.parametrize("text", ["", "  \n\n", "// only a comment\n", "$CATEGORY: $course$/top/m4\n"])
def test_gift_empty_or_without_questions(text):
    result = questions_from_gift(text)
    assert [issue.index for issue in result.errors] == [0]
    assert result.errors[0].code in ("empty", "no_questions")


def test_gift_too_large():
    assert codes(questions_from_gift("x" * (MAX_FILE_BYTES + 1)).errors) == [(0, "too_large")]


def test_gift_comment_between_questions_and_windows_line_ends():
    text = "// heading\r\n::A::One? {T}\r\n\r\n// about B\r\n::B::Two? {F}\r\n"
    result = questions_from_gift(text)
    assert [q["name"] for q in result.questions] == ["A", "B"]
    assert [q["data"]["correct"] for q in result.questions] == [True, False]


@pytest.mark.parametrize(
    "answers, warnings",
    [
        ("~%50%a ~%50%b ~%-100%c", []),
        ("~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-50%d ~%-50%e", []),
        ("~%60%a ~%40%b ~%-100%c", ["grades_unequal"]),
        ("~%50%a ~%50%b ~c", ["penalty_none"]),
        ("~%50%a ~%50%b ~%-100%c ~%-20%d", ["penalty_unequal"]),
    ],
)
def test_gift_multiple_weights(answers, warnings):
    result = questions_from_gift(f"::M::Which? {{{answers}}}")
    assert result.errors == []
    assert result.questions[0]["kind"] == "multiple"
    assert result.questions[0]["data"]["scoring"] == "right_minus_wrong"
    assert [code for _i, code in codes(result.warnings)] == warnings


def test_gift_single_partial_and_short_partial_are_warnings():
    result = questions_from_gift(gift("::S::Which? {=a ~%50%b ~c}", "::Short::Name it {=Palermo#Yes =%50%UN#Almost}"))
    assert result.errors == []
    assert codes(result.warnings) == [(1, "partial_dropped"), (2, "short_feedback"), (2, "short_partial")]
    assert result.questions[1]["data"] == {"accepted": ["Palermo"]}


def test_gift_category_paths():
    text = gift(
        "$CATEGORY: Module 4/m4-elements",
        "::A::One? {T}",
        "$CATEGORY: $system$/top",
        "::B::Two? {T}",
        "$CATEGORY: $course$/top/Cases//Appeals",
        "::C::Three? {T}",
    )
    result = questions_from_gift(text)
    assert [q["tags"] for q in result.questions] == [["m4-elements"], [], ["Cases/Appeals"]]


def test_gift_lowercase_true_false_and_format_markers():
    result = questions_from_gift(
        gift(
            "::L::[plain]Is <b> a tag? {true}",
            "::H::[html]<p>Pick</p>{=[plain]a &lt; b ~[html]<i>c</i> &amp; d}",
        )
    )
    assert result.errors == []
    assert result.questions[0]["prompt"] == "<p>Is &lt;b&gt; a tag?</p>"
    assert result.questions[0]["data"]["correct"] is True
    assert [o["text"] for o in result.questions[1]["data"]["options"]] == ["a &lt; b", "c & d"]


def test_gift_ordering_plugin_syntax():
    result = questions_from_gift(
        "::Steps::Put the steps in order.{>3 ALL VERTICAL ABSOLUTE_POSITION SHOW\nIdentify\nRefer\nProtect\n}"
    )
    assert result.errors == []
    assert result.questions[0]["kind"] == "ordering"
    assert result.questions[0]["data"]["correct"] == ["a", "b", "c"]
    assert result.questions[0]["data"]["scoring"] == "positions"


# --------------------------------------------------------------------------------------------------
# Round trips: from(to(q)) == q for what each format holds.
# --------------------------------------------------------------------------------------------------

SINGLE = {
    "kind": "single",
    "name": "Elements: act & means",
    "prompt": '<p>Which {one} is = the <em>act</em>? #1 ~ a:b \\ c <a href="https://example.org/x">x</a></p>',
    "points": D("1.5"),
    "feedback": "<p>See Art. 3 &amp; 4.</p>",
    "data": {
        "options": [
            {"key": "a", "text": "Recruitment & transfer <of> persons", "feedback": "Right: an act."},
            {"key": "b", "text": "Вербовка {x} = ~y #z", "feedback": ""},
            {"key": "c", "text": "%50 Ýaşaýyş jaýy: çäk", "feedback": "ş ≠ s \\ ok"},
        ],
        "correct": "b",
        "shuffle": False,
    },
    "tags": ["m4-elements", "palermo"],
}
MULTIPLE = {
    "kind": "multiple",
    "name": "Means",
    "prompt": "<p>Choose the <strong>means</strong>.</p>",
    "points": D("2"),
    "feedback": "",
    "data": {
        "options": [
            {"key": "a", "text": "Force", "feedback": ""},
            {"key": "b", "text": "Deception", "feedback": "Yes."},
            {"key": "c", "text": "Abuse of power", "feedback": ""},
            {"key": "d", "text": "Transport", "feedback": "An act."},
        ],
        "correct": ["a", "b", "c"],
        "scoring": "right_minus_wrong",
        "shuffle": True,
    },
    "tags": ["m4-elements"],
}
TRUEFALSE = {
    "kind": "truefalse",
    "name": "Consent",
    "prompt": "<p>Consent is irrelevant once a means is used.</p>",
    "points": D("1"),
    "feedback": "<p>Article 3(b).</p>",
    "data": {"correct": False, "feedback_true": "No # not so.", "feedback_false": "Right: it is irrelevant."},
    "tags": [],
}
MATCHING = {
    "kind": "matching",
    "name": "Forms",
    "prompt": "<p>Match.</p>",
    "points": D("3"),
    "feedback": "",
    "data": {
        "items": [
            {"key": "1", "text": "Unpaid work -> debt"},
            {"key": "2", "text": "Begging for a <boss>"},
            {"key": "3", "text": "Farm work = debt bondage"},
        ],
        "choices": [
            {"key": "a", "text": "Forced labour -> ILO 29"},
            {"key": "b", "text": "Forced begging"},
            {"key": "c", "text": "Organ removal"},
        ],
        "correct": {"1": "a", "2": "b", "3": "a"},
        "shuffle": True,
    },
    "tags": ["m5"],
}
SHORT = {
    "kind": "short",
    "name": "Protocol",
    "prompt": "<p>Name the Protocol.</p>",
    "points": D("1"),
    "feedback": "<p>Palermo, 2000.</p>",
    "data": {"accepted": ["Palermo Protocol", "Palermo*", "%x = {y}", "Палермский протокол"]},
    "tags": [],
}
ORDERING = {
    "kind": "ordering",
    "name": "Steps",
    "prompt": "<p>Order the steps of a referral.</p>",
    "points": D("2"),
    "feedback": "",
    "data": {
        "items": [
            {"key": "a", "text": "Identify {possible} victim"},
            {"key": "b", "text": "Refer #1 & protect"},
            {"key": "c", "text": "Prosecute"},
        ],
        "correct": ["a", "b", "c"],
        "scoring": "adjacent_pairs",
    },
    "tags": [],
}
RUBRIC = {
    "kind": "rubric",
    "name": "MLA request",
    "prompt": "<p>Draft the request.</p>",
    "points": D("4"),
    "feedback": "<p>Compare with the model.</p>",
    "data": {
        "criteria": [
            {"key": "authority", "text": "Names the requesting and the requested central authority", "points": 2},
            {"key": "facts", "text": "States the facts -- briefly <and> clearly", "points": 1},
        ],
        "guidance": "Award a point only when both are named.",
        "model_answer": "<p>The Prosecutor-General's Office requests…</p>",
        "max_words": 250,
    },
    "tags": ["m7"],
}
ALL = [SINGLE, MULTIPLE, TRUEFALSE, MATCHING, SHORT, ORDERING, RUBRIC]


def held_by_gift(question: dict) -> dict:
    """What GIFT holds of a question: no points, no shuffle flag, no rubric details."""
    held = copy.deepcopy(question)
    held["points"] = D("1")
    if "shuffle" in held["data"]:
        held["data"]["shuffle"] = True
    if held["kind"] == "ordering":
        held["feedback"] = ""
    if held["kind"] == "rubric":
        held["data"] = {
            "criteria": [{"key": "overall", "text": "Overall", "points": 1}],
            "guidance": "",
            "model_answer": "",
            "max_words": None,
        }
    return held


@pytest.mark.parametrize("question", ALL, ids=lambda q: q["kind"])
def test_round_trip_moodle_xml(question):
    question_data_validate(kind=question["kind"], data=question["data"])
    result = questions_from_moodle_xml(questions_to_moodle_xml([question]))
    assert result.errors == []
    assert result.warnings == []
    assert result.questions == [question]


@pytest.mark.parametrize("question", ALL, ids=lambda q: q["kind"])
def test_round_trip_gift(question):
    result = questions_from_gift(questions_to_gift([question]))
    assert result.errors == []
    assert result.questions == [held_by_gift(question)]


def test_round_trip_of_a_whole_bank_keeps_order_and_tags():
    xml = questions_from_moodle_xml(questions_to_moodle_xml(ALL))
    assert xml.questions == ALL
    text = questions_from_gift(questions_to_gift(ALL))
    assert text.questions == [held_by_gift(q) for q in ALL]


def test_moodle_export_is_moodle_shaped():
    root = SafeET.fromstring(questions_to_moodle_xml(ALL))
    assert root.tag == "quiz"
    assert [q.get("type") for q in root.findall("question") if q.get("type") != "category"] == [
        "multichoice",
        "multichoice",
        "truefalse",
        "matching",
        "shortanswer",
        "ordering",
        "essay",
    ]
    questions = [q for q in root.findall("question") if q.get("type") != "category"]
    multiple = questions[1]
    assert [a.get("fraction") for a in multiple.findall("answer")] == ["33.33333", "33.33333", "33.33333", "-100"]
    essay = questions[6]
    graderinfo = essay.findtext("graderinfo/text")
    # Moodle's graders see the criteria as a list with their points.
    assert "<li>Names the requesting and the requested central authority (2)</li>" in graderinfo
    assert essay.findtext("maxwordlimit") == "250"


def test_gift_export_is_gift_shaped():
    text = questions_to_gift([SINGLE, TRUEFALSE], notice=False)
    assert text.startswith(
        "$CATEGORY: $course$/top/m4-elements\n\n// [tag:palermo]\n::Elements\\: act & means::[html]<p>Which \\{one\\}"
    )
    assert "\t=Вербовка \\{x\\} \\= \\~y \\#z\n" in text
    assert "\t~%0%%50 Ýaşaýyş jaýy\\: çäk#ş ≠ s \\\\ ok\n" in text
    assert "{FALSE#No \\# not so.#Right\\: it is irrelevant.\n\t####<p>Article 3(b).</p>\n}" in text.replace(
        "{\n\t", "{"
    )


# --------------------------------------------------------------------------------------------------
# Export refusals and losses.
# --------------------------------------------------------------------------------------------------

CASE = {
    "kind": "case",
    "name": "Case of A.",
    "prompt": "<p>Qualify.</p>",
    "points": D("6"),
    "feedback": "",
    "data": {"scenario": "<p>…</p>", "provision": "cc-129", "elements": []},
    "tags": [],
}


@pytest.mark.parametrize("export", [questions_to_moodle_xml, questions_to_gift])
def test_export_refuses_a_case_question_by_name(export):
    with pytest.raises(ExportError) as refused:
        export([SINGLE, CASE])
    assert [(i.index, i.code) for i in refused.value.issues] == [(2, "export_case")]
    message = str(refused.value.issues[0])
    assert message.startswith("Question 2 “Case of A.”: a case-qualification question has no equivalent in")


@pytest.mark.parametrize(
    "export, read", [(questions_to_moodle_xml, questions_from_moodle_xml), (questions_to_gift, questions_from_gift)]
)
def test_export_can_skip_a_case_question(export, read):
    warnings: list[QuestionIssue] = []
    exported = export([CASE, TRUEFALSE], warnings=warnings, skip_unsupported=True)
    assert [(i.index, i.code) for i in warnings] == [(1, "export_case")]
    assert [q["name"] for q in read(exported).questions] == ["Consent"]


@pytest.mark.parametrize("export", [questions_to_moodle_xml, questions_to_gift])
def test_export_refuses_invalid_data(export):
    broken = copy.deepcopy(SINGLE)
    broken["data"]["correct"] = "z"
    with pytest.raises(ExportError) as refused:
        export([broken])
    assert [(i.index, i.code) for i in refused.value.issues] == [(1, "export_invalid")]


@pytest.mark.parametrize("scoring", ["all_or_nothing", "per_option"])
@pytest.mark.parametrize(
    "export, read", [(questions_to_moodle_xml, questions_from_moodle_xml), (questions_to_gift, questions_from_gift)]
)
def test_export_of_scoring_without_equivalent_warns(scoring, export, read):
    question = copy.deepcopy(MULTIPLE)
    question["data"]["scoring"] = scoring
    warnings: list[QuestionIssue] = []
    back = read(export([question], warnings=warnings)).questions[0]
    assert "export_scoring" in [i.code for i in warnings]
    assert back["data"]["scoring"] == "right_minus_wrong"
    assert back["data"]["correct"] == question["data"]["correct"]


def test_gift_export_warns_what_it_loses():
    warnings: list[QuestionIssue] = []
    questions_to_gift([SINGLE, ORDERING, RUBRIC], warnings=warnings)
    assert [(i.index, i.code) for i in warnings] == [
        (1, "export_points"),
        (1, "export_shuffle"),
        (2, "export_points"),
        (3, "export_points"),
        (3, "export_rubric"),
    ]
    assert all(isinstance(issue.message, Promise) for issue in warnings)


def test_a_gift_file_names_its_losses_in_comments_at_the_top():
    warnings: list[QuestionIssue] = []
    text = questions_to_gift([CASE, SINGLE, TRUEFALSE, RUBRIC], warnings=warnings, skip_unsupported=True)
    head = text.split("\n\n")[0].splitlines()
    assert head[0] == f"// GIFT cannot hold everything in this bank. What the export leaves out or changes ({len(warnings)}):"
    assert head[1:] == [f"// {issue}" for issue in warnings]
    assert head[1].startswith("// Question 1 “Case of A.”: a case-qualification question has no equivalent")
    assert any(line.startswith("// Question 4 “") and "rubric criteria" in line for line in head)
    # the comments are skipped on import
    back = questions_from_gift(text)
    assert back.errors == [] and [q["name"] for q in back.questions] == [SINGLE["name"], "Consent", RUBRIC["name"]]


def test_a_moodle_file_names_its_losses_in_a_comment_before_the_quiz():
    multiple = copy.deepcopy(MULTIPLE)
    multiple["data"]["scoring"] = "per_option"
    multiple["name"] = "Means -- and --> ends-"
    warnings: list[QuestionIssue] = []
    data = questions_to_moodle_xml([CASE, multiple, TRUEFALSE], warnings=warnings, skip_unsupported=True)
    text = data.decode()
    assert [i.code for i in warnings] == ["export_case", "export_scoring"]
    head = text.split("<quiz>")[0]
    assert head.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!--\n  Moodle XML cannot hold everything')
    assert "Question 1 “Case of A.”: a case-qualification question" in head
    assert "Question 2 “Means - - and - -> ends-”" in head and "per option" in head
    assert head.count("--") == 2  # only the comment's own <!-- and -->
    root = SafeET.fromstring(data)
    assert root.tag == "quiz" and len([q for q in root.findall("question") if q.get("type") != "category"]) == 2
    assert [q["name"] for q in questions_from_moodle_xml(data).questions] == ["Means -- and --> ends-", "Consent"]


def test_a_file_without_losses_has_no_notice():
    assert questions_to_moodle_xml([TRUEFALSE]).decode().startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    assert not questions_to_gift([TRUEFALSE]).startswith("//")


def test_the_notice_is_in_the_language_of_the_export():
    from django.utils import translation

    with translation.override("ru"):
        text = questions_to_gift([SINGLE])
    first = text.splitlines()[0]
    assert first.startswith("// ") and "GIFT" in first and "cannot hold" not in first


def test_moodle_export_of_an_empty_bank():
    assert codes(questions_from_moodle_xml(questions_to_moodle_xml([])).errors) == [(0, "no_questions")]


# --------------------------------------------------------------------------------------------------
# Helpers.
# --------------------------------------------------------------------------------------------------


def test_letter_keys_go_on_after_z():
    assert [letter_key(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "a",
        "b",
        "z",
        "aa",
        "ab",
        "az",
        "ba",
        "zz",
        "aaa",
    ]


def test_thirty_options_get_keys_in_file_order():
    answers = [(100 if i == 28 else 0, f"Option {i}") for i in range(30)]
    result = questions_from_moodle_xml(moodle(mc("Many", answers)))
    data = result.questions[0]["data"]
    assert [o["key"] for o in data["options"]][-4:] == ["aa", "ab", "ac", "ad"]
    assert data["correct"] == "ac"


def test_text_conversions():
    assert html_to_text("<p>A &amp; B</p><p>C<br>D</p><script>x()</script>") == "A & B C D"
    assert html_to_text("a < b") == "a < b"
    assert text_to_html("a < b\nc\n\nd") == "<p>a &lt; b<br>c</p><p>d</p>"


def test_issue_is_lazy_and_names_the_question():
    result = questions_from_moodle_xml(moodle(mc("Elements", [(0, "A"), (0, "B")])))
    issue = result.errors[0]
    assert isinstance(issue, QuestionIssue)
    assert (issue.index, issue.name) == (1, "Elements")
    assert isinstance(issue.message, Promise)
