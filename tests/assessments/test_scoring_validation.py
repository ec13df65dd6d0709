"""Validation and normalisation of responses and of question data (assessments/scoring.py): no database.
"""

import unicodedata

import pytest
from django.utils.functional import Promise
from django.utils.translation import override

from assessments.scoring import QuestionDataError, question_data_validate, response_validate
from tests.assessments.scoring_helpers import (
    D,
    MATCHING,
    RUBRIC,
    SHORT,
    SINGLE,
    TRUEFALSE,
    VALID,
    case,
    element,
    items,
    multiple,
    options,
    problems,
    refused,
    score,
)


# --- response validation --------------------------------------------------------------------------------


def test_response_normalised_for_storage():
    assert response_validate(kind="single", data=SINGLE, response="a") == "a"
    assert response_validate(kind="single", data=SINGLE, response="") is None
    assert response_validate(kind="multiple", data=VALID["multiple"], response=["c", "a", "c"]) == ["a", "c"]
    assert response_validate(kind="multiple", data=VALID["multiple"], response=[]) == []
    assert response_validate(kind="truefalse", data=TRUEFALSE, response=False) is False
    assert response_validate(kind="matching", data=MATCHING, response={"2": "y", "1": "w", "3": None}) == {
        "1": "w",
        "2": "y",
    }
    assert response_validate(kind="matching", data=MATCHING, response={"1": ""}) is None
    assert response_validate(kind="ordering", data=VALID["ordering"], response=["k2", "k1", "k4", "k3"]) == [
        "k2",
        "k1",
        "k4",
        "k3",
    ]
    assert response_validate(kind="short", data=SHORT, response="  Palermo  ") == "Palermo"
    assert response_validate(kind="short", data=SHORT, response="   ") is None
    assert response_validate(kind="rubric", data=RUBRIC, response=" one two three ") == "one two three"


def test_case_response_has_every_element():
    response = {"part": ["2"], "act": ["transportation", "recruitment"]}
    clean = response_validate(kind="case", data=case(), response=response)
    assert clean == {
        "act": ["recruitment", "transportation"],
        "means": [],
        "purpose": [],
        "consent": [],
        "part": ["2"],
        "aggravations": [],
    }
    assert response_validate(kind="case", data=case(), response={}) is None
    # an NFD key of a Turkmen aggravation label is stored as the NFC key
    nfd = unicodedata.normalize("NFD", "2.ç")
    assert response_validate(kind="case", data=case(), response={"aggravations": [nfd]})["aggravations"] == ["2.ç"]


@pytest.mark.parametrize(
    ("kind", "response", "message"),
    [
        ("single", "z", "The question has no option “z”."),
        ("single", ["a"], "Choose one of the options."),
        ("multiple", ["a", "q"], "The question has no option “q”."),
        ("multiple", "a", "The answer must be a list of options."),
        ("multiple", ["a", 1], "The answer must be a list of options."),
        ("truefalse", "true", "The answer must be true or false."),
        ("truefalse", 1, "The answer must be true or false."),
        ("matching", {"9": "x"}, "The question has no item “9”."),
        ("matching", {"1": "q"}, "The question has no choice “q”."),
        ("matching", ["x"], "The answer must pair items with choices."),
        ("ordering", ["k1", "k2", "k3", "k9"], "The question has no item “k9”."),
        ("ordering", ["k1", "k1", "k2", "k3"], "Item “k1” appears twice in the order."),
        ("ordering", ["k1", "k2", "k3"], "The order must list every item exactly once."),
        ("ordering", "k1", "The answer must list the items in order."),
        ("short", 42, "The answer must be text."),
        ("short", "x" * 501, "The answer is too long: 501 characters; at most 500 are allowed."),
        ("rubric", "one two three four five six", "The answer is too long: 6 words; at most 5 are allowed."),
        ("rubric", ["text"], "The answer must be text."),
        ("case", ["act"], "The answer must choose options for the elements of the case."),
        ("case", {"victim": []}, "The question has no element “victim”."),
        ("case", {"act": ["kidnapping"]}, "Element “act” has no option “kidnapping”."),
        ("case", {"act": "recruitment"}, "The answer for element “act” must be a list of options."),
        ("case", {"part": ["1", "2"]}, "Choose at most one option for element “part”."),
    ],
)


def test_response_refused(kind, response, message):
    assert refused(kind, VALID[kind], response) == message


def test_short_answer_of_exactly_500_characters_is_taken():
    assert response_validate(kind="short", data=SHORT, response="x" * 500 + "   ") == "x" * 500


def test_rubric_character_limit():
    data = {**RUBRIC, "max_words": None}
    assert response_validate(kind="rubric", data=data, response="x" * 20000) == "x" * 20000
    assert refused("rubric", data, "x" * 20001) == (
        "The answer is too long: 20001 characters; at most 20000 are allowed."
    )


def test_scoring_ignores_keys_the_question_no_longer_has():
    # a stored response after the key was corrected: unknown keys count for nothing, nothing is refused
    assert score("multiple", multiple("all_or_nothing"), ["a", "b", "gone"]).score == D("1.00")
    assert score("single", SINGLE, "gone").score == D("0.00")


# --- question data validation ---------------------------------------------------------------------------


def test_single_data_problems_listed_together():
    data = {
        "options": [{"key": "a", "text": "A"}, {"key": "a", "text": "B"}, {"key": "b c", "text": "C"}],
        "correct": "z",
        "shuffle": "yes",
    }
    assert problems("single", data) == [
        "Option key “a” appears twice.",
        "The key “b c” is not valid: use 1 to 40 letters, digits, “.”, “-” or “_”.",
        "“shuffle” must be true or false.",
        "The correct option “z” is not one of the options.",
    ]
    assert problems("single", {"options": options("a"), "correct": "a"}) == ["Add at least two options."]


def test_multiple_data_problems():
    data = {"options": [*options("a", "b"), {"key": "c", "text": " "}], "correct": ["a", "a", "x"], "scoring": "half"}
    assert problems("multiple", data) == [
        "Option “c” has no text.",
        "Unknown scoring rule “half”; use one of: all_or_nothing, right_minus_wrong, per_option.",
        "The correct option “a” is listed twice.",
        "The correct option “x” is not one of the options.",
    ]
    assert problems("multiple", {"options": options("a", "b"), "correct": []}) == [
        "Choose a scoring rule: all_or_nothing, right_minus_wrong, per_option.",
        "Choose at least one correct option.",
    ]


def test_truefalse_and_short_data_problems():
    assert problems("truefalse", {"correct": "true"}) == ["“correct” must be true or false."]
    assert problems("short", {"accepted": []}) == ["Add at least one accepted answer."]
    assert problems("short", {"accepted": ["ok", " .!? ", "x" * 501]}) == [
        "Accepted answer 2 is empty (spaces and punctuation do not count).",
        "Accepted answer 3 is longer than the 500 characters a response may have.",
    ]


def test_matching_data_problems():
    data = {
        "items": items("1", "2", "3"),
        "choices": options("x"),
        "correct": {"1": "x", "2": "q", "9": "x"},
    }
    assert problems("matching", data) == [
        "Add at least two choices.",
        "The correct choice “q” for item “2” is not one of the choices.",
        "“correct” names item “9”, which the question does not have.",
        "Item “3” has no correct choice.",
    ]


def test_ordering_data_problems():
    data = {"items": items("k1", "k2", "k3"), "correct": ["k1", "k1", "k9"], "scoring": "random"}
    assert problems("ordering", data) == [
        "Unknown scoring rule “random”; use one of: all_or_nothing, positions, adjacent_pairs.",
        "The correct order lists item “k1” twice.",
        "The correct order names item “k9”, which is not one of the items.",
        "The correct order leaves out item “k2”.",
        "The correct order leaves out item “k3”.",
    ]


def test_case_data_problems():
    data = case()
    data["elements"][0]["select"] = "some"
    data["elements"][1]["weight"] = 0
    data["elements"][2]["correct"] = ["labour", "slavery"]
    data["elements"][3]["correct"] = []  # a single element needs exactly one
    data["elements"][4]["correct"] = ["1", "2"]
    data["elements"][5]["options"].append({"key": "2.d", "text": "again"})
    data["elements"].append(element("act", "single", ("a", "b"), ("a",)))
    assert problems("case", data) == [
        "Element key “act” appears twice.",
        "Element “act”: “select” must be “single” or “multiple”.",
        "Element “means”: the weight must be a number greater than 0.",
        "Element “purpose”: the correct option “slavery” is not one of its options.",
        "Element “consent” takes one option, so it needs exactly one correct option.",
        "Element “part” takes one option, so it needs exactly one correct option.",
        "Element “aggravations”: option key “2.d” appears twice.",
    ]
    assert problems("case", {"elements": []}) == ["Add at least one element."]


def test_rubric_data_problems():
    data = {
        "criteria": [
            {"key": "a", "text": "A", "points": 0},
            {"key": "b", "text": "B", "points": 1.5},
            {"key": "c", "text": "", "points": True},
        ],
        "max_words": -5,
    }
    assert problems("rubric", data) == [
        "Criterion “c” has no text.",
        "Criterion “a”: the points must be a whole number greater than 0.",
        "Criterion “b”: the points must be a whole number greater than 0.",
        "Criterion “c”: the points must be a whole number greater than 0.",
        "“max_words” must be a whole number greater than 0.",
    ]


def test_unknown_kind_and_shape():
    assert problems("essay", {}) == ["Unknown question type “essay”."]
    assert problems("single", []) == ["The question data must be a JSON object."]
    assert problems("single", {}) == ["“options” must be a list.", "Choose the correct option."]


@pytest.mark.parametrize("key", ["a", "2.ç", "2.ä", "k-1_x.y", "ž", "Ýaş", "x" * 40])
def test_valid_keys(key):
    question_data_validate(kind="single", data={"options": [*options(key, "other")], "correct": key})


@pytest.mark.parametrize("key", ["", "a b", "x" * 41, "a/b", "a\n", unicodedata.normalize("NFD", "2.ç"), 7])
def test_invalid_keys(key):
    found = problems("single", {"options": [*options("other", "more"), {"key": key, "text": "T"}], "correct": "other"})
    assert len(found) == 1
    assert "key" in found[0]


def test_messages_are_lazy_and_render_in_the_active_language():
    with pytest.raises(QuestionDataError) as caught:
        question_data_validate(kind="single", data={"options": options("a", "a"), "correct": "z"})
    message = caught.value.messages[0]
    assert isinstance(message, Promise)
    with override("en"):
        assert str(message) == "Option key “a” appears twice."
