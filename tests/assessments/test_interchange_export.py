"""Moodle XML and GIFT export (assessments/interchange): round trips, refusals and the losses each format
names, and the small helpers of the package; no database.
"""

import copy

import defusedxml.ElementTree as SafeET
import pytest
from django.utils.functional import Promise

from assessments.interchange import (
    ExportError,
    QuestionIssue,
    questions_from_gift,
    questions_from_moodle_xml,
    questions_to_gift,
    questions_to_moodle_xml,
)
from assessments.interchange.common import html_to_text, letter_key, text_to_html
from assessments.scoring import question_data_validate
from tests.assessments.interchange_helpers import (
    ALL,
    D,
    MULTIPLE,
    ORDERING,
    RUBRIC,
    SINGLE,
    TRUEFALSE,
    codes,
    mc,
    moodle,
)


# --------------------------------------------------------------------------------------------------
# Round trips: from(to(q)) == q for what each format holds.
# --------------------------------------------------------------------------------------------------


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
