"""Pre/post analytics (assessments/analytics.py) on a small example computed by hand. No database.

Every expected figure is written out as a number, with its arithmetic in a comment; none is computed with
the function under test. The example: 4 items, 6 learners, two agencies (GPO, MIA), two languages.

Items (max points, kind, key, objective, module):
    q1  1  single      a      m1-def       1
    q2  1  single      b      m1-def       1
    q3  1  true/false  true   m4-elements  4
    q4  2  short       -      (none)       4
    q5  1  short       -      m8-x         8   (only one answer, not graded yet: left out everywhere)
Each test is worth 5 points (q1..q4).

Attempts (learner, phase, day, agency, language, form) and item scores q1 q2 q3 q4 -> total, chosen keys:
    101 L1 pre       day 1  GPO ru A   1 0 0 0 -> 1 (20%)   a c false
    102 L1 pre       day 3  GPO ru A   1 1 1 0 -> 3         a b true     second pre: ignored
    103 L1 post      day 5  GPO ru B   0 1 1 0 -> 2         b b true     first post: ignored
    104 L1 post      day 9  GPO ru B   1 0 1 1 -> 3 (60%)   a a true
    105 L1 practice  day 7  GPO ru -   1 1 1 2 -> 5         a b true     other purpose: ignored
    201 L2 pre       day 1  GPO tk A   0 1 1 0 -> 2 (40%)   b b true
    202 L2 post      day 9  GPO tk B   1 1 1 2 -> 5 (100%)  a b true
    301 L3 pre       day 1  GPO ru A   1 1 1 2 -> 5 (100%)  a b true
    302 L3 post      day 9  GPO ru B   1 1 0 2 -> 4 (80%)   a b false
    401 L4 pre       day 1  GPO tk A   0 0 0 0 -> 0 (0%)    c a false    moved to MIA before the post
    402 L4 post      day 9  MIA tk B   1 0 1 2 -> 4 (80%)   a c true
    501 L5 pre       day 1  MIA ru A   0 0 0 0 -> 0 (0%)    b c false
    502 L5 post      day 9  MIA ru B   1 1 1 2 -> 5 (100%)  a b true
    601 L6 pre       day 1  MIA tk A   1 1 0 0 -> 2         a b false    no post: not matched
"""

import math

import numpy as np
import pandas as pd
import pytest

from assessments.analytics import (
    distractor_counts,
    group_gains,
    item_analysis,
    item_by_language,
    item_change,
    learner_gains,
    objective_change,
)

ITEMS = {  # key: (max, objective, module)
    "q1": (1.0, "m1-def", 1),
    "q2": (1.0, "m1-def", 1),
    "q3": (1.0, "m4-elements", 4),
    "q4": (2.0, None, 4),
}
KEYED = {"q1", "q2", "q3"}  # single choice and true/false carry a response key
ATTEMPTS = [
    # attempt, learner, phase, day, agency, language, form, scores (q1..q4), chosen keys (q1..q3)
    (101, 1, "pre", 1, "GPO", "ru", "A", (1, 0, 0, 0), ("a", "c", "false")),
    (102, 1, "pre", 3, "GPO", "ru", "A", (1, 1, 1, 0), ("a", "b", "true")),
    (103, 1, "post", 5, "GPO", "ru", "B", (0, 1, 1, 0), ("b", "b", "true")),
    (104, 1, "post", 9, "GPO", "ru", "B", (1, 0, 1, 1), ("a", "a", "true")),
    (105, 1, "practice", 7, "GPO", "ru", "", (1, 1, 1, 2), ("a", "b", "true")),
    (201, 2, "pre", 1, "GPO", "tk", "A", (0, 1, 1, 0), ("b", "b", "true")),
    (202, 2, "post", 9, "GPO", "tk", "B", (1, 1, 1, 2), ("a", "b", "true")),
    (301, 3, "pre", 1, "GPO", "ru", "A", (1, 1, 1, 2), ("a", "b", "true")),
    (302, 3, "post", 9, "GPO", "ru", "B", (1, 1, 0, 2), ("a", "b", "false")),
    (401, 4, "pre", 1, "GPO", "tk", "A", (0, 0, 0, 0), ("c", "a", "false")),
    (402, 4, "post", 9, "MIA", "tk", "B", (1, 0, 1, 2), ("a", "c", "true")),
    (501, 5, "pre", 1, "MIA", "ru", "A", (0, 0, 0, 0), ("b", "c", "false")),
    (502, 5, "post", 9, "MIA", "ru", "B", (1, 1, 1, 2), ("a", "b", "true")),
    (601, 6, "pre", 1, "MIA", "tk", "A", (1, 1, 0, 0), ("a", "b", "false")),
]
POST = [103, 104, 202, 302, 402, 502]


def day(number):
    return pd.Timestamp("2026-03-01") + pd.Timedelta(days=number)


@pytest.fixture
def attempts():
    return pd.DataFrame(
        [
            {
                "attempt_id": attempt,
                "learner_id": learner,
                "phase": phase,
                "pairing": "course-1",
                "form": form,
                "score": float(sum(scores)),
                "max_score": 5.0,
                "submitted_at": day(number),
                "agency": agency,
                "language": language,
            }
            for attempt, learner, phase, number, agency, language, form, scores, _ in ATTEMPTS
        ]
    )


@pytest.fixture
def answers():
    rows = []
    for attempt, _, _, _, _, language, _, scores, chosen in ATTEMPTS:
        for (key, (maximum, objective, module)), score in zip(ITEMS.items(), scores):
            response = chosen[int(key[1]) - 1] if key in KEYED else None
            rows.append(
                {
                    "attempt_id": attempt,
                    "question_key": key,
                    "language": language,
                    "score": float(score),
                    "max_score": maximum,
                    "response_key": response,
                    "objective": objective,
                    "module": module,
                }
            )
    rows.append(
        {
            "attempt_id": 202, "question_key": "q5", "language": "tk", "score": None, "max_score": 1.0,
            "response_key": None, "objective": "m8-x", "module": 8,
        }
    )
    return pd.DataFrame(rows)


def by_key(frame, *columns):
    return frame.set_index(list(columns)) if len(columns) > 1 else frame.set_index(columns[0])


# --- learner_gains --------------------------------------------------------------------------------------


def test_learner_gains_match_first_pre_and_last_post(attempts):
    gains = by_key(learner_gains(attempts), "learner_id")
    # L6 has no post; practice attempt 105 is ignored.
    assert list(gains.index) == [1, 2, 3, 4, 5]
    # L1: first pre 101 (day 1, not the retake 102), last post 104 (day 9, not 103).
    assert gains.loc[1, "pre_attempt_id"] == 101
    assert gains.loc[1, "post_attempt_id"] == 104
    assert list(gains["pre_form"]) == ["A"] * 5
    assert list(gains["post_form"]) == ["B"] * 5
    # Points and percentages: pre 1/5 = 20%, 2/5 = 40%, 5/5 = 100%, 0%, 0%;
    # post 3/5 = 60%, 5/5 = 100%, 4/5 = 80%, 4/5 = 80%, 5/5 = 100%.
    assert list(gains["pre_score"]) == [1.0, 2.0, 5.0, 0.0, 0.0]
    assert list(gains["post_score"]) == [3.0, 5.0, 4.0, 4.0, 5.0]
    assert list(gains["max_score"]) == [5.0] * 5
    assert list(gains["pre"]) == pytest.approx([20, 40, 100, 0, 0])
    assert list(gains["post"]) == pytest.approx([60, 100, 80, 80, 100])
    # gain = post - pre: 60-20, 100-40, 80-100, 80-0, 100-0.
    assert list(gains["gain"]) == pytest.approx([40, 60, -20, 80, 100])
    assert list(gains["improved"]) == [True, True, False, True, True]


def test_normalised_gain_with_a_pre_test_at_100(attempts):
    gains = by_key(learner_gains(attempts), "learner_id")
    # g = (post - pre) / (100 - pre): 40/80, 60/60, (pre = 100: none), 80/100, 100/100.
    assert gains.loc[1, "normalised_gain"] == pytest.approx(0.5)
    assert gains.loc[2, "normalised_gain"] == pytest.approx(1.0)
    assert math.isnan(gains.loc[3, "normalised_gain"])
    assert gains.loc[4, "normalised_gain"] == pytest.approx(0.8)
    assert gains.loc[5, "normalised_gain"] == pytest.approx(1.0)


def test_group_columns_come_from_the_post_attempt(attempts):
    gains = by_key(learner_gains(attempts), "learner_id")
    # L4 sat the pre test in GPO and the post test in MIA.
    assert list(gains["agency"]) == ["GPO", "GPO", "GPO", "MIA", "MIA"]
    assert list(gains["language"]) == ["ru", "tk", "ru", "tk", "ru"]


def test_a_post_submitted_before_the_pre_is_not_matched(attempts):
    late_pre = pd.DataFrame(
        [
            {"attempt_id": 801, "learner_id": 8, "phase": "post", "pairing": "course-1", "form": "B", "score": 5.0,
             "max_score": 5.0, "submitted_at": day(2), "agency": "MIA", "language": "tk"},
            {"attempt_id": 802, "learner_id": 8, "phase": "pre", "pairing": "course-1", "form": "A", "score": 1.0,
             "max_score": 5.0, "submitted_at": day(4), "agency": "MIA", "language": "tk"},
        ]
    )
    gains = learner_gains(pd.concat([attempts, late_pre], ignore_index=True))
    assert 8 not in set(gains["learner_id"])


def test_pairings_are_matched_separately(attempts):
    other = attempts[attempts["learner_id"] == 2].assign(pairing="course-2", attempt_id=[901, 902])
    gains = learner_gains(pd.concat([attempts, other], ignore_index=True))
    assert list(gains.loc[gains["learner_id"] == 2, "pairing"]) == ["course-1", "course-2"]
    assert len(gains) == 6


def test_gains_are_nan_free_except_the_normalised_gain(attempts):
    gains = learner_gains(attempts)
    assert not gains.drop(columns=["normalised_gain"]).isna().any().any()


# --- group_gains ----------------------------------------------------------------------------------------


def test_overall_group_gains(attempts):
    overall = group_gains(learner_gains(attempts), by=[])
    assert len(overall) == 1
    row = overall.iloc[0]
    assert row["n"] == 5  # L3 (pre = 100) counts in n
    assert row["mean_pre"] == pytest.approx(32.0)  # (20 + 40 + 100 + 0 + 0) / 5
    assert row["mean_post"] == pytest.approx(84.0)  # (60 + 100 + 80 + 80 + 100) / 5
    assert row["mean_gain"] == pytest.approx(52.0)  # (40 + 60 - 20 + 80 + 100) / 5
    assert row["mean_normalised_gain"] == pytest.approx(0.825)  # (0.5 + 1 + 0.8 + 1) / 4, L3 left out
    assert row["share_improved"] == pytest.approx(0.8)  # 4 of 5
    # Wilcoxon, exact (no ties, no zeros): |d| = 20, 40, 60, 80, 100 get ranks 1..5; only rank 1 is
    # negative, so W- = 1. Of the 2^5 = 32 equally likely sign patterns, 2 have W- <= 1 ({} and {1}):
    # two-sided p = 2 * 2/32 = 0.125.
    assert row["wilcoxon_p"] == pytest.approx(0.125)
    # Paired t: mean d = 52, deviations -12, 8, -72, 28, 48, sum of squares 8480, s^2 = 8480/4 = 2120,
    # t = 52 / sqrt(2120/5) = 2.525343, df = 4. Student t CDF for 4 df in closed form:
    # F(t) = 1/2 + 3/8 * t/sqrt(1 + t^2/4) * (1 - t^2 / (12 (1 + t^2/4))) -> p = 2 (1 - F(t)) = 0.0649859.
    t = 52 / math.sqrt(2120 / 5)
    cdf = 0.5 + 3 / 8 * t / math.sqrt(1 + t * t / 4) * (1 - t * t / (12 * (1 + t * t / 4)))
    closed_form = 2 * (1 - cdf)
    assert closed_form == pytest.approx(0.0649859103, abs=1e-9)
    assert row["t_p"] == pytest.approx(0.0649859103, abs=1e-9)
    assert not row["significant"]


def test_group_gains_by_agency(attempts):
    table = by_key(group_gains(learner_gains(attempts), by=["agency"]), "agency")
    assert list(table.index) == ["GPO", "MIA"]
    gpo, mia = table.loc["GPO"], table.loc["MIA"]
    # GPO: L1, L2, L3 (d = 40, 60, -20).
    assert gpo["n"] == 3
    assert gpo["mean_pre"] == pytest.approx(160 / 3)  # (20 + 40 + 100) / 3 = 53.33
    assert gpo["mean_post"] == pytest.approx(80.0)  # (60 + 100 + 80) / 3
    assert gpo["mean_gain"] == pytest.approx(80 / 3)  # (40 + 60 - 20) / 3 = 26.67
    assert gpo["mean_normalised_gain"] == pytest.approx(0.75)  # (0.5 + 1) / 2
    assert gpo["share_improved"] == pytest.approx(2 / 3)
    # Wilcoxon exact: ranks 1 (negative), 2, 3 -> W- = 1; 2 of 2^3 = 8 patterns have W- <= 1: p = 2*2/8.
    assert gpo["wilcoxon_p"] == pytest.approx(0.5)
    # t: deviations 40/3, 100/3, -140/3, sum of squares 10400/3, s^2 = 5200/3, t = (80/3) / sqrt(5200/9)
    # = 1.1094004, df = 2: p = 1 - t / sqrt(t^2 + 2) = 0.3827866.
    assert gpo["t_p"] == pytest.approx(0.3827866002, abs=1e-9)
    # MIA: L4 (moved in from GPO), L5 (d = 80, 100).
    assert mia["n"] == 2
    assert mia["mean_pre"] == pytest.approx(0.0)
    assert mia["mean_post"] == pytest.approx(90.0)
    assert mia["mean_gain"] == pytest.approx(90.0)
    assert mia["mean_normalised_gain"] == pytest.approx(0.9)  # (0.8 + 1) / 2
    assert mia["share_improved"] == pytest.approx(1.0)
    # Wilcoxon exact: W- = 0, 1 of 2^2 = 4 patterns: p = 2 * 1/4 = 0.5.
    assert mia["wilcoxon_p"] == pytest.approx(0.5)
    # t: s = sqrt(200) , t = 90 / (sqrt(200)/sqrt(2)) = 9, df = 1 (Cauchy): p = 1 - 2/pi * atan(9) = 0.0704466.
    assert mia["t_p"] == pytest.approx(0.0704465750, abs=1e-9)
    assert not table["significant"].any()


def test_group_gains_by_two_columns_keeps_every_combination(attempts):
    table = group_gains(learner_gains(attempts), by=["agency", "language"])
    # GPO/ru: L1, L3; GPO/tk: L2; MIA/ru: L5; MIA/tk: L4.
    assert list(zip(table["agency"], table["language"], table["n"])) == [
        ("GPO", "ru", 2), ("GPO", "tk", 1), ("MIA", "ru", 1), ("MIA", "tk", 1),
    ]
    # n = 1: no test.
    assert table.loc[table["n"] == 1, ["wilcoxon_p", "t_p"]].isna().all().all()


def make_gains(differences, pre=50.0):
    differences = np.asarray(differences, dtype=float)
    post = pre + differences
    return pd.DataFrame(
        {
            "pre": pre,
            "post": post,
            "gain": differences,
            "normalised_gain": differences / (100 - pre),
            "improved": differences > 0,
        }
    )


def test_a_clear_improvement_is_significant():
    # d = 10, 20, ..., 60: all positive, no ties. W- = 0: 1 of 2^6 = 64 patterns, p = 2 * 1/64 = 0.03125.
    row = group_gains(make_gains([10, 20, 30, 40, 50, 60]), by=[]).iloc[0]
    assert row["wilcoxon_p"] == pytest.approx(0.03125)
    assert row["significant"]


def test_no_change_has_no_p_values():
    row = group_gains(make_gains([0, 0, 0]), by=[]).iloc[0]
    assert math.isnan(row["wilcoxon_p"])
    assert math.isnan(row["t_p"])
    assert not row["significant"]
    # Equal non-zero differences: no variance, so no t-test.
    row = group_gains(make_gains([20, 20, 20]), by=[]).iloc[0]
    assert math.isnan(row["t_p"])


# --- item_analysis --------------------------------------------------------------------------------------
# Post attempts (ranked by total, best first): 202 (5), 502 (5), 302 (4), 402 (4), 104 (3), 103 (2).
# N = 6, so each group holds round(0.27 * 6) = round(1.62) = 2: top {202, 502}, bottom {104, 103}.


def test_item_analysis_of_the_post_test(attempts, answers):
    items = by_key(item_analysis(answers, attempts, phase="post"), "question_key")
    assert list(items.index) == ["q1", "q2", "q3", "q4"]  # q5 was never graded
    assert list(items["n"]) == [6, 6, 6, 6]
    # Facility: q1 5/6, q2 4/6, q3 5/6, q4 (0 + .5 + 1 + 1 + 1 + 1)/6 = 4.5/6.
    assert list(items["facility"]) == pytest.approx([5 / 6, 4 / 6, 5 / 6, 0.75])
    # Top 27% all score 1 on every item; bottom (104, 103): q1 1,0; q2 0,1; q3 1,1; q4 .5,0.
    # D = 1 - .5, 1 - .5, 1 - 1, 1 - .25.
    assert list(items["discrimination_27"]) == pytest.approx([0.5, 0.5, 0.0, 0.75])
    # Point-biserial with the rest score (total - item) / (5 - item max), attempts 103 104 202 302 402 502:
    # q1: x = 0 1 1 1 1 1, rest = .5 .5 1 .75 .75 1; dx = -5/6, 1/6 x5; dr = -.25 -.25 .25 0 0 .25;
    #     Sxy = 5/24 - 1/24 + 1/24 + 1/24 = .25, Sxx = 30/36, Syy = .25 -> r = .25 / sqrt(5/24) = sqrt(0.3).
    # q2: x = 1 0 1 1 0 1, rest (in 24ths) = 6 18 24 18 24 24, mean 19; dx = 1/3 -2/3 1/3 1/3 -2/3 1/3;
    #     Sxy = -1/6, Sxx = 4/3, Syy = 246/576 -> r = -sqrt(2/41) = -0.2208631.
    # q3: x = 1 1 1 0 1 1, rest (in quarters) = 1 2 4 4 3 4, mean 3; Sxy = -1/4, Sxx = 5/6, Syy = 1/2
    #     -> r = -.25 / sqrt(5/12) = -sqrt(0.15) = -0.3872983.
    # q4: x = 0 .5 1 1 1 1, rest = 2/3 2/3 1 2/3 2/3 1, means .75 and 7/9; Sxy = 1.5/9, Sxx = .875,
    #     Syy = 12/81 -> r = sqrt(3/14) = 0.4629100.
    assert list(items["point_biserial"]) == pytest.approx([0.5477225575, -0.2208630521, -0.3872983346, 0.4629100499])
    # q3 separates nobody (D = 0 < 0.2); the others pass.
    assert list(items["flag"]) == ["", "", "poor discrimination", ""]


def test_item_analysis_pools_pre_and_post_by_default(attempts, answers):
    items = by_key(item_analysis(answers, attempts), "question_key")
    # 7 pre + 6 post attempts; practice 105 is left out. q1 right in pre 101 102 301 601 and post 104 202
    # 302 402 502 = 9 of 13.
    assert items.loc["q1", "n"] == 13
    assert items.loc["q1", "facility"] == pytest.approx(9 / 13)


def test_ties_are_broken_by_attempt_id_and_a_reversed_item_is_flagged():
    # Four attempts with the same total (1 of 2): the lower attempt id ranks higher. Group size
    # round(0.27 * 4) = round(1.08) = 1: top = attempt 1, bottom = attempt 4.
    attempts = pd.DataFrame({"attempt_id": [1, 2, 3, 4], "phase": "post"})
    answers = pd.DataFrame(
        {
            "attempt_id": [1, 1, 2, 2, 3, 3, 4, 4],
            "question_key": ["x", "y"] * 4,
            "score": [1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0],
            "max_score": 1.0,
        }
    )
    items = by_key(item_analysis(answers, attempts), "question_key")
    assert items.loc["x", "discrimination_27"] == pytest.approx(1.0)  # 1 - 0
    assert items.loc["y", "discrimination_27"] == pytest.approx(-1.0)  # 0 - 1
    assert items.loc["y", "flag"] == "negative discrimination"
    # The rest score of x is y and vice versa: x = 1 0 1 0, y = 0 1 0 1, a perfect negative correlation.
    assert items.loc["x", "point_biserial"] == pytest.approx(-1.0)


def test_too_easy_too_hard_and_constant_items():
    # e: right on every attempt, h: wrong on every attempt, g: right on attempts 1 and 2.
    attempts = pd.DataFrame({"attempt_id": [1, 2, 3, 4], "phase": "pre"})
    answers = pd.DataFrame(
        {
            "attempt_id": [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4],
            "question_key": ["e", "h", "g"] * 4,
            "score": [1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
            "max_score": 1.0,
        }
    )
    items = by_key(item_analysis(answers, attempts, phase="pre"), "question_key")
    assert items.loc["e", "flag"] == "too easy"  # facility 1 > 0.9 (its D = 0 too: the first rule wins)
    assert items.loc["h", "flag"] == "too hard"  # facility 0 < 0.2
    assert items.loc["g", "flag"] == ""  # facility .5, D = 1 - 0
    # A constant item (and g, whose rest score e + h is 1 on every attempt) has no correlation.
    assert items["point_biserial"].isna().all()
    # Nothing in scope for the other phase.
    assert item_analysis(answers, attempts, phase="post").empty


def test_discrimination_needs_four_attempts():
    attempts = pd.DataFrame({"attempt_id": [1, 2, 3], "phase": "post"})
    answers = pd.DataFrame({"attempt_id": [1, 2, 3], "question_key": "x", "score": [1.0, 0.0, 1.0], "max_score": 1.0})
    items = item_analysis(answers, attempts)
    assert math.isnan(items.loc[0, "discrimination_27"])
    assert items.loc[0, "facility"] == pytest.approx(2 / 3)
    assert items.loc[0, "flag"] == ""


# --- distractor_counts ----------------------------------------------------------------------------------


def test_distractor_counts(answers):
    table = distractor_counts(answers[answers["attempt_id"].isin(POST)])
    rows = list(zip(table["question_key"], table["response_key"], table["count"], table["is_key"]))
    # Post answers: q1 a a a a a b (103 chose b), q2 b a b b c b, q3 true x5 and false (302); q4 has no key.
    assert rows == [
        ("q1", "a", 5, True), ("q1", "b", 1, False),
        ("q2", "a", 1, False), ("q2", "b", 4, True), ("q2", "c", 1, False),
        ("q3", "false", 1, False), ("q3", "true", 5, True),
    ]
    assert list(table["share"]) == pytest.approx([5 / 6, 1 / 6, 1 / 6, 4 / 6, 1 / 6, 1 / 6, 5 / 6])


# --- item_change and objective_change -------------------------------------------------------------------
# Matched pre attempts 101 201 301 401 501, matched post 104 202 302 402 502 (not 102, 103, 105, 601).
#   pre:  101 1 0 0 0 | 201 0 1 1 0 | 301 1 1 1 1 | 401 0 0 0 0 | 501 0 0 0 0   (q4 as a fraction of 2)
#   post: 104 1 0 1 .5 | 202 1 1 1 1 | 302 1 1 0 1 | 402 1 0 1 1 | 502 1 1 1 1


def test_item_change_over_matched_attempts(attempts, answers):
    table = by_key(item_change(answers, attempts), "question_key")
    assert list(table.index) == ["q1", "q2", "q3", "q4"]
    assert list(table["n_pre"]) == [5, 5, 5, 5]
    assert list(table["n_post"]) == [5, 5, 5, 5]
    assert list(table["pre_facility"]) == pytest.approx([0.4, 0.4, 0.4, 0.2])  # 2/5 2/5 2/5 1/5
    assert list(table["post_facility"]) == pytest.approx([1.0, 0.6, 0.8, 0.9])  # 5/5 3/5 4/5 4.5/5
    assert list(table["change"]) == pytest.approx([0.6, 0.2, 0.4, 0.7])


def test_objective_change(attempts, answers):
    table = objective_change(answers, attempts)
    assert list(table["objective"].iloc[:2]) == ["m1-def", "m4-elements"]
    assert pd.isna(table["objective"].iloc[2])  # q4 has no objective: kept, under module 4
    assert list(table["module"]) == [1, 4, 4]
    # m1-def (q1, q2): pre (2 + 2)/10, post (5 + 3)/10. m4-elements (q3): 2/5 -> 4/5. No objective (q4): 1/5 -> 4.5/5.
    assert list(table["n_pre"]) == [10, 5, 5]
    assert list(table["pre_facility"]) == pytest.approx([0.4, 0.4, 0.2])
    assert list(table["post_facility"]) == pytest.approx([0.8, 0.8, 0.9])
    assert list(table["change"]) == pytest.approx([0.4, 0.4, 0.7])


def test_an_item_on_one_form_only_has_no_change(attempts, answers):
    extra = pd.DataFrame(
        [{"attempt_id": 202, "question_key": "q9", "language": "tk", "score": 1.0, "max_score": 1.0,
          "response_key": None, "objective": None, "module": None}]
    )
    table = by_key(item_change(pd.concat([answers, extra], ignore_index=True), attempts), "question_key")
    assert table.loc["q9", "n_pre"] == 0
    assert math.isnan(table.loc["q9", "pre_facility"])
    assert table.loc["q9", "post_facility"] == pytest.approx(1.0)
    assert math.isnan(table.loc["q9", "change"])


# --- item_by_language -----------------------------------------------------------------------------------


def test_item_by_language_deviation(answers):
    table = by_key(item_by_language(answers[answers["attempt_id"].isin(POST)]), "question_key", "language")
    # q1 post: ru 103 104 302 502 = 0 1 1 1 -> 3/4; tk 202 402 = 1 1 -> 1; all 5/6.
    assert table.loc[("q1", "ru"), "n"] == 4
    assert table.loc[("q1", "ru"), "facility"] == pytest.approx(0.75)
    assert table.loc[("q1", "ru"), "item_facility"] == pytest.approx(5 / 6)
    assert table.loc[("q1", "ru"), "deviation"] == pytest.approx(-1 / 12)  # 3/4 - 5/6
    assert table.loc[("q1", "tk"), "deviation"] == pytest.approx(1 / 6)  # 1 - 5/6
    # q4: ru 0 .5 1 1 -> 2.5/4; tk 1 1 -> 1; all .75: tk deviates by .25 but on 2 answers only.
    assert table.loc[("q4", "tk"), "deviation"] == pytest.approx(0.25)
    assert not table["suspect"].any()


def test_a_language_off_by_a_quarter_on_ten_answers_is_suspect():
    # Item t: tk 7 of 10 right, ru 2 of 10 -> all 9/20 = .45; deviations +.25 and -.25 (0.7 - 0.45 is
    # 0.24999999999999994 in floating point: still suspect). Item u: the same with 9 tk answers (6 right)
    # and 9 ru (1 right): all 7/18, deviations 6/9 - 7/18 = 5/18 = .278 but n = 9: not suspect.
    def rows(key, language, right, total):
        return [{"question_key": key, "language": language, "score": float(i < right), "max_score": 1.0,
                 "attempt_id": i} for i in range(total)]

    answers = pd.DataFrame(rows("t", "tk", 7, 10) + rows("t", "ru", 2, 10) + rows("u", "tk", 6, 9) + rows("u", "ru", 1, 9))
    table = by_key(item_by_language(answers), "question_key", "language")
    assert table.loc[("t", "tk"), "deviation"] == pytest.approx(0.25)
    assert table.loc[("t", "ru"), "deviation"] == pytest.approx(-0.25)
    assert table.loc[("t", "tk"), "suspect"]
    assert table.loc[("t", "ru"), "suspect"]
    assert table.loc[("u", "tk"), "deviation"] == pytest.approx(5 / 18)
    assert not table.loc[("u", "tk"), "suspect"]
    assert not table.loc[("u", "ru"), "suspect"]


# --- empty inputs and bad input -------------------------------------------------------------------------


def test_empty_inputs_give_empty_frames_with_the_documented_columns(attempts, answers):
    no_attempts, no_answers = attempts.iloc[:0], answers.iloc[:0]
    gains = learner_gains(no_attempts)
    assert gains.empty
    assert {"learner_id", "pairing", "pre", "post", "gain", "normalised_gain", "improved", "agency"} <= set(gains.columns)
    groups = group_gains(gains, by=["agency"])
    assert groups.empty
    assert list(groups.columns) == [
        "agency", "n", "mean_pre", "mean_post", "mean_gain", "mean_normalised_gain", "share_improved",
        "wilcoxon_p", "t_p", "significant",
    ]
    assert group_gains(gains, by=[]).empty
    assert list(item_analysis(no_answers, attempts).columns) == [
        "question_key", "n", "facility", "discrimination_27", "point_biserial", "flag",
    ]
    assert list(distractor_counts(no_answers).columns) == ["question_key", "response_key", "count", "share", "is_key"]
    change_columns = ["n_pre", "pre_facility", "n_post", "post_facility", "change"]
    assert list(item_change(no_answers, attempts).columns) == ["question_key", *change_columns]
    assert list(item_change(answers, no_attempts).columns) == ["question_key", *change_columns]
    assert list(objective_change(no_answers, attempts).columns) == ["objective", "module", *change_columns]
    assert list(item_by_language(no_answers).columns) == [
        "question_key", "language", "n", "facility", "item_facility", "deviation", "suspect",
    ]
    for frame in (gains, groups, item_analysis(no_answers, attempts), item_by_language(no_answers)):
        assert frame.empty


def test_only_practice_attempts_match_nobody(attempts):
    assert learner_gains(attempts[attempts["phase"] == "practice"]).empty


def test_a_maximum_of_zero_points_is_refused(attempts):
    with pytest.raises(ValueError, match="max_score"):
        learner_gains(attempts.assign(max_score=0.0))


def test_an_unknown_phase_is_refused(attempts, answers):
    with pytest.raises(ValueError, match="phase"):
        item_analysis(answers, attempts, phase="practice")


def test_the_batched_wilcoxon_equals_scipy_one_group_at_a_time():
    # _wilcoxon_by_group batches the groups by scipy's method and sample length; every p-value must equal
    # scipy's "auto" call on that group alone: samples of 1..60 values, with zeros, ties (discrete gains on a
    # 30-item test, as on the reports), float noise, negative and all-equal groups.
    from assessments.analytics import _wilcoxon_by_group, _wilcoxon_one

    rng = np.random.default_rng(20)
    samples = []
    for length in range(1, 61):
        for kind in range(8):
            if kind == 0:  # continuous: no ties, no zeros
                sample = rng.normal(5, 10, length)
            elif kind == 1:  # percentages of a 30-item test: ties and zeros
                pre, post = rng.integers(0, 31, length), rng.integers(0, 31, length)
                sample = post / 30 * 100 - pre / 30 * 100
            elif kind == 2:  # small integers: many ties and zeros
                sample = rng.integers(-3, 4, length).astype(float)
            elif kind == 3:  # ties without zeros
                sample = rng.choice([-10.0, 5.0, 10.0, 20.0], length)
            elif kind == 4:  # one zero among distinct values
                sample = np.concatenate(([0.0], rng.normal(0, 1, length - 1)))
            elif kind == 5:  # all equal, non-zero
                sample = np.full(length, 7.5)
            elif kind == 6:  # all improved
                sample = np.abs(rng.normal(10, 3, length)) + 0.1
            else:  # opposite signs of the same sizes (ties of |d|)
                sample = rng.choice([-1.0, 1.0], length) * rng.integers(1, 4, length)
            samples.append(sample)
    codes = np.concatenate([np.full(len(sample), code) for code, sample in enumerate(samples)])
    differences = np.concatenate(samples)
    shuffle = rng.permutation(len(differences))  # groups interleaved, as the rows of a frame come
    testable = np.array([len(sample) >= 2 and np.any(sample != 0) for sample in samples])
    fast = _wilcoxon_by_group(differences[shuffle], codes[shuffle], testable)
    for code, sample in enumerate(samples):
        if not testable[code]:
            assert math.isnan(fast[code])
            continue
        expected = _wilcoxon_one(sample)
        assert fast[code] == pytest.approx(expected, rel=1e-12, abs=1e-12), (code, len(sample), sample)
