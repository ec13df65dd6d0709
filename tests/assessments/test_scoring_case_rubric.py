"""Scoring of case-qualification and rubric questions (assessments/scoring.py): no database.

Every expected number is worked out by hand in a comment next to it.
"""

import pytest
from django.utils.translation import override

from assessments.scoring import ResponseError, Score
from tests.assessments.scoring_helpers import CASE_RIGHT, D, RUBRIC, case, score


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
