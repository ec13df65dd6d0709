"""The rest of GIFT and Moodle XML (issue 17): each feature imports from a hand-written file in ``files/``
and, where the format can say it, exports back to the same question. No database."""

import copy
from pathlib import Path

import pytest

from assessments.interchange import questions_from_gift, questions_to_gift

FILES = Path(__file__).parent / "files"


def codes(issues):
    return [(issue.index, issue.code) for issue in issues]


@pytest.fixture(scope="module")
def gift_features():
    return questions_from_gift((FILES / "gift_features.gift").read_text())


def by_name(result, name):
    return next(question for question in result.questions if question["name"] == name)


def test_gift_features_file_imports_with_its_warnings(gift_features):
    assert gift_features.errors == []
    assert [q["name"] for q in gift_features.questions] == ["Adopted in", "Guardian", "Means", "Consent", "Purpose"]
    assert codes(gift_features.warnings) == [(1, "description_skipped"), (4, "several_right"), (6, "images")]


def test_gift_description_is_skipped_with_a_warning_that_names_it(gift_features):
    warning = gift_features.warnings[0]
    assert warning.line == 7
    assert str(warning).startswith("Question 1 “This file starts with a description: it introduces the…” (line 7):")
    assert "it is a description" in str(warning) and "it is skipped" in str(warning)


def test_gift_missing_word_shows_a_blank_where_the_answers_stood(gift_features):
    gap = by_name(gift_features, "Adopted in")
    assert gap["kind"] == "single"
    assert gap["prompt"] == "<p>The Palermo Protocol was adopted in _____ in 2000.</p>"
    assert gap["data"]["correct"] == "a" and [o["text"] for o in gap["data"]["options"]] == [
        "Palermo",
        "Vienna",
        "Geneva",
    ]
    short = by_name(gift_features, "Guardian")
    assert short["kind"] == "short" and short["prompt"].endswith("is the _____ in Vienna.</p>")


def test_gift_id_and_tags_in_comments_are_kept(gift_features):
    gap = by_name(gift_features, "Adopted in")
    assert gap["id"] == "M4-GAP-1"
    assert gap["tags"] == ["m4-elements", "palermo", "Article 3] (a)"]
    assert "id" not in by_name(gift_features, "Guardian")


def test_gift_several_right_answers_become_multiple_response_with_equal_shares(gift_features):
    means = by_name(gift_features, "Means")
    assert means["kind"] == "multiple"
    assert means["data"]["correct"] == ["a", "b"] and means["data"]["scoring"] == "right_minus_wrong"
    message = str(gift_features.warnings[1])
    assert "2 answers are marked right with “=”" in message and "1/2 of the marks" in message


def test_gift_several_right_answers_with_weights_are_refused_with_their_own_message():
    result = questions_from_gift("::W::Which? {=a =b ~%50%c ~d}\n\n::Ok::Fine? {T}\n")
    assert codes(result.errors) == [(1, "several_right_weighted")]
    assert "“=” and others carry a positive weight" in str(result.errors[0])
    assert [q["name"] for q in result.questions] == ["Ok"]


def test_gift_markdown_is_rendered_and_sanitised(gift_features):
    consent = by_name(gift_features, "Consent")
    assert consent["prompt"] == (
        "<p>Which of these is <strong>not</strong> an element of the offence? &lt;b&gt;raw&lt;/b&gt; "
        "[a link](javascript:alert(1))</p>"
    )
    assert consent["feedback"] == "<p>See <strong>Article 3(b)</strong> of the Protocol.</p>"
    # options are plain text: the Markdown is rendered, then reduced to its text
    assert consent["data"]["options"][0]["feedback"] == "Consent is irrelevant once a means is used."


def test_gift_markdown_links_and_lists():
    result = questions_from_gift("::L::[markdown]Read [the Protocol](https://example.org/p)\n- one\n- two{T}")
    assert result.questions[0]["prompt"] == (
        '<p>Read <a href="https://example.org/p">the Protocol</a></p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>'
    )


def test_gift_html_goes_through_the_sanitiser(gift_features):
    purpose = by_name(gift_features, "Purpose")
    assert purpose["prompt"] == "<p>Pick the <em>purpose</em>.</p>"
    assert "images are not imported (1 found)" in str(gift_features.warnings[2])


def test_gift_features_export_back(gift_features):
    text = questions_to_gift(gift_features.questions, notice=False)
    assert "// [id:M4-GAP-1] [tag:palermo] [tag:Article 3\\] (a)]\n::Adopted in::" in text
    assert "adopted in {\n\t=Palermo\n\t~Vienna\n\t~Geneva\n} in 2000.</p>" in text
    again = questions_from_gift(text)
    assert again.errors == [] and again.warnings == []
    assert again.questions == gift_features.questions


def test_gift_export_without_id_or_extra_tags_writes_no_comment():
    question = {
        "kind": "truefalse",
        "name": "T",
        "prompt": "<p>Yes?</p>",
        "points": 1,
        "feedback": "",
        "data": {"correct": True, "feedback_true": "", "feedback_false": ""},
        "tags": ["m1"],
    }
    text = questions_to_gift([question], notice=False)
    assert "//" not in text
    with_id = copy.deepcopy(question) | {"id": "q-1"}
    assert "// [id:q-1]\n::T::" in questions_to_gift([with_id], notice=False)
