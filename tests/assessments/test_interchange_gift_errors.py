"""Broken GIFT files (assessments/interchange): each is built here so that each test shows the one thing
that is wrong; no database.
"""

import pytest

from assessments.interchange import questions_from_gift
from assessments.interchange.common import MAX_FILE_BYTES
from tests.assessments.interchange_helpers import codes


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
