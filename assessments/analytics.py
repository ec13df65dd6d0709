"""Pre/post test analytics: what did people learn, and which questions measure it well.

Pure functions over pandas DataFrames, with no database access: the selectors build the frames, these
functions only compute. Donors and agency heads read the figures, so every rule below is stated, and every
function returns the same documented columns for an empty input (an empty frame, never an error).
Everything is vectorised (no Python loop over rows; the only loop, in ``group_gains``, is over groups).

Input frames
------------
``attempts``: one row per submitted attempt.

=================  ===========  ==========================================================================
column             type         meaning
=================  ===========  ==========================================================================
``attempt_id``     int          the attempt
``learner_id``     int          the learner
``phase``          str          ``"pre"`` or ``"post"``; any other purpose (practice, quiz, ...) is ignored
``pairing``        str          what a pre and a post test are paired on (e.g. the blueprint/course key)
``form``           str          optional: parallel form ``"A"``/``"B"`` (may be ``""``)
``score``          float        points obtained
``max_score``      float        points available, > 0 (a ``ValueError`` otherwise)
``submitted_at``   datetime64   when it was submitted; rows without it are ignored (not submitted)
group columns      any          optional: ``course``, ``cohort``, ``session``, ``agency``, ``region``,
                                ``gender``, ``language``
=================  ===========  ==========================================================================

``answers``: one row per answer of those attempts.

=================  ===========  ==========================================================================
``attempt_id``     int          the attempt it belongs to
``question_key``   str          the question, one identity across the three languages
``language``       str          the language it was shown in
``score``          float        points obtained; missing (NaN/None) = not graded yet: left out of figures
``max_score``      float        points available, > 0 (a ``ValueError`` otherwise)
``response_key``   str | None   single-choice / true-false: the chosen option key; None for other kinds
``objective``      str | None   learning-objective tag, e.g. ``m4-elements``
``module``         int | None   module number of the curriculum
=================  ===========  ==========================================================================

Rules
-----
* Percentages are ``score / max_score * 100``; facilities are the mean of ``score / max_score`` (0..1).
* Matching a pre to a post test (``learner_gains``, ``item_change``, ``objective_change``): per learner and
  pairing, the FIRST submitted pre attempt and the LAST submitted post attempt (ties in ``submitted_at``
  broken by ``attempt_id``). The first pre is the knowledge before any training or retake; the last post
  is what the learner finally knows. A learner without both, or whose last post was submitted before
  (or at the same time as) the first pre, is not matched: such a post cannot measure learning.
* Item statistics use the graded answers only; a test's total is recomputed from those answers.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

PHASES = ("pre", "post")
GROUP_COLUMNS = ("course", "cohort", "session", "agency", "region", "gender", "language")
SIGNIFICANCE_LEVEL = 0.05
DISCRIMINATION_SHARE = 0.27  # Kelley's upper and lower 27%
DISCRIMINATION_MIN_ATTEMPTS = 4
TOO_EASY = 0.9
TOO_HARD = 0.2
POOR_DISCRIMINATION = 0.2
SUSPECT_DEVIATION = 0.25
SUSPECT_MIN_ANSWERS = 10
_TOLERANCE = 1e-9  # for thresholds met "exactly" (0.85 - 0.6 is 0.24999999999999994 in floating point)

ATTEMPT_COLUMNS = ("attempt_id", "learner_id", "phase", "pairing", "score", "max_score", "submitted_at")
ANSWER_COLUMNS = ("attempt_id", "question_key", "score", "max_score")

GAIN_COLUMNS = [
    "learner_id", "pairing", "pre_attempt_id", "post_attempt_id", "pre_form", "post_form",
    "pre_submitted_at", "post_submitted_at", "pre_score", "pre_max_score", "post_score", "max_score",
    "pre", "post", "gain", "normalised_gain", "improved",
]
GROUP_GAIN_COLUMNS = [
    "n", "mean_pre", "mean_post", "mean_gain", "mean_normalised_gain", "share_improved",
    "wilcoxon_p", "t_p", "significant",
]
ITEM_COLUMNS = ["question_key", "n", "facility", "discrimination_27", "point_biserial", "flag"]
DISTRACTOR_COLUMNS = ["question_key", "response_key", "count", "share", "is_key"]
CHANGE_COLUMNS = ["n_pre", "pre_facility", "n_post", "post_facility", "change"]
LANGUAGE_COLUMNS = ["question_key", "language", "n", "facility", "item_facility", "deviation", "suspect"]


# --- knowledge gain -------------------------------------------------------------------------------------


def learner_gains(attempts: pd.DataFrame) -> pd.DataFrame:
    """One row per matched learner and pairing: how much each learner learned.

    Columns: ``learner_id``, ``pairing``, ``pre_attempt_id``, ``post_attempt_id``, ``pre_form``,
    ``post_form`` ("" without a ``form`` column), ``pre_submitted_at``, ``post_submitted_at``,
    ``pre_score``, ``pre_max_score``, ``post_score``, ``max_score`` (of the post attempt), ``pre`` and
    ``post`` (percentages), ``gain`` (post - pre, in percentage points), ``normalised_gain`` (Hake's
    g = (post - pre) / (100 - pre): the share of what there was left to learn that was learned; NaN when
    pre = 100, since nothing was left to learn), ``improved`` (post > pre), then the group columns present
    in ``attempts``, taken from the post attempt (where the learner was when the learning was measured).

    The matching rule (first pre, last post, post after pre) is in the module docstring. Sorted by
    learner and pairing. NaN-free except ``normalised_gain`` and the group columns.
    """
    _require(attempts, ATTEMPT_COLUMNS, "attempts")
    groups = [column for column in GROUP_COLUMNS if column in attempts.columns]
    pairs = _matched(attempts)
    if pairs.empty:
        return _empty(GAIN_COLUMNS + groups, attempts, {"improved": bool, "normalised_gain": float})
    pre = pairs["pre_score"] / pairs["pre_max_score"] * 100
    post = pairs["post_score"] / pairs["max_score"] * 100
    gain = post - pre
    headroom = 100 - pre
    normalised = np.divide(gain, headroom, out=np.full(len(pairs), np.nan), where=headroom.to_numpy() > 0)
    result = pairs.assign(pre=pre, post=post, gain=gain, normalised_gain=normalised, improved=post > pre)
    result = result[GAIN_COLUMNS + groups].sort_values(["learner_id", "pairing"], kind="stable")
    return result.reset_index(drop=True)


def group_gains(gains: pd.DataFrame, *, by: list[str]) -> pd.DataFrame:
    """Per group of matched learners (``by`` columns of ``learner_gains``; ``by=[]``: one overall row).

    Columns: the ``by`` columns, ``n`` (matched pairs), ``mean_pre``, ``mean_post``, ``mean_gain``
    (percentage points), ``mean_normalised_gain`` (mean of the learners' g; learners with pre = 100 have
    no g and are left out of this mean only, they still count in ``n`` and the other figures; NaN when no
    learner has a g), ``share_improved`` (0..1), ``wilcoxon_p``, ``t_p`` and ``significant``.

    Why two tests: scores are bounded and often skewed, so the Wilcoxon signed-rank test (two-sided, on
    post - pre, zero differences dropped as Wilcoxon did, scipy's method "auto": exact without ties or
    zeros for n <= 50, an exhaustive permutation test with them up to n = 13, else the normal
    approximation) decides ``significant`` (p < 0.05); the paired t-test p-value is given for readers used
    to it. ``wilcoxon_p`` is NaN when n < 2 or all differences are 0; ``t_p`` is NaN when n < 2 or all
    differences are equal (no variance: the t statistic is undefined). ``significant`` is False when
    ``wilcoxon_p`` is NaN. Groups with a missing key value are kept (as NaN). Sorted by the ``by`` columns.
    """
    by = list(by)
    _require(gains, ["pre", "post", "gain", "normalised_gain", "improved", *by], "gains")
    if gains.empty:
        return _empty(by + GROUP_GAIN_COLUMNS, gains, {"significant": bool, "n": "int64"})
    frame = gains[by + ["pre", "post", "gain", "normalised_gain", "improved"]].copy()
    frame["improved"] = frame["improved"].astype(float)
    keys = by if by else np.zeros(len(frame), dtype=np.int8)
    grouped = frame.groupby(keys, dropna=False, sort=True)
    result = grouped.agg(
        n=("gain", "size"),
        mean_pre=("pre", "mean"),
        mean_post=("post", "mean"),
        mean_gain=("gain", "mean"),
        mean_normalised_gain=("normalised_gain", "mean"),
        share_improved=("improved", "mean"),
        sd_gain=("gain", "std"),
        min_gain=("gain", "min"),
        max_gain=("gain", "max"),
    )
    n = result["n"].to_numpy()
    constant = result["min_gain"].to_numpy() == result["max_gain"].to_numpy()
    testable = (n >= 2) & ~constant
    t_p = np.full(len(result), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = result["mean_gain"].to_numpy() / (result["sd_gain"].to_numpy() / np.sqrt(n))
    t_p[testable] = 2 * stats.t.sf(np.abs(t[testable]), n[testable] - 1)
    all_zero = constant & (result["min_gain"].to_numpy() == 0)
    wilcoxon_p = _wilcoxon_by_group(frame["gain"].to_numpy(), grouped.ngroup().to_numpy(), (n >= 2) & ~all_zero)
    result = result.drop(columns=["sd_gain", "min_gain", "max_gain"])
    result["wilcoxon_p"] = wilcoxon_p
    result["t_p"] = t_p
    result["significant"] = wilcoxon_p < SIGNIFICANCE_LEVEL  # NaN compares False
    result = result.reset_index(drop=not by)
    return result[by + GROUP_GAIN_COLUMNS]


def _wilcoxon_by_group(differences: np.ndarray, codes: np.ndarray, testable: np.ndarray) -> np.ndarray:
    """Two-sided Wilcoxon signed-rank p-value per group code, as ``_wilcoxon_one`` gives it for each group.

    One scipy call per group costs milliseconds (25 s for 4,000 cascade sessions), so the groups are
    sorted by the method scipy's "auto" picks for each of them (``_wilcoxon_method``) and by sample length,
    and each batch is computed at once: the exact and the asymptotic ones by one vectorised
    ``stats.wilcoxon(..., axis=1)`` call with that method named (per row it computes what the one-group
    call computes; the batching matters, since in a 2-D call "auto" looks for zeros and ties in the whole
    batch), the permutation ones by ``_wilcoxon_permutation``. A loop over groups (to slice them), never
    over rows. tests/assessments/test_analytics.py compares it with the one-group call.
    """
    p = np.full(len(testable), np.nan)
    order = np.argsort(codes, kind="stable")
    bounds = np.concatenate(([0], np.cumsum(np.bincount(codes, minlength=len(testable)))))
    ordered = differences[order].astype(float)
    batches: dict[tuple, list[int]] = {}
    for code in np.flatnonzero(testable):
        sample = ordered[bounds[code] : bounds[code + 1]]
        method = _wilcoxon_method(sample)
        # a permutation batch holds the non-zero differences only (zeros change no p-value there)
        size = int(np.count_nonzero(sample)) if method == "permutation" else len(sample)
        batches.setdefault((method, size), []).append(code)
    for (method, size), batch in batches.items():
        if method == "permutation":
            rows = np.stack([_nonzero(ordered[bounds[code] : bounds[code + 1]]) for code in batch])
            step = max(1, 2**21 // 2**size)  # 2**size sign patterns per row: about 2 million values a step
            for start in range(0, len(batch), step):
                p[batch[start : start + step]] = _wilcoxon_permutation(rows[start : start + step])
            continue
        rows = np.stack([ordered[bounds[code] : bounds[code + 1]] for code in batch])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # scipy warns about small samples; the p-value is still right
            p[batch] = stats.wilcoxon(
                rows, zero_method="wilcox", correction=False, alternative="two-sided", method=method, axis=1
            ).pvalue
    return p


def _nonzero(sample: np.ndarray) -> np.ndarray:
    return sample[sample != 0]


def _wilcoxon_method(sample: np.ndarray) -> str:
    """The method scipy's ``wilcoxon(method="auto")`` uses for one sample (scipy 1.15+): the normal
    approximation above 50 values; else the exact distribution without zeros or ties among the absolute
    differences; else an exhaustive permutation test up to 13 values (2**13 sign patterns, fewer than its
    9,999 resamples); else the approximation."""
    if len(sample) > 50:
        return "asymptotic"
    nonzero = np.abs(_nonzero(sample))
    if len(nonzero) == len(sample) and len(np.unique(nonzero)) == len(nonzero):
        return "exact"
    return "permutation" if len(sample) <= 13 else "asymptotic"


def _wilcoxon_permutation(rows: np.ndarray) -> np.ndarray:
    """scipy's exhaustive permutation p-value (two-sided) for each row of non-zero differences.

    scipy flips the sign of every difference in all 2**n ways and counts the statistics (the sum of the
    mid-ranks of |d| of the positive differences; zeros carry no rank) at most and at least the observed
    one: p = 2 * min(count_le, count_ge) / 2**n, at most 1. A zero's two signs give the same statistic, so
    the counts over the 2**m patterns of the m non-zero differences, over 2**m, are the same numbers (the
    divisions by powers of two are exact). Doubled mid-ranks are integers, so the comparisons are exact.
    """
    size = rows.shape[1]
    ranks = np.rint(stats.rankdata(np.abs(rows), axis=1) * 2).astype(np.int64)
    observed = (ranks * (rows > 0)).sum(axis=1)
    patterns = (np.arange(2**size)[:, None] >> np.arange(size)) & 1  # which differences are positive
    null = patterns @ ranks.T  # one column per row: its statistic under every sign pattern
    at_most = np.count_nonzero(null <= observed, axis=0) / 2**size
    at_least = np.count_nonzero(null >= observed, axis=0) / 2**size
    return np.clip(np.minimum(at_most, at_least) * 2, 0.0, 1.0)


def _wilcoxon_one(sample: np.ndarray) -> float:
    """The reference: scipy's test of one group, method "auto" (what ``_wilcoxon_by_group`` must equal)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(stats.wilcoxon(sample, zero_method="wilcox", correction=False, alternative="two-sided").pvalue)


# --- item analysis --------------------------------------------------------------------------------------


def item_analysis(answers: pd.DataFrame, attempts: pd.DataFrame, *, phase: str | None = None) -> pd.DataFrame:
    """Classical item statistics per question: is each question too easy, too hard, or misleading?

    ``phase``: ``"pre"`` or ``"post"`` for one phase; None pools both (other purposes are always left
    out). Answers of attempts not in ``attempts`` are left out.

    Columns: ``question_key``, ``n`` (graded answers), ``facility`` (mean score/max, 0..1),
    ``discrimination_27`` (facility among the top 27% of attempts by total minus among the bottom 27%:
    does the question separate those who know from those who do not?), ``point_biserial`` and ``flag``.

    Attempts are ranked by their total as a fraction of its maximum (comparable across forms), ties broken
    by ``attempt_id`` (the lower id ranks higher); each group holds round(0.27 * N) attempts (half up), N
    the number of attempts in scope; NaN when N < 4, or when no attempt of a group answered the question.
    ``point_biserial`` is the Pearson correlation between the item's fraction and the rest score (the
    attempt's total minus this item, as a fraction of its maximum: leaving the item out avoids
    correlating it with itself; with one set of questions the fraction is a linear rescaling of the rest
    points and gives the same correlation); NaN when either side is constant.
    ``flag``, first rule that holds: "negative discrimination" (D < 0: the stronger learners got it wrong
    more often, suspect the key), "too easy" (facility > 0.9), "too hard" (facility < 0.2), "poor
    discrimination" (D < 0.2), else "". Sorted by question_key; NaN-free except the two correlations.
    """
    if phase is not None and phase not in PHASES:
        raise ValueError(f"phase must be one of {PHASES} or None, not {phase!r}")
    _require(answers, ANSWER_COLUMNS, "answers")
    _require(attempts, ["attempt_id", "phase"], "attempts")
    phases = PHASES if phase is None else (phase,)
    in_scope = attempts.loc[attempts["phase"].isin(phases), "attempt_id"].unique()
    graded = _graded(answers[answers["attempt_id"].isin(in_scope)])
    if graded.empty:
        return _empty(ITEM_COLUMNS, answers, {"n": "int64", "flag": object})

    score = graded["score"].to_numpy(dtype=float)
    maximum = graded["max_score"].to_numpy(dtype=float)
    fraction = score / maximum
    attempt, attempt_ids = pd.factorize(graded["attempt_id"], sort=True)
    item, keys = pd.factorize(graded["question_key"], sort=True)
    n_attempts, n_items = len(attempt_ids), len(keys)

    total = np.bincount(attempt, weights=score, minlength=n_attempts)
    total_max = np.bincount(attempt, weights=maximum, minlength=n_attempts)
    n = np.bincount(item, minlength=n_items)
    facility = np.bincount(item, weights=fraction, minlength=n_items) / n

    discrimination = np.full(n_items, np.nan)
    if n_attempts >= DISCRIMINATION_MIN_ATTEMPTS:
        size = int(np.floor(DISCRIMINATION_SHARE * n_attempts + 0.5))
        order = np.lexsort((np.asarray(attempt_ids), -(total / total_max)))  # best first, then lower id
        rank = np.empty(n_attempts, dtype=np.int64)
        rank[order] = np.arange(n_attempts)
        answer_rank = rank[attempt]
        top = _mean_by(item, fraction, answer_rank < size, n_items)
        bottom = _mean_by(item, fraction, answer_rank >= n_attempts - size, n_items)
        discrimination = top - bottom

    rest_max = total_max[attempt] - maximum
    with np.errstate(divide="ignore", invalid="ignore"):
        rest = np.where(rest_max > 0, (total[attempt] - score) / rest_max, np.nan)
    point_biserial = _correlation_by(item, fraction, rest, n_items)

    flag = np.select(
        [
            discrimination < 0,
            facility > TOO_EASY,
            facility < TOO_HARD,
            discrimination < POOR_DISCRIMINATION,
        ],
        ["negative discrimination", "too easy", "too hard", "poor discrimination"],
        default="",
    )
    return pd.DataFrame(
        {
            "question_key": keys,
            "n": n.astype("int64"),
            "facility": facility,
            "discrimination_27": discrimination,
            "point_biserial": point_biserial,
            "flag": flag.astype(object),
        }
    )


def distractor_counts(answers: pd.DataFrame) -> pd.DataFrame:
    """How often each option was chosen: a distractor nobody picks does no work, one picked by many may be
    ambiguous or the key may be wrong.

    Only answers with a ``response_key`` (single-choice, true/false) count; options never chosen do not
    appear (the options are not in ``answers``). Columns: ``question_key``, ``response_key``, ``count``,
    ``share`` (of the answers to that question that have a response key, 0..1) and ``is_key`` (every
    answer with this option scored full marks, i.e. it is the correct option). Sorted by question and
    option. NaN-free.
    """
    _require(answers, ["question_key", "response_key", "score", "max_score"], "answers")
    chosen = answers[answers["response_key"].notna() & (answers["response_key"] != "")]
    if chosen.empty:
        return _empty(DISTRACTOR_COLUMNS, answers, {"count": "int64", "share": float, "is_key": bool})
    full = (chosen["score"] >= chosen["max_score"]).to_numpy()
    frame = pd.DataFrame(
        {"question_key": chosen["question_key"].to_numpy(), "response_key": chosen["response_key"].to_numpy(), "full": full}
    )
    result = frame.groupby(["question_key", "response_key"], sort=True).agg(count=("full", "size"), is_key=("full", "all"))
    result = result.reset_index()
    result["share"] = result["count"] / result.groupby("question_key")["count"].transform("sum")
    result["count"] = result["count"].astype("int64")
    return result[DISTRACTOR_COLUMNS]


def item_change(answers: pd.DataFrame, attempts: pd.DataFrame) -> pd.DataFrame:
    """Per question, the facility before and after training, over the matched pre and post attempts only
    (the rule of ``learner_gains``), so the change is about the same learners and not about who came.

    Columns: ``question_key``, ``n_pre``, ``pre_facility``, ``n_post``, ``post_facility``, ``change``
    (post - pre facility). A question asked on one side only (parallel forms) has NaN on the other side
    and in ``change``, and 0 answers there. Sorted by question_key.
    """
    return _change(answers, attempts, ["question_key"])


def objective_change(answers: pd.DataFrame, attempts: pd.DataFrame) -> pd.DataFrame:
    """``item_change`` per learning objective and module: which parts of the curriculum worked.

    A facility here is the mean of the answers' score/max over the objective's questions (every answer
    weighs the same). Answers without an objective are kept under a missing objective (NaN) with their
    module, so no answer is silently dropped. ``module`` is a nullable integer. Sorted by objective, then
    module (missing last).
    """
    _require(answers, ["objective", "module"], "answers")
    return _change(answers, attempts, ["objective", "module"])


def _change(answers: pd.DataFrame, attempts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    _require(answers, ANSWER_COLUMNS, "answers")
    _require(attempts, ATTEMPT_COLUMNS, "attempts")
    columns = keys + CHANGE_COLUMNS
    dtypes = {"n_pre": "int64", "n_post": "int64", "module": "Int64"}
    pairs = _matched(attempts)
    side = pd.concat(
        [
            pd.Series(0, index=pairs["pre_attempt_id"].to_numpy(), dtype=np.int8),
            pd.Series(1, index=pairs["post_attempt_id"].to_numpy(), dtype=np.int8),
        ]
    )
    graded = _graded(answers[answers["attempt_id"].isin(side.index)])
    if graded.empty:
        return _empty(columns, answers, dtypes)
    frame = graded[keys].copy()
    if "module" in keys:
        frame["module"] = frame["module"].astype("Int64")
    frame["side"] = graded["attempt_id"].map(side).to_numpy()
    frame["fraction"] = graded["score"].to_numpy(dtype=float) / graded["max_score"].to_numpy(dtype=float)
    table = frame.groupby(keys + ["side"], dropna=False, sort=True)["fraction"].agg(["size", "mean"])
    table = table.unstack("side")
    result = pd.DataFrame(index=table.index)
    for number, name in ((0, "pre"), (1, "post")):
        has_side = ("size", number) in table.columns
        result[f"n_{name}"] = table[("size", number)].fillna(0).astype("int64") if has_side else 0
        result[f"{name}_facility"] = table[("mean", number)] if has_side else np.nan
    result["change"] = result["post_facility"] - result["pre_facility"]
    result = result.reset_index()
    return result[columns]


def item_by_language(answers: pd.DataFrame) -> pd.DataFrame:
    """Per question and language: a question much easier or harder in one language than in the others
    points to a bad translation.

    Columns: ``question_key``, ``language``, ``n`` (graded answers), ``facility``, ``item_facility`` (the
    question's facility over all languages, pooled answer by answer), ``deviation`` (facility -
    item_facility) and ``suspect`` (|deviation| >= 0.25 with at least 10 answers in that language, so
    that a handful of answers raises no alarm). Pass the answers of one phase: pooling pre and post mixes
    learning with language. Sorted by question and language. NaN-free.
    """
    _require(answers, [*ANSWER_COLUMNS, "language"], "answers")
    graded = _graded(answers)
    if graded.empty:
        return _empty(LANGUAGE_COLUMNS, answers, {"n": "int64", "suspect": bool})
    frame = pd.DataFrame(
        {
            "question_key": graded["question_key"].to_numpy(),
            "language": graded["language"].to_numpy(),
            "fraction": graded["score"].to_numpy(dtype=float) / graded["max_score"].to_numpy(dtype=float),
        }
    )
    result = frame.groupby(["question_key", "language"], dropna=False, sort=True)["fraction"].agg(["size", "sum"])
    result = result.reset_index().rename(columns={"size": "n"})
    per_item = result.groupby("question_key", sort=False)
    result["facility"] = result["sum"] / result["n"]
    result["item_facility"] = per_item["sum"].transform("sum") / per_item["n"].transform("sum")
    result["deviation"] = result["facility"] - result["item_facility"]
    result["suspect"] = (result["deviation"].abs() >= SUSPECT_DEVIATION - _TOLERANCE) & (
        result["n"] >= SUSPECT_MIN_ANSWERS
    )
    result["n"] = result["n"].astype("int64")
    return result[LANGUAGE_COLUMNS]


# --- helpers --------------------------------------------------------------------------------------------


def _matched(attempts: pd.DataFrame) -> pd.DataFrame:
    """First pre and last post per learner and pairing, the post submitted after the pre."""
    columns = ["attempt_id", "score", "max_score", "submitted_at", "form"]
    groups = [column for column in GROUP_COLUMNS if column in attempts.columns]
    submitted = attempts[attempts["phase"].isin(PHASES) & attempts["submitted_at"].notna()]
    if "form" not in submitted.columns:
        submitted = submitted.assign(form="")
    _check_maximum(submitted, "attempts")
    submitted = submitted.sort_values(["submitted_at", "attempt_id"], kind="stable")
    key = ["learner_id", "pairing"]
    pre = submitted[submitted["phase"] == "pre"].drop_duplicates(key, keep="first")[key + columns]
    post = submitted[submitted["phase"] == "post"].drop_duplicates(key, keep="last")[key + columns + groups]
    pre = pre.rename(columns={column: f"pre_{column}" for column in columns})
    post = post.rename(columns={column: f"post_{column}" for column in columns})
    pairs = pre.merge(post, on=key, how="inner")
    pairs = pairs[pairs["post_submitted_at"] > pairs["pre_submitted_at"]]
    pairs = pairs.rename(columns={"post_max_score": "max_score"})
    pairs["pre_form"] = pairs["pre_form"].fillna("")
    pairs["post_form"] = pairs["post_form"].fillna("")
    return pairs.reset_index(drop=True)


def _graded(answers: pd.DataFrame) -> pd.DataFrame:
    graded = answers[answers["score"].notna()]
    _check_maximum(graded, "answers")
    return graded


def _mean_by(codes: np.ndarray, values: np.ndarray, mask: np.ndarray, size: int) -> np.ndarray:
    """Mean of ``values[mask]`` per code; NaN for a code with no value."""
    count = np.bincount(codes[mask], minlength=size)
    total = np.bincount(codes[mask], weights=values[mask], minlength=size)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _correlation_by(codes: np.ndarray, x: np.ndarray, y: np.ndarray, size: int) -> np.ndarray:
    """Pearson correlation of x and y per code over the rows where y is known; NaN where either is constant.

    Constancy is tested exactly (min == max), not by a variance that rounding leaves at 1e-32.
    """
    known = ~np.isnan(y)
    codes, x, y = codes[known], x[known], y[known]
    order = np.argsort(codes, kind="stable")
    codes, x, y = codes[order], x[order], y[order]
    count = np.bincount(codes, minlength=size)
    result = np.full(size, np.nan)
    present = np.flatnonzero(count)
    if present.size == 0:
        return result
    starts = np.concatenate(([0], np.cumsum(count)))[present]
    varies = (np.minimum.reduceat(x, starts) != np.maximum.reduceat(x, starts)) & (
        np.minimum.reduceat(y, starts) != np.maximum.reduceat(y, starts)
    )
    safe = np.maximum(count, 1)
    dx = x - (np.bincount(codes, weights=x, minlength=size) / safe)[codes]
    dy = y - (np.bincount(codes, weights=y, minlength=size) / safe)[codes]
    sxy = np.bincount(codes, weights=dx * dy, minlength=size)
    sxx = np.bincount(codes, weights=dx * dx, minlength=size)
    syy = np.bincount(codes, weights=dy * dy, minlength=size)
    good = present[varies]
    result[good] = np.clip(sxy[good] / np.sqrt(sxx[good] * syy[good]), -1.0, 1.0)
    return result


def _require(frame: pd.DataFrame, columns, name: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {', '.join(missing)}")


def _check_maximum(frame: pd.DataFrame, name: str) -> None:
    if not (frame["max_score"] > 0).all():
        raise ValueError(f"{name}: max_score must be > 0 on every row (a percentage of 0 points means nothing)")


def _empty(columns: list[str], source: pd.DataFrame, dtypes: dict) -> pd.DataFrame:
    """An empty frame with the documented columns; a column keeps its input dtype where it has one."""
    data = {}
    for column in columns:
        bare = column.removeprefix("pre_").removeprefix("post_")
        if column in dtypes:
            dtype = dtypes[column]
        elif column in source.columns:
            dtype = source[column].dtype
        elif bare in source.columns:
            dtype = source[bare].dtype
        elif column.endswith("_attempt_id") or column == "n" or column.startswith("n_"):
            dtype = "int64"
        elif column.endswith("_submitted_at"):
            dtype = "datetime64[ns]"
        elif column in ("question_key", "response_key", "language", "flag", "pre_form", "post_form"):
            dtype = object
        else:
            dtype = float
        data[column] = pd.Series([], dtype=dtype)
    return pd.DataFrame(data)
