"""What trainers delivered, for the trainers app (registered in ``CascadeConfig.ready``).

A session counts once it is reported (delivered and its report submitted). Participants are the
enrolled ones; hours are the lengths of its days. The knowledge gain is the mean normalised gain of the
participants with a matched pre/post pair on the session's tests (``assessments.analytics``): the
attempts that belong to a session are those of its participants on its pre-test from
``PRE_WINDOW`` before the first day to the last day, and on its post-test from the first day to
``POST_WINDOW`` after the last day. ``session_attempts`` is the one reading of those windows: the gains
here, the session's tests page and its report figures (``figures``) all go through it.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pandas as pd
from django.db.models import Q
from django.utils import timezone

from assessments.analytics import ATTEMPT_COLUMNS, learner_gains
from assessments.models import Attempt
from lms.trainers.delivery import Delivery

from .models import CascadeSession, SessionParticipant

PRE_WINDOW = timedelta(days=14)
POST_WINDOW = timedelta(days=30)
FINISHED = (Attempt.State.SUBMITTED, Attempt.State.GRADED)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def session_attempts(sessions, *, states=FINISHED) -> list[dict]:
    """The attempts that belong to each session (its tests, its enrolled participants, the windows above).

    One row per attempt and session: ``session_id``, ``attempt_id``, ``learner_id``, ``phase`` ("pre" or
    "post"), ``score``, ``max_score``, ``submitted_at``, ``source`` ("online" or "paper") and ``state``;
    two queries for any number of sessions. Pre-test attempts count from ``PRE_WINDOW`` before the first
    day to the last day, post-test attempts from the first day to ``POST_WINDOW`` after the last; when a
    session's pre- and post-test are the same test, an attempt within both windows counts as the pre-test.
    Only attempts in ``states`` (finished ones by default) are read.
    """
    sessions = [s for s in sessions if s.pre_test_id or s.post_test_id]
    if not sessions:
        return []
    enrolled = defaultdict(set)
    for session_id, user_id in SessionParticipant.objects.filter(
        session__in=sessions, status=SessionParticipant.Status.ENROLLED
    ).values_list("session_id", "user_id"):
        enrolled[session_id].add(user_id)
    users = set().union(*enrolled.values()) if enrolled else set()
    if not users:
        return []
    tests = {s.pre_test_id for s in sessions} | {s.post_test_id for s in sessions}
    attempts = list(
        Attempt.objects.filter(
            user_id__in=users, assessment_id__in=tests - {None}, state__in=states, submitted_at__isnull=False
        ).values("pk", "user_id", "assessment_id", "score", "max_score", "submitted_at", "source", "state")
    )
    # attempts by (learner, test): each session looks up only its participants' attempts on its own tests
    by_learner_test = defaultdict(list)
    for number, attempt in enumerate(attempts):
        by_learner_test[attempt["user_id"], attempt["assessment_id"]].append((number, attempt))
    rows = []
    for session in sessions:
        first, last = session.starts_at, session.ends_at
        own_tests = {session.pre_test_id, session.post_test_id} - {None}
        found = [
            pair
            for user_id in enrolled.get(session.pk, ())
            for test in own_tests
            for pair in by_learner_test.get((user_id, test), ())
        ]
        found.sort(key=lambda pair: pair[0])  # each session's rows in the order the attempts were read
        for _number, attempt in found:
            when = attempt["submitted_at"]
            if attempt["assessment_id"] == session.pre_test_id and first - PRE_WINDOW <= when <= last:
                phase = "pre"
            elif attempt["assessment_id"] == session.post_test_id and first <= when <= last + POST_WINDOW:
                phase = "post"
            else:
                continue
            rows.append({
                "session_id": session.pk, "attempt_id": attempt["pk"], "learner_id": attempt["user_id"],
                "phase": phase, "score": attempt["score"], "max_score": attempt["max_score"], "submitted_at": when,
                "source": attempt["source"], "state": attempt["state"],
            })
    return rows


def gain_frame(rows) -> pd.DataFrame:
    """The ``attempts`` frame of ``assessments.analytics`` for rows of ``session_attempts``, paired per session.

    Only finished attempts with points to score count (a test without items measures nothing).
    """
    frame = pd.DataFrame(
        [
            {
                "attempt_id": row["attempt_id"], "learner_id": row["learner_id"], "phase": row["phase"],
                "pairing": str(row["session_id"]), "score": float(row["score"] or 0),
                "max_score": float(row["max_score"]), "submitted_at": row["submitted_at"],
            }
            for row in rows
            if row["state"] in FINISHED and row["max_score"]
        ],
        columns=list(ATTEMPT_COLUMNS),
    )
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True)
    return frame


def session_gains(sessions) -> dict[int, list[float]]:
    """Each session's participants' normalised gains (those with both tests), in two queries."""
    sessions = [s for s in sessions if s.pre_test_id and s.post_test_id]
    frame = gain_frame(session_attempts(sessions))
    if frame.empty:
        return {}
    gains = learner_gains(frame)
    result = defaultdict(list)
    for pairing, gain in zip(gains["pairing"], gains["normalised_gain"]):
        if pd.notna(gain):
            result[int(pairing)].append(float(gain))
    return dict(result)


def deliveries(*, user_ids, since: date | None, until: date | None) -> dict[int, Delivery]:
    """Sessions each user led or co-facilitated and that were reported between ``since`` and ``until``."""
    user_ids = set(user_ids)
    sessions = CascadeSession.objects.filter(state=CascadeSession.State.REPORTED).filter(
        Q(lead_trainer_id__in=user_ids) | Q(co_trainers__in=user_ids)
    )
    if since is not None:
        sessions = sessions.filter(starts_at__gte=_midnight(since))
    if until is not None:
        sessions = sessions.filter(starts_at__lt=_midnight(until + timedelta(days=1)))
    sessions = list(sessions.distinct().prefetch_related("co_trainers", "days").order_by("-starts_at"))
    if not sessions:
        return {}
    counts = defaultdict(int)
    for session_id in SessionParticipant.objects.filter(
        session__in=sessions, status=SessionParticipant.Status.ENROLLED
    ).values_list("session_id", flat=True):
        counts[session_id] += 1
    gains = session_gains(sessions)
    found: dict[int, Delivery] = {}
    led_gains = defaultdict(list)
    for session in sessions:
        hours = sum(
            (datetime.combine(day.date, day.ends) - datetime.combine(day.date, day.starts)).seconds / 3600
            for day in session.days.all()
        )
        entry = (timezone.localtime(session.starts_at).date(), session.title)
        if session.lead_trainer_id in user_ids:
            delivered = found.setdefault(session.lead_trainer_id, Delivery())
            delivered.sessions_led += 1
            delivered.participants += counts[session.pk]
            delivered.hours += hours
            delivered.sessions.append(entry)
            led_gains[session.lead_trainer_id].extend(gains.get(session.pk, []))
        for co_trainer in session.co_trainers.all():
            if co_trainer.pk in user_ids:
                delivered = found.setdefault(co_trainer.pk, Delivery())
                delivered.sessions_co_facilitated += 1
                delivered.hours += hours
                delivered.sessions.append(entry)
    for user_id, values in led_gains.items():
        if values:
            found[user_id].mean_gain = sum(values) / len(values)
    return found
