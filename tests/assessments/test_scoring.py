"""Scoring of responses by kind (assessments/scoring.py): no database. Case and rubric questions are in
``test_scoring_case_rubric.py``, the validation of responses and question data in ``test_scoring_validation.py``.

Every expected number is worked out by hand in a comment next to it.
"""

import unicodedata

import pytest

from assessments.scoring import KINDS, answer_normalise, options_order, question_data_validate, response_validate
from tests.assessments.scoring_helpers import (
    D,
    MATCHING,
    SHORT,
    SINGLE,
    TRUEFALSE,
    VALID,
    items,
    multiple,
    options,
    ordering,
    score,
)


def test_kinds_are_the_documented_ones():
    assert KINDS == ("single", "multiple", "truefalse", "matching", "ordering", "short", "case", "rubric", "numerical", "cloze")


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


# --- score invariants -----------------------------------------------------------------------------------


@pytest.mark.parametrize("points", ["0.01", "0.5", "1", "2.5", "7", "100"])
def test_score_within_points_and_two_places(points):
    for response in (["a"], ["a", "b"], ["a", "c"], [], ["a", "b", "c", "d", "e"]):
        for rule in ("all_or_nothing", "right_minus_wrong", "per_option"):
            result = score("multiple", multiple(rule), response, points=points)
            assert D(0) <= result.score <= D(points)
            assert result.score.as_tuple().exponent == -2


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
