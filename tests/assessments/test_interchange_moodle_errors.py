"""Broken Moodle XML files (assessments/interchange): each is built here so that each test shows the one
thing that is wrong; no database.
"""

import time

import pytest

from assessments.interchange import questions_from_moodle_xml, questions_to_moodle_xml
from assessments.interchange.common import MAX_FILE_BYTES
from tests.assessments.interchange_helpers import D, GOOD_MC, RUBRIC, codes, mc, moodle


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
