"""Scoring, validation and normalisation of questions and responses (assessments/scoring.py): no database.

Every expected number is worked out by hand in a comment next to it.
"""

import unicodedata
from decimal import Decimal

import pytest
from django.utils.functional import Promise
from django.utils.translation import override

from assessments.scoring import (
    KINDS,
    QuestionDataError,
    ResponseError,
    Score,
    answer_normalise,
    options_order,
    question_data_validate,
    response_score,
    response_validate,
)

D = Decimal


def options(*keys):
    return [{"key": key, "text": f"Option {key}"} for key in keys]


def items(*keys):
    return [{"key": key, "text": f"Item {key}"} for key in keys]


def score(kind, data, response, points="1", **kwargs) -> Score:
    return response_score(kind=kind, data=data, points=D(points), response=response, **kwargs)


def problems(kind, data) -> list[str]:
    with pytest.raises(QuestionDataError) as caught:
        question_data_validate(kind=kind, data=data)
    assert all(isinstance(message, Promise) for message in caught.value.messages)
    with override("en"):
        return [str(message) for message in caught.value.messages]


def refused(kind, data, response) -> str:
    with pytest.raises(ResponseError) as caught:
        response_validate(kind=kind, data=data, response=response)
    assert isinstance(caught.value.message, Promise)
    with override("en"):
        return str(caught.value.message)


# --- fixtures: one valid question per kind -------------------------------------------------------------

SINGLE = {"options": options("a", "b", "c"), "correct": "b", "shuffle": True}


def multiple(rule, correct=("a", "b"), keys=("a", "b", "c", "d", "e")):
    return {"options": options(*keys), "correct": list(correct), "scoring": rule, "shuffle": True}


TRUEFALSE = {"correct": False, "feedback_true": "No.", "feedback_false": "Right."}
MATCHING = {
    "items": items("1", "2", "3"),
    "choices": options("x", "y", "z", "w"),  # w is a distractor
    "correct": {"1": "x", "2": "y", "3": "z"},
    "shuffle": True,
}


def ordering(rule, keys=("k1", "k2", "k3", "k4")):
    return {"items": items(*keys), "correct": list(keys), "scoring": rule}


SHORT = {"accepted": ["Palermo Protocol", "Protocol to Prevent, Suppress and Punish Trafficking in Persons"]}


def element(key, select, option_keys, correct, weight=1):
    return {
        "key": key,
        "label": f"Label {key}",
        "select": select,
        "options": options(*option_keys),
        "correct": list(correct),
        "weight": weight,
        "explanation": "…",
    }


def case(aggravations=("2.d", "2.e"), weights=None):
    weights = weights or {}
    return {
        "scenario": "<p>A fictional case.</p>",
        "provision": "cc-129-1-2010",
        "elements": [
            element("act", "multiple", ("recruitment", "transportation", "transfer", "harbouring", "receipt"),
                    ("recruitment", "transportation"), weights.get("act", 1)),
            element("means", "multiple", ("threat", "force", "deception", "abuse"), ("deception",),
                    weights.get("means", 1)),
            element("purpose", "multiple", ("sexual", "labour", "organs"), ("labour",), weights.get("purpose", 1)),
            element("consent", "single", ("irrelevant", "relevant"), ("irrelevant",), weights.get("consent", 1)),
            element("part", "single", ("1", "2", "3"), ("2",), weights.get("part", 1)),
            element("aggravations", "multiple", ("2.a", "2.b", "2.ç", "2.d", "2.e"), aggravations,
                    weights.get("aggravations", 1)),
        ],
    }


CASE_RIGHT = {
    "act": ["recruitment", "transportation"],
    "means": ["deception"],
    "purpose": ["labour"],
    "consent": ["irrelevant"],
    "part": ["2"],
    "aggravations": ["2.d", "2.e"],
}

RUBRIC = {
    "criteria": [
        {"key": "authority", "text": "Names both central authorities", "points": 2},
        {"key": "procedure", "text": "Describes the procedure", "points": 3},
        {"key": "deadline", "text": "States the deadline", "points": 1},
    ],
    "guidance": "…",
    "model_answer": "<p>…</p>",
    "max_words": 5,
}

NUMERICAL = {"answers": [{"value": 3.14, "tolerance": 0.01}, {"min": 3, "max": 3.3, "weight": 50}]}

VALID = {
    "single": SINGLE,
    "multiple": multiple("per_option"),
    "truefalse": TRUEFALSE,
    "matching": MATCHING,
    "ordering": ordering("positions"),
    "short": SHORT,
    "case": case(),
    "rubric": RUBRIC,
    "numerical": NUMERICAL,
}


def test_kinds_are_the_documented_ones():
    assert KINDS == ("single", "multiple", "truefalse", "matching", "ordering", "short", "case", "rubric", "numerical")


@pytest.mark.parametrize("kind", KINDS)
def test_documented_shapes_are_valid(kind):
    question_data_validate(kind=kind, data=VALID[kind])  # no exception


@pytest.mark.parametrize("kind", KINDS)
def test_not_answered_scores_zero_and_needs_no_grading(kind):
    assert response_validate(kind=kind, data=VALID[kind], response=None) is None
    result = score(kind, VALID[kind], None, points="2")
    assert result.score == D("0.00")
    assert result.fraction == 0
    assert result.parts == {}
    assert result.needs_grading is False


# --- single and true/false -------------------------------------------------------------------------------


def test_single():
    right = score("single", SINGLE, "b", points="2")
    assert (right.score, right.fraction, right.parts) == (D("2.00"), D(1), {"b": D(1)})
    wrong = score("single", SINGLE, "a", points="2")
    assert (wrong.score, wrong.fraction, wrong.parts) == (D("0.00"), D(0), {"a": D(0)})


def test_truefalse():
    assert score("truefalse", TRUEFALSE, False).score == D("1.00")
    assert score("truefalse", TRUEFALSE, False).parts == {"false": D(1)}
    assert score("truefalse", TRUEFALSE, True).score == D("0.00")
    assert score("truefalse", TRUEFALSE, True).parts == {"true": D(0)}


# --- multiple response: C = 2 correct (a, b), W = 3 wrong (c, d, e) --------------------------------------


@pytest.mark.parametrize(
    ("rule", "chosen", "expected"),
    [
        # all correct chosen: every rule gives 1
        ("all_or_nothing", ["a", "b"], "1.00"),
        ("right_minus_wrong", ["a", "b"], "1.00"),
        ("per_option", ["a", "b"], "1.00"),
        # one wrong extra (c): aon 0; rmw 2/2 - 1/3 = 0.666… → 0.67; per option (2 + (3-1)) / 5 = 0.8
        ("all_or_nothing", ["a", "b", "c"], "0.00"),
        ("right_minus_wrong", ["a", "b", "c"], "0.67"),
        ("per_option", ["a", "b", "c"], "0.80"),
        # nothing chosen: aon 0; rmw 0/2 - 0/3 = 0; per option (0 + 3) / 5 = 0.6
        ("all_or_nothing", [], "0.00"),
        ("right_minus_wrong", [], "0.00"),
        ("per_option", [], "0.60"),
        # everything chosen: aon 0; rmw 2/2 - 3/3 = 0; per option (2 + 0) / 5 = 0.4
        ("all_or_nothing", ["a", "b", "c", "d", "e"], "0.00"),
        ("right_minus_wrong", ["a", "b", "c", "d", "e"], "0.00"),
        ("per_option", ["a", "b", "c", "d", "e"], "0.40"),
        # one right only: rmw 1/2 = 0.5; per option (1 + 3) / 5 = 0.8
        ("right_minus_wrong", ["a"], "0.50"),
        ("per_option", ["a"], "0.80"),
        # more wrong than right: rmw 1/2 - 2/3 < 0 → 0 (never negative); per option (1 + 1) / 5 = 0.4
        ("right_minus_wrong", ["a", "c", "d"], "0.00"),
        ("per_option", ["a", "c", "d"], "0.40"),
    ],
)
def test_multiple_rules(rule, chosen, expected):
    assert score("multiple", multiple(rule), chosen).score == D(expected)


def test_multiple_parts_judge_every_option():
    # chosen a, b, c: a and b right (chosen, correct), c wrong (chosen, not correct), d and e right (left out)
    result = score("multiple", multiple("right_minus_wrong"), ["a", "b", "c"])
    assert result.parts == {"a": D(1), "b": D(1), "c": D(0), "d": D(1), "e": D(1)}
    assert result.fraction == D("0.6667")  # 2/3


def test_multiple_with_no_wrong_options():
    data = multiple("right_minus_wrong", correct=("a", "b", "c"), keys=("a", "b", "c"))  # W = 0
    assert score("multiple", data, ["a", "b", "c"]).score == D("1.00")
    # rmw: 2/3 - 0 (w/W is 0 when W = 0) = 0.666… → 0.67; with 2 points 1.333… → 1.33
    assert score("multiple", data, ["a", "b"]).score == D("0.67")
    assert score("multiple", data, ["a", "b"], points="2").score == D("1.33")
    data = multiple("per_option", correct=("a", "b", "c"), keys=("a", "b", "c"))
    assert score("multiple", data, ["a"]).score == D("0.33")  # (1 + 0) / 3
    data = multiple("all_or_nothing", correct=("a", "b", "c"), keys=("a", "b", "c"))
    assert score("multiple", data, ["a", "b"]).score == D("0.00")


def test_multiple_points_scale():
    # rmw with one wrong extra: 2/3 of 3 points = 2.00; of 1.5 points = 1.00
    assert score("multiple", multiple("right_minus_wrong"), ["a", "b", "c"], points="3").score == D("2.00")
    assert score("multiple", multiple("right_minus_wrong"), ["a", "b", "c"], points="1.5").score == D("1.00")


# --- matching ---------------------------------------------------------------------------------------------


def test_matching_all_right():
    result = score("matching", MATCHING, {"1": "x", "2": "y", "3": "z"})
    assert result.score == D("1.00")
    assert result.parts == {"1": D(1), "2": D(1), "3": D(1)}


def test_matching_partial_and_distractor():
    # 1 right, 2 and 3 swapped: 1/3 → 0.33
    result = score("matching", MATCHING, {"1": "x", "2": "z", "3": "y"})
    assert (result.score, result.fraction) == (D("0.33"), D("0.3333"))
    assert result.parts == {"1": D(1), "2": D(0), "3": D(0)}
    # 1 right, 2 on the distractor, 3 unanswered: 1/3 of 2 points = 0.666… → 0.67
    result = score("matching", MATCHING, {"1": "x", "2": "w"}, points="2")
    assert result.score == D("0.67")
    assert result.parts == {"1": D(1), "2": D(0), "3": D(0)}


def test_rounding_is_half_up():
    # 8 items, 1 right: 1/8 = 0.125 exactly → 0.13 (half up; banker's rounding would give 0.12)
    keys = [str(n) for n in range(1, 9)]
    data = {"items": items(*keys), "choices": options(*keys), "correct": {key: key for key in keys}}
    result = score("matching", data, {"1": "1", "2": "3"})
    assert result.score == D("0.13")
    assert result.fraction == D("0.125")
    # 3 points: 3/8 = 0.375 → 0.38
    assert score("matching", data, {"1": "1"}, points="3").score == D("0.38")


# --- ordering: correct k1 k2 k3 k4 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "response", "expected"),
    [
        ("all_or_nothing", ["k1", "k2", "k3", "k4"], "1.00"),
        ("positions", ["k1", "k2", "k3", "k4"], "1.00"),
        ("adjacent_pairs", ["k1", "k2", "k3", "k4"], "1.00"),
        # reverse order: no item in place, no pair of correct order kept
        ("all_or_nothing", ["k4", "k3", "k2", "k1"], "0.00"),
        ("positions", ["k4", "k3", "k2", "k1"], "0.00"),
        ("adjacent_pairs", ["k4", "k3", "k2", "k1"], "0.00"),
        # one swap of the first two: k3, k4 in place (2/4); only the pair k3→k4 kept (1/3 → 0.33)
        ("all_or_nothing", ["k2", "k1", "k3", "k4"], "0.00"),
        ("positions", ["k2", "k1", "k3", "k4"], "0.50"),
        ("adjacent_pairs", ["k2", "k1", "k3", "k4"], "0.33"),
        # one swap in the middle: k1, k4 in place (2/4); pairs k1→k3, k3→k2, k2→k4: none of the correct ones
        ("positions", ["k1", "k3", "k2", "k4"], "0.50"),
        ("adjacent_pairs", ["k1", "k3", "k2", "k4"], "0.00"),
        # two blocks exchanged: nothing in place; pairs k1→k2 and k3→k4 kept (2/3 → 0.67)
        ("positions", ["k3", "k4", "k1", "k2"], "0.00"),
        ("adjacent_pairs", ["k3", "k4", "k1", "k2"], "0.67"),
    ],
)
def test_ordering_rules(rule, response, expected):
    assert score("ordering", ordering(rule), response).score == D(expected)


def test_ordering_reverse_of_five_keeps_the_middle():
    data = ordering("positions", keys=("k1", "k2", "k3", "k4", "k5"))
    assert score("ordering", data, ["k5", "k4", "k3", "k2", "k1"]).score == D("0.20")  # 1/5


def test_ordering_parts():
    result = score("ordering", ordering("positions"), ["k2", "k1", "k3", "k4"])
    assert result.parts == {"k1": D(0), "k2": D(0), "k3": D(1), "k4": D(1)}
    # adjacent pairs: keyed by the first item of each correct pair (k1→k2, k2→k3, k3→k4)
    result = score("ordering", ordering("adjacent_pairs"), ["k2", "k1", "k3", "k4"])
    assert result.parts == {"k1": D(0), "k2": D(0), "k3": D(1)}


# --- short answer ---------------------------------------------------------------------------------------

CYR_A, CYR_O, CYR_E, CYR_P, CYR_C = "\u0430", "\u043e", "\u0435", "\u0440", "\u0441"


@pytest.mark.parametrize(
    "typed",
    [
        "Palermo Protocol",
        "palermo protocol",
        "PALERMO PROTOCOL",
        "  Palermo    Protocol  ",
        "Palermo\u00a0Protocol\t",
        "Palermo Protocol.",
        "«Palermo» (Protocol)!",
        "\"Palermo\", protocol?",
        f"P{CYR_A}lermo Protocol",  # Cyrillic а in a Latin word
        f"Palerm{CYR_O} Pr{CYR_O}tocol",  # Cyrillic о
        f"Pal{CYR_E}rmo {CYR_P}roto{CYR_C}ol",  # Cyrillic е, р, с
        "protocol to prevent suppress and punish trafficking in persons",  # the second accepted answer
    ],
)
def test_short_answer_accepted(typed):
    assert score("short", SHORT, typed).score == D("1.00")
    assert score("short", SHORT, typed).parts == {"answer": D(1)}


@pytest.mark.parametrize("typed", ["Palermo", "Palermo Protocols", "Palermo-Protocol", "Protocol Palermo"])
def test_short_answer_refused(typed):
    assert score("short", SHORT, typed).score == D("0.00")
    assert score("short", SHORT, typed).parts == {"answer": D(0)}


def test_short_answer_latin_look_alikes_in_a_cyrillic_word():
    data = {"accepted": ["Палермский протокол"]}
    assert score("short", data, "палермский пpoтокол").score == D("1.00")  # Latin p and o
    assert score("short", data, "ПAЛEРМСКИЙ ПPOТОКОЛ").score == D("1.00")  # Latin A, E; P, O
    # only the listed look-alikes are unified: a Latin M or K stays Latin
    assert score("short", data, "ПAЛEРMСКИЙ ПРОТОКОЛ").score == D("0.00")
    assert score("short", data, "Палермский протокол!").score == D("1.00")


def test_short_answer_turkmen_letters_are_their_own():
    data = {"accepted": ["Şertnama"]}
    assert score("short", data, "şertnama").score == D("1.00")
    assert score("short", data, "ŞERTNAMA").score == D("1.00")
    assert score("short", data, "Sertnama").score == D("0.00")  # ş ≠ s
    assert score("short", data, unicodedata.normalize("NFD", "Şertnama")).score == D("1.00")  # S + U+0327
    data = {"accepted": ["Ýaşaýyş"]}
    assert score("short", data, "ýaşaýyş").score == D("1.00")
    assert score("short", data, "ÝAŞAÝYŞ").score == D("1.00")
    assert score("short", data, "yaşaýyş").score == D("0.00")  # ý ≠ y
    assert score("short", data, unicodedata.normalize("NFD", "ýaşaýyş")).score == D("1.00")  # y + U+0301
    data = {"accepted": ["Adam söwdasy"]}
    assert score("short", data, "ADAM SÖWDASY").score == D("1.00")
    assert score("short", data, "adam sowdasy").score == D("0.00")  # ö ≠ o


def test_answer_normalise():
    assert answer_normalise("  Hello,   World! ") == "hello world"
    assert answer_normalise("a ( b ) c") == "a b c"
    assert answer_normalise("it’s") == "its"
    # No Turkish casing: I → i; İ (a Turkish keyboard's capital) → i; dotless ı stays itself
    assert answer_normalise("I") == "i"
    assert answer_normalise("İşçi") == "işçi"
    assert answer_normalise("ışçı") == "ışçı"
    assert answer_normalise("Ý") == "ý"
    assert answer_normalise("ŽÄŇÖÜÇ") == "žäňöüç"
    # NFC: decomposed input becomes the precomposed letters
    assert answer_normalise(unicodedata.normalize("NFD", "Ç Ä Ž Ň Ö Ş Ü Ý")) == "ç ä ž ň ö ş ü ý"
    # a Cyrillic а inside a Latin word becomes Latin a, a Latin o inside a Cyrillic word Cyrillic о
    assert answer_normalise(f"m{CYR_A}n") == "man"
    assert answer_normalise("дoм") == "д\u043eм"
    # a word with as many Latin as Cyrillic letters of their own stays as typed
    assert answer_normalise("дom") == "дom"
    # a word of look-alikes only takes the script of the rest of the answer, else the hint
    assert answer_normalise(f"{CYR_C}{CYR_O}{CYR_P} protocol") == "cop protocol"
    assert answer_normalise("cop протокол") == f"{CYR_C}{CYR_O}{CYR_P} протокол"
    assert answer_normalise("cop", script_hint="ru") == f"{CYR_C}{CYR_O}{CYR_P}"
    assert answer_normalise(f"{CYR_C}{CYR_O}{CYR_P}", script_hint="tk") == "cop"
    assert answer_normalise("cop") == "cop"


# --- case qualification ---------------------------------------------------------------------------------


def test_case_all_right():
    result = score("case", case(), CASE_RIGHT)
    assert result.score == D("1.00")
    assert result.parts == {key: D(1) for key in CASE_RIGHT}


def test_case_a_wrong_aggravation():
    # aggravations 2.d and 2.ç: C = 2, W = 3 → 1/2 - 1/3 = 1/6; question (5 + 1/6) / 6 = 31/36 = 0.8611… → 0.86
    response = {**CASE_RIGHT, "aggravations": ["2.d", "2.ç"]}
    result = score("case", case(), response)
    assert result.score == D("0.86")
    assert result.parts["aggravations"] == D("0.1667")
    assert result.fraction == D("0.8611")


def test_case_no_aggravation_applies():
    data = case(aggravations=())
    # choosing nothing where nothing is correct: the element scores 1
    result = score("case", data, {**CASE_RIGHT, "aggravations": []})
    assert result.score == D("1.00")
    assert result.parts["aggravations"] == D(1)
    # choosing something there: the element scores 0 → 5/6 = 0.8333… → 0.83
    result = score("case", data, {**CASE_RIGHT, "aggravations": ["2.d"]})
    assert result.parts["aggravations"] == D(0)
    assert result.score == D("0.83")


def test_case_single_element_left_empty_or_wrong():
    # part wrong, consent not chosen: (4 + 0 + 0) / 6 = 0.666… → 0.67
    result = score("case", case(), {**CASE_RIGHT, "part": ["1"], "consent": []})
    assert result.parts["part"] == D(0)
    assert result.parts["consent"] == D(0)
    assert result.score == D("0.67")


def test_case_weights_and_points():
    data = case(weights={"act": 2, "part": 3})  # total weight 2 + 1 + 1 + 1 + 3 + 1 = 9
    # act: one of two correct, nothing wrong → 1/2; part wrong → 0; the rest right
    response = {**CASE_RIGHT, "act": ["recruitment"], "part": ["3"]}
    # weighted: 2·1/2 + 1 + 1 + 1 + 3·0 + 1 = 5 → 5/9 = 0.5555…
    assert score("case", data, response).score == D("0.56")
    assert score("case", data, response, points="2").score == D("1.11")  # 10/9 = 1.111…
    assert score("case", data, response, points="3").score == D("1.67")  # 15/9 = 1.666…
    assert score("case", data, response).fraction == D("0.5556")
    assert score("case", data, response).parts["act"] == D("0.5")


def test_case_fractional_weight():
    data = case(weights={"aggravations": 0.5})  # total weight 5.5
    response = {**CASE_RIGHT, "aggravations": []}  # element 0 (C = 2, nothing chosen)
    # 5 / 5.5 = 0.9090… → of 2 points 1.8181… → 1.82
    assert score("case", data, response, points="2").score == D("1.82")


# --- rubric: criteria 2 + 3 + 1 = 6 points ----------------------------------------------------------------


def test_rubric_pending_until_graded():
    result = score("rubric", RUBRIC, "The central authorities are named.", points="2")
    assert result == Score(score=D("0.00"), fraction=D(0), parts={}, needs_grading=True)
    assert score("rubric", RUBRIC, "Some text", rubric_awards={}).needs_grading is True


def test_rubric_awarded():
    awards = {"authority": 2, "procedure": 1, "deadline": 1}
    result = score("rubric", RUBRIC, "Some text", points="2", rubric_awards=awards)
    # (2 + 1 + 1) / 6 = 2/3; × 2 points = 1.333… → 1.33
    assert result.score == D("1.33")
    assert result.fraction == D("0.6667")
    assert result.parts == {"authority": D(1), "procedure": D("0.3333"), "deadline": D(1)}
    assert result.needs_grading is False


def test_rubric_criterion_left_out_counts_zero():
    result = score("rubric", RUBRIC, "Some text", points="2", rubric_awards={"authority": 2})
    assert result.score == D("0.67")  # 2/6 × 2 = 0.666…
    assert result.parts == {"authority": D(1), "procedure": D(0), "deadline": D(0)}


def test_rubric_awards_from_a_form_as_strings():
    result = score("rubric", RUBRIC, "Some text", points="6", rubric_awards={"authority": "1", "procedure": "3"})
    assert result.score == D("4.00")  # (1 + 3) / 6 × 6


@pytest.mark.parametrize(
    ("awards", "message"),
    [
        ({"authority": 3}, "The points for criterion “authority” must be a whole number from 0 to 2."),
        ({"deadline": -1}, "The points for criterion “deadline” must be a whole number from 0 to 1."),
        ({"procedure": 1.5}, "The points for criterion “procedure” must be a whole number from 0 to 3."),
        ({"procedure": True}, "The points for criterion “procedure” must be a whole number from 0 to 3."),
        ({"style": 1}, "The question has no criterion “style”."),
    ],
)
def test_rubric_awards_refused(awards, message):
    with pytest.raises(ResponseError) as caught:
        score("rubric", RUBRIC, "Some text", rubric_awards=awards)
    with override("en"):
        assert str(caught.value.message) == message


def test_rubric_unanswered_needs_no_grading():
    assert score("rubric", RUBRIC, None).needs_grading is False
    assert score("rubric", RUBRIC, None, rubric_awards={"authority": 2}).score == D("0.00")


# --- score invariants -----------------------------------------------------------------------------------


@pytest.mark.parametrize("points", ["0.01", "0.5", "1", "2.5", "7", "100"])
def test_score_within_points_and_two_places(points):
    for response in (["a"], ["a", "b"], ["a", "c"], [], ["a", "b", "c", "d", "e"]):
        for rule in ("all_or_nothing", "right_minus_wrong", "per_option"):
            result = score("multiple", multiple(rule), response, points=points)
            assert D(0) <= result.score <= D(points)
            assert result.score.as_tuple().exponent == -2


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


# --- deterministic shuffle ------------------------------------------------------------------------------

EIGHT = ["a", "b", "c", "d", "e", "f", "g", "h"]


def test_options_order_is_a_fixed_permutation():
    first = options_order(keys=EIGHT, seed="attempt-17:3")
    assert sorted(first) == EIGHT
    assert options_order(keys=list(EIGHT), seed="attempt-17:3") == first
    assert options_order(keys=list(reversed(EIGHT)), seed="attempt-17:3") == first  # input order irrelevant


def test_options_order_differs_between_seeds():
    orders = {tuple(options_order(keys=EIGHT, seed=f"attempt-{n}:1")) for n in range(10)}
    assert options_order(keys=EIGHT, seed="attempt-1:1") != options_order(keys=EIGHT, seed="attempt-2:1")
    assert len(orders) > 1
    assert tuple(EIGHT) not in orders or len(orders) > 2


def test_options_order_by_sha256():
    import hashlib

    expected = sorted(EIGHT, key=lambda key: hashlib.sha256(f"seed\x00{key}".encode()).hexdigest())
    assert options_order(keys=EIGHT, seed="seed") == expected
