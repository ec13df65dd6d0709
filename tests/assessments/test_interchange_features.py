"""The rest of GIFT and Moodle XML (issue 17): each feature imports from a hand-written file in ``files/``
and, where the format can say it, exports back to the same question. No database."""

import copy
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest

from assessments.interchange import (
    questions_from_gift,
    questions_from_moodle_xml,
    questions_to_gift,
    questions_to_moodle_xml,
)
from assessments.interchange.files import link_files

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


# --------------------------------------------------------------------------------------------------
# Moodle XML.
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def moodle_features():
    return questions_from_moodle_xml((FILES / "moodle_features.xml").read_bytes())


def test_moodle_features_file_imports_cloze_and_numerical(moodle_features):
    assert codes(moodle_features.errors) == [(3, "unsupported_type")]
    assert [q["name"] for q in moodle_features.questions] == [
        "Room in a photograph", "Old image", "Cloze on the elements", "Year of the Protocol", "Old image without data",
    ]
    assert [q["kind"] for q in moodle_features.questions[2:4]] == ["cloze", "numerical"]


def test_moodle_categories_become_tags_until_the_next_category(moodle_features):
    assert [q["tags"] for q in moodle_features.questions] == [
        ["m4-indicators", "photo"], ["m4-indicators"], ["m4-indicators"], ["m4-indicators"], [],
    ]


def test_moodle_idnumber_is_the_id(moodle_features):
    assert moodle_features.questions[0]["id"] == "M4-IND-7"
    assert "id" not in moodle_features.questions[1]


def test_moodle_embedded_files_are_kept_checked_and_reported(moodle_features):
    room = moodle_features.questions[0]
    assert [(item["name"], item["kind"]) for item in room["files"]] == [
        ("room photo.png", "image"),
        ("guide.pdf", "document"),
    ]
    assert room["files"][0]["content"].startswith(b"\x89PNG")
    assert '<img src="@@PLUGINFILE@@/room%20photo.png"' in room["prompt"]
    assert codes(moodle_features.warnings) == [(1, "file_unused"), (1, "file_type"), (6, "old_image_missing")]
    assert "“tick.gif” is used in an answer" in str(moodle_features.warnings[0])
    assert "“tool.exe” is not imported: files of this type are not accepted" in str(moodle_features.warnings[1])
    assert "“contract.gif” (Moodle 1.9) is not in the file" in str(moodle_features.warnings[2])


def test_moodle_19_image_is_imported_into_the_prompt(moodle_features):
    old = moodle_features.questions[1]
    assert old["prompt"].endswith('<p><img src="@@PLUGINFILE@@/passport.gif" alt=""/></p>')
    assert [(item["name"], item["kind"]) for item in old["files"]] == [("passport.gif", "image")]


def test_moodle_markdown_is_rendered(moodle_features):
    assert moodle_features.questions[0]["feedback"] == (
        "<p>Restricted <strong>freedom of movement</strong> is an indicator.</p>"
    )


def test_moodle_broken_or_fake_embedded_files_are_warnings():
    question = (
        '<question type="truefalse"><name><text>F</text></name><questiontext format="html">'
        '<text><![CDATA[<p>Look <img src="@@PLUGINFILE@@/fake.png"> <img src="@@PLUGINFILE@@/bad.png">'
        ' <img src="@@PLUGINFILE@@/gone.png"></p>]]></text>'
        '<file name="fake.png" path="/" encoding="base64">bm90IGFuIGltYWdl</file>'
        '<file name="bad.png" path="/" encoding="base64">***</file></questiontext>'
        '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>'
    )
    result = questions_from_moodle_xml(f"<quiz>{question}</quiz>".encode())
    assert result.errors == []
    assert codes(result.warnings) == [(1, "file_refused"), (1, "file_unreadable"), (1, "file_missing")]
    assert "files" not in result.questions[0]
    assert link_files(result.questions[0]["prompt"], {}) == "<p>Look   </p>"


def test_moodle_features_export_back(moodle_features):
    exported = questions_to_moodle_xml(moodle_features.questions)
    root = SafeET.fromstring(exported)
    assert [(q.get("type"), q.findtext("category/text")) for q in root.findall("question")][:3] == [
        ("category", "$course$/top/m4-indicators"),
        ("multichoice", None),
        ("truefalse", None),
    ]
    assert root.findall("question")[1].findtext("idnumber") == "M4-IND-7"
    files = root.findall("question")[1].findall("questiontext/file")
    assert [(node.get("name"), node.get("path")) for node in files] == [("room photo.png", "/"), ("guide.pdf", "/")]
    again = questions_from_moodle_xml(exported)
    assert again.questions == moodle_features.questions
    assert codes(again.warnings) == [(1, "file_missing")]  # tool.exe was never kept


def test_link_files_turns_references_into_wagtail_embeds_and_links():
    html = (
        '<p><img src="@@PLUGINFILE@@/a%20b.png" alt="A"><a href="@@PLUGINFILE@@/g.pdf">guide</a>'
        '<a href="https://example.org">out</a><img src="@@PLUGINFILE@@/x.png"></p>'
    )
    linked = link_files(html, {"a b.png": ("image", 7), "g.pdf": ("document", 9)})
    assert linked == (
        '<p><embed alt="A" embedtype="image" format="fullwidth" id="7"/><a id="9" linktype="document">guide</a>'
        '<a href="https://example.org">out</a></p>'
    ) or linked == (
        '<p><embed embedtype="image" id="7" format="fullwidth" alt="A"/><a linktype="document" id="9">guide</a>'
        '<a href="https://example.org">out</a></p>'
    )


def test_gift_export_drops_embedded_files_with_a_warning(moodle_features):
    warnings = []
    text = questions_to_gift(moodle_features.questions[:1], warnings=warnings, notice=False)
    assert [issue.code for issue in warnings] == ["export_files"]
    assert "@@PLUGINFILE@@" not in text and "the guide" in text
