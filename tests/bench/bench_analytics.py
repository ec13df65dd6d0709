"""Time the pre/post analytics (assessments/analytics.py) on about 1,000,000 answer rows and print figures.

    .venv/bin/python tests/bench/bench_analytics.py [--learners 16700] [--repeat 1] [--seed 20261124]

The data are made here with a seeded generator, no database: 16,700 learners in 4 courses, 12 agencies,
6 regions, 3 languages; every learner sits a pre test, 94% a post test and 6% of those a retake, 30 items
per test drawn as parallel forms A/B (20 anchor items) from 40 per course. Answers follow a two-parameter
logistic model (ability rises between pre and post); 60% single choice with four options, 20% true/false,
20% short answers scored 0-2. String columns have the dtype pandas infers for a frame built from
query values (``str`` in pandas 3). One item per course has a negative slope (a wrong key) and one is 1.5
logits harder in English (a bad translation), so the flags have something to find.

Target: knowledge gain (``learner_gains`` + ``group_gains`` by agency, region,
gender and language) and item analysis (``item_analysis`` + ``distractor_counts`` + ``item_change`` +
``item_by_language``) together under 5 s on the 2-core machine. ``objective_change`` is timed too and
counted in the total.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from assessments import analytics  # noqa: E402

TARGET_SECONDS = 5.0
ITEMS_PER_TEST = 30
ITEMS_PER_COURSE = 40
ANCHORS = 20
COURSES = 4
AGENCIES = [f"AG{number:02d}" for number in range(1, 13)]
REGIONS = ["ahal", "balkan", "dashoguz", "lebap", "mary", "ashgabat"]
LANGUAGES = np.array(["tk", "ru", "en"], dtype=object)
LANGUAGE_SHARES = [0.5, 0.4, 0.1]
OPTION_KEYS = np.array(["a", "b", "c", "d"], dtype=object)


def make_data(*, learners: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)

    # Items: per course 40 keys, a kind, a slope a and a difficulty b.
    n_items = COURSES * ITEMS_PER_COURSE
    item_keys = np.array([f"c{item // ITEMS_PER_COURSE + 1}-q{item % ITEMS_PER_COURSE + 1:02d}" for item in range(n_items)], dtype=object)
    kind = rng.choice(3, size=n_items, p=[0.6, 0.2, 0.2])  # 0 single, 1 true/false, 2 short (0-2 points)
    slope = rng.uniform(0.5, 2.0, size=n_items)
    difficulty = rng.normal(0.0, 1.0, size=n_items)
    course_first = np.arange(COURSES) * ITEMS_PER_COURSE
    slope[course_first + 7] = -0.8  # a wrong key: the stronger learners get it wrong
    kind[course_first + 7] = 0
    translated_badly = course_first + 11  # 1.5 logits harder in English
    correct_option = rng.integers(0, 4, size=n_items)
    module = rng.integers(1, 9, size=n_items)
    objective = np.array([f"m{m}-obj{rng.integers(1, 4)}" for m in module], dtype=object)
    item_max = np.where(kind == 2, 2.0, 1.0)

    # Parallel forms: items 0-19 anchors, 20-29 only on A, 30-39 only on B (within the course).
    form_a = np.arange(30)
    form_b = np.concatenate((np.arange(ANCHORS), np.arange(30, 40)))
    forms = np.stack((form_a, form_b))

    # Learners.
    course = rng.integers(0, COURSES, size=learners)
    agency = rng.integers(0, len(AGENCIES), size=learners)
    ability = rng.normal(0.0, 1.0, size=learners) + (agency - 5.5) * 0.04
    learning = rng.normal(0.8, 0.5, size=learners)
    pre_form = rng.integers(0, 2, size=learners)

    # Attempts: a pre for everyone, a post for 94%, a retake of the post for 6% of those.
    has_post = rng.random(learners) < 0.94
    retake = has_post & (rng.random(learners) < 0.06)
    learner_of = np.concatenate((np.arange(learners), np.flatnonzero(has_post), np.flatnonzero(retake)))
    phase_post = np.concatenate((np.zeros(learners, bool), np.ones(has_post.sum() + retake.sum(), bool)))
    n_attempts = len(learner_of)
    start = pd.Timestamp("2026-01-05") + pd.to_timedelta(rng.integers(0, 300, size=learners), unit="D")
    offset_days = np.concatenate(
        (np.zeros(learners), rng.integers(10, 40, size=has_post.sum()), rng.integers(45, 60, size=retake.sum()))
    )
    submitted_at = start.to_numpy()[learner_of] + pd.to_timedelta(offset_days, unit="D").to_numpy()
    form_of = np.where(phase_post, 1 - pre_form[learner_of], pre_form[learner_of])
    theta = ability[learner_of] + np.where(phase_post, learning[learner_of], 0.0)
    language_of_learner = rng.choice(LANGUAGES, size=learners, p=LANGUAGE_SHARES)
    attempts = pd.DataFrame(
        {
            "attempt_id": np.arange(1, n_attempts + 1),
            "learner_id": learner_of + 1,
            "phase": np.where(phase_post, "post", "pre"),
            "pairing": np.array([f"course-{c + 1}" for c in range(COURSES)], dtype=object)[course[learner_of]],
            "form": np.array(["A", "B"], dtype=object)[form_of],
            "submitted_at": submitted_at,
            "course": course[learner_of] + 1,
            "cohort": (learner_of // 25) + 1,
            "session": (learner_of // 250) + 1,
            "agency": np.array(AGENCIES, dtype=object)[agency[learner_of]],
            "region": np.array(REGIONS, dtype=object)[rng.integers(0, len(REGIONS), size=learners)][learner_of],
            "gender": rng.choice(np.array(["F", "M"], dtype=object), size=learners, p=[0.4, 0.6])[learner_of],
            "language": language_of_learner[learner_of],
        }
    )

    # Answers: 30 per attempt.
    row_attempt = np.repeat(np.arange(n_attempts), ITEMS_PER_TEST)
    slot = np.tile(np.arange(ITEMS_PER_TEST), n_attempts)
    item = course[learner_of][row_attempt] * ITEMS_PER_COURSE + forms[form_of[row_attempt], slot]
    language = attempts["language"].to_numpy()[row_attempt]
    hardness = difficulty[item] + np.where(np.isin(item, translated_badly) & (language == "en"), 1.5, 0.0)
    p_correct = 1.0 / (1.0 + np.exp(-slope[item] * (theta[row_attempt] - hardness)))
    draw = rng.random(len(item))
    correct = draw < p_correct
    maximum = item_max[item]
    partial = (kind[item] == 2) & ~correct & (draw < p_correct + (1 - p_correct) / 2)
    score = np.where(correct, maximum, np.where(partial, 1.0, 0.0))
    # Wrong single-choice answers spread over the three distractors unevenly (1/2, 1/3, 1/6).
    shift = 1 + np.searchsorted(np.array([0.5, 0.8333]), rng.random(len(item)))
    chosen_option = np.where(correct, correct_option[item], (correct_option[item] + shift) % 4)
    tf_key = np.array(["true", "false"], dtype=object)[(correct_option[item] % 2) ^ (~correct)]
    response = np.where(kind[item] == 0, OPTION_KEYS[chosen_option], np.where(kind[item] == 1, tf_key, None))
    answers = pd.DataFrame(
        {
            "attempt_id": row_attempt + 1,
            "question_key": item_keys[item],
            "language": language,
            "score": score,
            "max_score": maximum,
            "response_key": response,
            "objective": objective[item],
            "module": module[item],
        }
    )
    totals = answers.groupby("attempt_id")[["score", "max_score"]].sum()
    attempts["score"] = totals["score"].to_numpy()
    attempts["max_score"] = totals["max_score"].to_numpy()
    # String columns as pandas infers them for a frame built from query values (str dtype in pandas 3).
    return attempts.infer_objects(), answers.infer_objects()


def p_text(p: float) -> str:
    return f"{p:.2g}" if p > 0 else "< 1e-300 (below the smallest double)"


def timed(results: dict, name: str, function, *args, **kwargs):
    started = time.perf_counter()
    value = function(*args, **kwargs)
    results.setdefault(name, []).append(time.perf_counter() - started)
    return value


def run_once(attempts: pd.DataFrame, answers: pd.DataFrame, seconds: dict) -> dict:
    out = {}
    gains = timed(seconds, "learner_gains", analytics.learner_gains, attempts)
    out["gains"] = gains
    out["overall"] = timed(seconds, "group_gains (overall)", analytics.group_gains, gains, by=[])
    for column in ("agency", "region", "gender", "language"):
        out[column] = timed(seconds, f"group_gains by {column}", analytics.group_gains, gains, by=[column])
    out["items"] = timed(seconds, "item_analysis (post)", analytics.item_analysis, answers, attempts, phase="post")
    out["distractors"] = timed(seconds, "distractor_counts", analytics.distractor_counts, answers)
    out["change"] = timed(seconds, "item_change", analytics.item_change, answers, attempts)
    out["objectives"] = timed(seconds, "objective_change", analytics.objective_change, answers, attempts)
    out["languages"] = timed(seconds, "item_by_language", analytics.item_by_language, answers)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=16_700)
    parser.add_argument("--repeat", type=int, default=1, help="runs; the best time of each step is reported")
    parser.add_argument("--seed", type=int, default=20261124)
    args = parser.parse_args()

    started = time.perf_counter()
    attempts, answers = make_data(learners=args.learners, seed=args.seed)
    print(f"data: {len(answers):,} answer rows, {len(attempts):,} attempts, {args.learners:,} learners "
          f"(made in {time.perf_counter() - started:.1f} s, seed {args.seed})")
    print(f"pandas {pd.__version__}, numpy {np.__version__}")

    seconds: dict[str, list[float]] = {}
    for _ in range(max(1, args.repeat)):
        out = run_once(attempts, answers, seconds)

    print()
    print(f"{'step':<28}{'seconds':>9}")
    gain_steps = [name for name in seconds if name.startswith(("learner_gains", "group_gains"))]
    item_steps = [name for name in seconds if name not in gain_steps]
    for name in gain_steps + item_steps:
        print(f"{name:<28}{min(seconds[name]):>9.3f}")
    gain_total = sum(min(seconds[name]) for name in gain_steps)
    item_total = sum(min(seconds[name]) for name in item_steps)
    total = gain_total + item_total
    print(f"{'knowledge gain':<28}{gain_total:>9.3f}")
    print(f"{'item analysis':<28}{item_total:>9.3f}")
    print(f"{'total':<28}{total:>9.3f}")
    verdict = "met" if total < TARGET_SECONDS else "NOT met"
    print(f"target < {TARGET_SECONDS:.0f} s: {verdict}")

    print()
    overall = out["overall"].iloc[0]
    print(f"matched pairs {int(overall['n']):,}: pre {overall['mean_pre']:.1f}%, post {overall['mean_post']:.1f}%, "
          f"gain {overall['mean_gain']:.1f} points, g {overall['mean_normalised_gain']:.2f}, "
          f"improved {overall['share_improved']:.0%}, Wilcoxon p {p_text(overall['wilcoxon_p'])}")
    print(f"agencies significant: {int(out['agency']['significant'].sum())} of {len(out['agency'])}")
    flags = out["items"]["flag"].replace("", "(none)").value_counts()
    print("item flags: " + ", ".join(f"{flag} {count}" for flag, count in flags.items()))
    suspects = out["languages"][out["languages"]["suspect"]]
    print("suspect translations: " + (", ".join(f"{row.question_key}/{row.language} {row.deviation:+.2f}"
                                                for row in suspects.itertuples()) or "none"))
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
