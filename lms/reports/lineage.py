"""The maths of the cascade's reach: ToT cohort → certified trainers → sessions → participants.

Pure functions over pandas DataFrames, with no database access (``reach`` reads the frames, these only
compute), so every rule can be tested on a hand-made table. Every function returns its documented
columns for an empty input.

Input frames (built by ``lms.reports.reach``)
---------------------------------------------
``sessions``: one row per delivered or reported session in scope: ``session_id``, ``title``, ``state``,
``agency``, ``region`` (codes, "" when missing), ``lead_trainer_id``, ``course_key`` (str),
``pre_test_id``, ``post_test_id`` (NaN without a test), ``starts_at``, ``ends_at`` (tz-aware),
``first_day``, ``last_day`` (dates), ``hours`` (float).

``days``: one row per session day: ``session_id``, ``date``, ``starts``, ``ends`` (times).

``participants``: one row per enrolled participant of a session: ``session_id``, ``user_id``, ``gender``,
``agency``, ``region`` (from the participant's profile, "" when missing).

``certifications``: one row per certification of a trainer in scope: ``user_id``, ``cohort_id`` (0,
``NO_COHORT``, without a cohort), ``course_key`` (the programme's ToT course, str), ``status``, ``certified_on``,
``valid_until`` (dates or None).

``attempts``: one row per finished attempt: ``attempt_id``, ``learner_id``, ``assessment_id``, ``score``,
``max_score``, ``submitted_at`` (tz-aware).

Rules
-----
* A session's cohort (its place in the lineage) is the cohort of its lead trainer's granted
  certification (one with a ``certified_on``): the one whose programme's course is the session's course,
  else the most recently granted one. A session whose lead trainer has none has ``NO_COHORT`` (0: cohort
  ids start at 1, and a number keeps joins and group-bys free of missing keys).
* Participants reached are distinct people: someone enrolled in two sessions counts once in a total,
  once in each group they fall in.
* An attempt belongs to a session when its learner is enrolled in it and it is on the session's pre-test
  from ``PRE_WINDOW`` before the first moment to the last one, or on its post-test from the first moment to
  ``POST_WINDOW`` after the last one (the rule of ``lms.cascade.delivery``).
* An attempt belongs to a ToT cohort when it is on the cohort's pre- or post-test and its learner is a
  candidate of the cohort (any status).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from assessments import analytics

SESSION_COLUMNS = ["session_id", "title", "state", "agency", "region", "lead_trainer_id", "course_key",
                   "pre_test_id", "post_test_id", "starts_at", "ends_at", "first_day", "last_day", "hours"]
PARTICIPANT_COLUMNS = ["session_id", "user_id", "gender", "agency", "region"]
CERTIFICATION_COLUMNS = ["user_id", "cohort_id", "course_key", "status", "certified_on", "valid_until"]
ATTEMPT_COLUMNS = ["attempt_id", "learner_id", "assessment_id", "score", "max_score", "submitted_at"]
MEMBERSHIP_COLUMNS = ["attempt_id", "session_id", "phase"]
COHORT_MEMBERSHIP_COLUMNS = ["attempt_id", "cohort_id", "phase"]
COHORT_COLUMNS = ["cohort_id", "trainers_certified", "trainers_active", "trainers_delivering", "sessions",
                  "participants", "multiplier", "hours"]
COVERAGE_COLUMNS = ["participants", "women", "men", "gender_not_recorded", "sessions", "share"]
TIME_COLUMNS = ["period", "sessions", "participants", "hours"]
TRAINER_COLUMNS = ["trainer_id", "cohort_id", "sessions", "participants", "hours"]
SESSION_TABLE_COLUMNS = ["session_id", "participants", "women", "men", "gender_not_recorded"]
GAIN_FIGURES = ["n", "mean_pre", "mean_post", "mean_normalised_gain", "share_improved", "wilcoxon_p"]
INTERVALS = {"month": "M", "quarter": "Q"}
NO_COHORT = 0


def _frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series([], dtype=object) for column in columns})


# --- lineage --------------------------------------------------------------------------------------------


def granted(certifications: pd.DataFrame) -> pd.DataFrame:
    """The certifications that were granted at some point (a candidate's never was)."""
    return certifications[certifications["certified_on"].notna()]


def session_cohorts(sessions: pd.DataFrame, certifications: pd.DataFrame) -> pd.Series:
    """The cohort id of each session (index: ``session_id``; ``NO_COHORT`` without one), by the rule above."""
    if sessions.empty:
        return pd.Series([], dtype="int64", name="cohort_id")
    given = granted(certifications)
    given = given[given["cohort_id"] != NO_COHORT]
    lead = sessions[["session_id", "lead_trainer_id", "course_key"]]
    candidates = lead.merge(given[["user_id", "cohort_id", "course_key", "certified_on"]].rename(
        columns={"user_id": "lead_trainer_id", "course_key": "programme_course"}), on="lead_trainer_id", how="inner")
    if candidates.empty:
        return pd.Series(NO_COHORT, index=pd.Index(sessions["session_id"], name="session_id"), name="cohort_id")
    candidates["same_course"] = candidates["course_key"] == candidates["programme_course"]
    candidates["certified_on"] = pd.to_datetime(candidates["certified_on"])
    candidates = candidates.sort_values(["session_id", "same_course", "certified_on", "cohort_id"],
                                        ascending=[True, False, False, False], kind="stable")
    chosen = candidates.drop_duplicates("session_id").set_index("session_id")["cohort_id"]
    return chosen.reindex(sessions["session_id"]).fillna(NO_COHORT).astype("int64").rename("cohort_id")


def trainer_cohorts(certifications: pd.DataFrame) -> pd.Series:
    """Each trainer's cohort: that of their most recently granted certification with a cohort."""
    given = granted(certifications)
    given = given[given["cohort_id"] != NO_COHORT].assign(certified_on=lambda f: pd.to_datetime(f["certified_on"]))
    given = given.sort_values(["user_id", "certified_on", "cohort_id"], ascending=[True, False, False])
    return given.drop_duplicates("user_id").set_index("user_id")["cohort_id"].astype("int64")


def session_hours(days: pd.DataFrame) -> pd.Series:
    """Hours of each session (index ``session_id``): the sum of the lengths of its days."""
    if days.empty:
        return pd.Series([], dtype=float, name="hours")
    start = pd.to_timedelta(days["starts"].astype(str))
    end = pd.to_timedelta(days["ends"].astype(str))
    hours = (end - start).dt.total_seconds() / 3600
    return hours.groupby(days["session_id"]).sum().rename("hours")


def participations(sessions: pd.DataFrame, participants: pd.DataFrame) -> pd.DataFrame:
    """One row per (session, enrolled participant), with the session's columns (``session_*``) and the
    participant's agency and region, taken from the session where the profile names none."""
    columns = PARTICIPANT_COLUMNS + ["session_agency", "session_region", "cohort_id", "lead_trainer_id",
                                     "first_day", "hours"]
    if sessions.empty or participants.empty:
        return _frame(columns)
    session_side = sessions[["session_id", "agency", "region", "cohort_id", "lead_trainer_id", "first_day", "hours"]]
    session_side = session_side.rename(columns={"agency": "session_agency", "region": "session_region"})
    frame = participants.merge(session_side, on="session_id", how="inner")
    frame["agency"] = frame["agency"].where(frame["agency"].astype(bool), frame["session_agency"])
    frame["region"] = frame["region"].where(frame["region"].astype(bool), frame["session_region"])
    return frame[columns].reset_index(drop=True)


# --- attempts and knowledge gain -----------------------------------------------------------------------


def attempt_sessions(
    attempts: pd.DataFrame, sessions: pd.DataFrame, participants: pd.DataFrame, *,
    pre_window: timedelta, post_window: timedelta,
) -> pd.DataFrame:
    """Every (attempt, session) pair where the attempt belongs to the session, with its ``phase``.

    An attempt may belong to two sessions (the same tests, close dates): it appears once for each.
    """
    if attempts.empty or sessions.empty or participants.empty:
        return _frame(MEMBERSHIP_COLUMNS)
    enrolled = participants[["session_id", "user_id"]].rename(columns={"user_id": "learner_id"})
    windows = sessions[["session_id", "pre_test_id", "post_test_id", "starts_at", "ends_at"]]
    frame = attempts[["attempt_id", "learner_id", "assessment_id", "submitted_at"]].merge(enrolled, on="learner_id")
    frame = frame.merge(windows, on="session_id")
    when = frame["submitted_at"]
    is_pre = (frame["assessment_id"] == frame["pre_test_id"]) & (when >= frame["starts_at"] - pre_window) & (
        when <= frame["ends_at"])
    is_post = (frame["assessment_id"] == frame["post_test_id"]) & (when >= frame["starts_at"]) & (
        when <= frame["ends_at"] + post_window)
    frame["phase"] = np.select([is_pre, is_post], ["pre", "post"], default="")
    frame = frame[frame["phase"] != ""]
    return frame[MEMBERSHIP_COLUMNS].sort_values(["attempt_id", "session_id"]).reset_index(drop=True)


def attempt_session(memberships: pd.DataFrame, sessions: pd.DataFrame) -> pd.Series:
    """One session per attempt (index ``attempt_id``) when it belongs to several: for a pre-test the
    session that starts first (the training it prepared for), for a post-test the one that starts last
    (the training it followed); ties by the lower session id."""
    if memberships.empty:
        return pd.Series([], dtype=float, name="session_id")
    frame = memberships.merge(sessions[["session_id", "starts_at"]], on="session_id")
    frame["key"] = frame["starts_at"].astype("int64") * np.where(frame["phase"] == "pre", 1, -1)
    frame = frame.sort_values(["attempt_id", "key", "session_id"], kind="stable")
    return frame.drop_duplicates("attempt_id").set_index("attempt_id")["session_id"].rename("session_id")


def attempt_cohorts(attempts: pd.DataFrame, cohorts: pd.DataFrame, candidates: pd.DataFrame) -> pd.DataFrame:
    """Every (attempt, cohort) pair where the attempt is on the cohort's pre- or post-test and its learner
    is a candidate of the cohort. ``cohorts``: ``cohort_id``, ``pre_test_id``, ``post_test_id``;
    ``candidates``: ``user_id``, ``cohort_id``."""
    if attempts.empty or cohorts.empty or candidates.empty:
        return _frame(COHORT_MEMBERSHIP_COLUMNS)
    tests = pd.concat([
        cohorts[["cohort_id", "pre_test_id"]].rename(columns={"pre_test_id": "assessment_id"}).assign(phase="pre"),
        cohorts[["cohort_id", "post_test_id"]].rename(columns={"post_test_id": "assessment_id"}).assign(phase="post"),
    ]).dropna(subset=["assessment_id"])
    tests["assessment_id"] = tests["assessment_id"].astype("int64")
    people = candidates[["user_id", "cohort_id"]].dropna().drop_duplicates().rename(columns={"user_id": "learner_id"})
    frame = attempts[["attempt_id", "learner_id", "assessment_id"]].merge(tests, on="assessment_id")
    frame = frame.merge(people, on=["learner_id", "cohort_id"])
    return frame[COHORT_MEMBERSHIP_COLUMNS].sort_values(["attempt_id", "cohort_id"]).reset_index(drop=True)


def _phased(attempts: pd.DataFrame, memberships: pd.DataFrame, key: str) -> pd.DataFrame:
    """The attempts in the shape ``analytics.learner_gains`` reads, paired on ``key``."""
    frame = memberships.merge(attempts, on="attempt_id")
    frame = frame[frame["max_score"].astype(float) > 0]
    frame = frame.assign(
        pairing=frame[key].astype("int64").astype(str),
        score=frame["score"].astype(float).fillna(0.0),
        max_score=frame["max_score"].astype(float),
    )
    return frame


def participant_gains(attempts: pd.DataFrame, memberships: pd.DataFrame) -> pd.DataFrame:
    """Matched pre/post pairs of participants per session (``analytics.learner_gains``, paired on the
    session, as ``lms.cascade.delivery.session_gains`` does), with a ``session_id`` column."""
    if memberships.empty or attempts.empty:
        return analytics.learner_gains(_empty_attempts()).assign(session_id=pd.Series([], dtype="int64"))
    gains = analytics.learner_gains(_phased(attempts, memberships, "session_id"))
    return gains.assign(session_id=gains["pairing"].astype("int64"))


def cohort_gains(attempts: pd.DataFrame, memberships: pd.DataFrame) -> pd.DataFrame:
    """Matched pre/post pairs of the candidates of each ToT cohort, with a ``cohort_id`` column."""
    if memberships.empty or attempts.empty:
        return analytics.learner_gains(_empty_attempts()).assign(cohort_id=pd.Series([], dtype="int64"))
    gains = analytics.learner_gains(_phased(attempts, memberships, "cohort_id"))
    return gains.assign(cohort_id=gains["pairing"].astype("int64"))


def _empty_attempts() -> pd.DataFrame:
    return pd.DataFrame({
        "attempt_id": pd.Series([], dtype="int64"), "learner_id": pd.Series([], dtype="int64"),
        "phase": pd.Series([], dtype=object), "pairing": pd.Series([], dtype=object),
        "score": pd.Series([], dtype=float), "max_score": pd.Series([], dtype=float),
        "submitted_at": pd.Series([], dtype="datetime64[ns, UTC]"),
    })


def gain_by(gains: pd.DataFrame, by: str) -> pd.DataFrame:
    """``analytics.group_gains`` by one column, reduced to the figures the reach report shows."""
    return analytics.group_gains(gains, by=[by])[[by, *GAIN_FIGURES]]


# --- figures --------------------------------------------------------------------------------------------


def cohort_table(
    sessions: pd.DataFrame, participation: pd.DataFrame, certifications: pd.DataFrame, *, today: date,
) -> pd.DataFrame:
    """Per cohort (``cohort_id``; ``NO_COHORT``: sessions of trainers without a cohort): trainers certified from it
    (granted, whatever their status now), trainers active (certified and valid today), trainers who led
    at least one session, sessions, participants reached (distinct), multiplier (participants reached per
    certified trainer; NaN without a certified trainer) and hours of training."""
    given = granted(certifications)
    active = given[(given["status"] == "certified") & given["valid_until"].map(lambda d: d is not None and d >= today)]
    pool = pd.DataFrame({
        "trainers_certified": given[given["cohort_id"] != NO_COHORT].groupby("cohort_id")["user_id"].nunique(),
        "trainers_active": active[active["cohort_id"] != NO_COHORT].groupby("cohort_id")["user_id"].nunique(),
    })
    delivered = pd.DataFrame({
        "trainers_delivering": sessions.groupby("cohort_id")["lead_trainer_id"].nunique(),
        "sessions": sessions.groupby("cohort_id")["session_id"].nunique(),
        "hours": sessions.groupby("cohort_id")["hours"].sum(),
    })
    reached = participation.groupby("cohort_id")["user_id"].nunique().rename("participants")
    table = pool.join(delivered, how="outer").join(reached, how="outer")
    if table.empty:
        return _frame(COHORT_COLUMNS)
    table.index.name = "cohort_id"
    table = table.reset_index()
    for column in ("trainers_certified", "trainers_active", "trainers_delivering", "sessions", "participants"):
        table[column] = table[column].fillna(0).astype("int64")
    table["hours"] = table["hours"].fillna(0.0).astype(float)
    table["cohort_id"] = table["cohort_id"].astype("int64")
    table["multiplier"] = multiplier(table["participants"], table["trainers_certified"])
    # the cohorts in order, the sessions of trainers without a cohort last
    table = table.assign(_last=table["cohort_id"] == NO_COHORT).sort_values(["_last", "cohort_id"], kind="stable")
    return table[COHORT_COLUMNS].reset_index(drop=True)


def multiplier(participants, trainers):
    """Participants reached per certified trainer; NaN where no trainer is certified."""
    participants = np.asarray(participants, dtype=float)
    trainers = np.asarray(trainers, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(trainers > 0, participants / np.where(trainers > 0, trainers, 1), np.nan)


def totals(sessions: pd.DataFrame, participation: pd.DataFrame, certifications: pd.DataFrame, *, today: date) -> dict:
    """The figures of the whole selection (distinct people across cohorts), as plain numbers."""
    given = granted(certifications)
    active = given[(given["status"] == "certified") & given["valid_until"].map(lambda d: d is not None and d >= today)]
    certified = int(given["user_id"].nunique())
    reached = int(participation["user_id"].nunique())
    value = multiplier([reached], [certified])[0]
    return {
        "trainers_certified": certified,
        "trainers_active": int(active["user_id"].nunique()),
        "trainers_delivering": int(sessions["lead_trainer_id"].nunique()),
        "sessions": int(sessions["session_id"].nunique()),
        "participants": reached,
        "participations": int(len(participation)),
        "multiplier": None if np.isnan(value) else float(value),
        "hours": float(sessions["hours"].sum()) if not sessions.empty else 0.0,
    }


def coverage(participation: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """Participants reached per ``by`` value (``agency``, ``region``, ``gender`` of the participant; ""
    when not recorded): distinct people, of them women and men, the sessions they sat in, and the share
    of all people reached (a person in two groups counts in both, so shares may add up past 1)."""
    columns = [by, *COVERAGE_COLUMNS]
    if participation.empty:
        return _frame(columns)
    people = participation.drop_duplicates([by, "user_id"])
    table = pd.DataFrame({
        "participants": people.groupby(by)["user_id"].size(),
        "women": people[people["gender"] == "female"].groupby(by)["user_id"].size(),
        "men": people[people["gender"] == "male"].groupby(by)["user_id"].size(),
        "sessions": participation.groupby(by)["session_id"].nunique(),
    }).fillna(0).astype("int64")
    table["gender_not_recorded"] = table["participants"] - table["women"] - table["men"]
    table["share"] = table["participants"] / participation["user_id"].nunique()
    table = table.reset_index().sort_values(["participants", by], ascending=[False, True], kind="stable")
    return table[columns].reset_index(drop=True)


def over_time(sessions: pd.DataFrame, participation: pd.DataFrame, *, interval: str = "month") -> pd.DataFrame:
    """Per month or quarter of the sessions' first day, every period between the first and the last
    shown (empty ones with zeros): sessions, participants reached in the period (distinct), hours."""
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {tuple(INTERVALS)}, not {interval!r}")
    if sessions.empty:
        return _frame(TIME_COLUMNS)
    freq = INTERVALS[interval]
    period = pd.PeriodIndex(pd.to_datetime(sessions["first_day"]), freq=freq)
    by_session = pd.Series(period, index=sessions["session_id"].to_numpy())
    table = pd.DataFrame({
        "sessions": sessions.groupby(period)["session_id"].nunique(),
        "hours": sessions.groupby(period)["hours"].sum(),
    })
    if not participation.empty:
        people = participation.assign(period=participation["session_id"].map(by_session))
        table["participants"] = people.groupby("period")["user_id"].nunique()
    else:
        table["participants"] = 0
    table = table.reindex(pd.period_range(period.min(), period.max(), freq=freq))
    table = table.fillna(0)
    table["sessions"] = table["sessions"].astype("int64")
    table["participants"] = table["participants"].astype("int64")
    table["hours"] = table["hours"].astype(float)
    table["period"] = [period_label(value) for value in table.index]
    return table[TIME_COLUMNS].reset_index(drop=True)


def period_label(value: pd.Period) -> str:
    """"2026-03" for a month, "2026 Q1" for a quarter (in the active language)."""
    if value.freqstr.startswith("Q"):
        return _("%(year)s Q%(quarter)s") % {"year": value.year, "quarter": value.quarter}
    return f"{value.year}-{value.month:02d}"


def trainer_table(
    sessions: pd.DataFrame, participation: pd.DataFrame, certifications: pd.DataFrame,
) -> pd.DataFrame:
    """Per trainer (granted a certification, or lead of a session in the selection): their cohort,
    sessions led, participants reached (distinct) and hours."""
    trainers = pd.Index(
        pd.concat([granted(certifications)["user_id"], sessions["lead_trainer_id"]]).dropna().astype("int64").unique(),
        name="trainer_id",
    )
    if trainers.empty:
        return _frame(TRAINER_COLUMNS)
    table = pd.DataFrame(index=trainers)
    table["cohort_id"] = trainer_cohorts(certifications).reindex(trainers).fillna(NO_COHORT).astype("int64")
    table["sessions"] = sessions.groupby("lead_trainer_id")["session_id"].nunique().reindex(trainers)
    table["participants"] = participation.groupby("lead_trainer_id")["user_id"].nunique().reindex(trainers)
    table["hours"] = sessions.groupby("lead_trainer_id")["hours"].sum().reindex(trainers)
    table[["sessions", "participants"]] = table[["sessions", "participants"]].fillna(0).astype("int64")
    table["hours"] = table["hours"].fillna(0.0).astype(float)
    table = table.reset_index()
    return table[TRAINER_COLUMNS].sort_values(["sessions", "participants", "trainer_id"],
                                              ascending=[False, False, True], kind="stable").reset_index(drop=True)


def session_table(sessions: pd.DataFrame, participation: pd.DataFrame) -> pd.DataFrame:
    """Per session: enrolled participants (in the selection), of them women, men, not recorded."""
    if sessions.empty:
        return _frame(SESSION_TABLE_COLUMNS)
    grouped = participation.groupby("session_id")
    table = pd.DataFrame({
        "participants": grouped["user_id"].nunique(),
        "women": participation[participation["gender"] == "female"].groupby("session_id")["user_id"].nunique(),
        "men": participation[participation["gender"] == "male"].groupby("session_id")["user_id"].nunique(),
    }).reindex(sessions["session_id"]).fillna(0).astype("int64")
    table["gender_not_recorded"] = table["participants"] - table["women"] - table["men"]
    table.index.name = "session_id"
    return table.reset_index()[SESSION_TABLE_COLUMNS]


def pairs_within_groups(gains: pd.DataFrame, attempts: pd.DataFrame, *, columns) -> pd.DataFrame:
    """Blank (``""``) a pair's group in ``columns`` unless its pre-test belongs to the same group as its
    post-test: ``analytics.learner_gains`` takes the groups from the post-test, but a session's or a
    cohort's gain is only measured when both tests were taken for it."""
    if gains.empty:
        return gains
    by_attempt = attempts.drop_duplicates("attempt_id").set_index("attempt_id")
    gains = gains.copy()
    for column in columns:
        pre_group = gains["pre_attempt_id"].map(by_attempt[column]).fillna("")
        gains[column] = gains[column].fillna("").where(pre_group == gains[column].fillna(""), "")
    return gains
