"""The figures of a session's report, filled from the records: who took part, who attended, what they learned.

The counting is done by pure functions over plain rows (dicts), so it is tested on a hand-made dataset
without a database; ``report_figures`` reads one session's rows in a constant number of queries and hands
them over. Participants are the enrolled ones (not the waiting list); their gender, training unit,
position and region come from their profile, as it is when the figures are read.

Rows
----
``participants``: ``{"participant_id", "user_id", "gender", "unit", "position", "region"}``; ``gender``
is a ``Profile.Gender`` value or ""; ``unit`` and ``region`` are names (already in the reader's language)
or ""; ``position`` is the free text of the profile.

``days``: ``{"id", "date"}``; ``marks``: ``{"participant_id", "day_id", "status"}`` (an ``Attendance``
status; a day without a mark is "not recorded").

``attempts``: the rows of ``delivery.session_attempts`` (``phase``, ``learner_id``, ``score``, …).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from django.utils.translation import gettext_lazy as _

from assessments.analytics import group_gains, learner_gains
from lms.people.models import Profile

from . import delivery
from .models import ATTENDED, Attendance, CascadeSession, SessionParticipant

NOT_GIVEN = _("Not given")
BY_GENDER = _("By gender")
BY_UNIT = _("By training unit")
BY_POSITION = _("By position")
BY_REGION = _("By region")


@dataclass(frozen=True)
class Share:
    """One group of a breakdown: its label, how many participants, and their share of all (0..1)."""

    label: str
    count: int
    share: float


@dataclass
class DayCount:
    date: date
    counts: dict[str, int]  # Attendance status → participants
    not_recorded: int

    @property
    def cells(self) -> list[int]:
        """The counts in the order of ``Attendance.Status`` (the columns of a table)."""
        return [self.counts.get(status, 0) for status in Attendance.Status.values]


@dataclass
class AttendanceFigures:
    days: list[DayCount]
    participants: int
    met: int  # participants who attended enough days to complete (``attended_enough``)
    share_met: float | None  # None without participants
    min_attendance: int
    statuses = Attendance.Status.choices  # the columns of ``DayCount.cells``

    @property
    def percent_met(self) -> int | None:
        return None if self.share_met is None else round(self.share_met * 100)


@dataclass
class PrePost:
    """What the session's tests show: who took them and, over the matched pairs, what was learned."""

    pre_taken: int = 0  # participants with a finished pre-test
    post_taken: int = 0
    n: int = 0  # matched pre/post pairs
    mean_pre: float | None = None  # per cent
    mean_post: float | None = None
    mean_normalised_gain: float | None = None  # Hake's g, 0..1 (negative when scores fell)
    share_improved: float | None = None  # 0..1


@dataclass
class ReportFigures:
    participants: int
    by_gender: list[Share] = field(default_factory=list)
    by_unit: list[Share] = field(default_factory=list)
    by_position: list[Share] = field(default_factory=list)
    by_region: list[Share] = field(default_factory=list)
    attendance: AttendanceFigures | None = None
    results: PrePost = field(default_factory=PrePost)

    @property
    def breakdowns(self) -> list[tuple[str, str, list[Share]]]:
        """``(name, title, shares)`` of each breakdown, in the order a report lists them."""
        return [
            ("gender", BY_GENDER, self.by_gender),
            ("unit", BY_UNIT, self.by_unit),
            ("position", BY_POSITION, self.by_position),
            ("region", BY_REGION, self.by_region),
        ]


# --- counting (no database) ----------------------------------------------------------------------------


def breakdown(values, *, labels=None) -> list[Share]:
    """Count ``values``: one ``Share`` per distinct value, most frequent first, then by label.

    Empty values ("" or None) count as "Not given", listed last. Values are compared without the case and
    the surrounding spaces ("Prosecutor" and "prosecutor " are one position); a group is labelled with
    ``labels[value]`` when given, else with the value as first written.
    """
    values = list(values)
    total = len(values)
    counts: Counter = Counter()
    written: dict[str, str] = {}
    missing = 0
    for value in values:
        text = str(value).strip() if value is not None else ""
        if not text:
            missing += 1
            continue
        key = text.casefold()
        counts[key] += 1
        written.setdefault(key, text)
    labels = labels or {}
    shares = [
        Share(label=str(labels.get(written[key], written[key])), count=count, share=count / total)
        for key, count in counts.items()
    ]
    shares.sort(key=lambda share: (-share.count, share.label.casefold()))
    if missing:
        shares.append(Share(label=str(NOT_GIVEN), count=missing, share=missing / total))
    return shares


def participant_breakdowns(participants: list[dict]) -> dict[str, list[Share]]:
    """The participants by gender, training unit, position and region."""
    genders = {value: label for value, label in Profile.Gender.choices}
    return {
        "gender": breakdown((row["gender"] for row in participants), labels=genders),
        "unit": breakdown(row["unit"] for row in participants),
        "position": breakdown(row["position"] for row in participants),
        "region": breakdown(row["region"] for row in participants),
    }


def attended_enough(*, attended: int, days: int, min_attendance: int) -> bool:
    """The completion rule's attendance: present or late on at least ``min_attendance`` per cent of the days."""
    return days > 0 and attended * 100 >= min_attendance * days


def attendance_figures(*, days: list[dict], participant_ids, marks: list[dict], min_attendance: int) -> AttendanceFigures:
    """Per day, how many participants were present, late, excused, absent or not recorded; and how many
    attended enough days to complete. Marks of people who are not (or no longer) enrolled are ignored."""
    participant_ids = set(participant_ids)
    day_ids = {day["id"] for day in days}
    per_day = {day_id: Counter() for day_id in day_ids}
    attended: Counter = Counter()
    for mark in marks:
        if mark["participant_id"] not in participant_ids or mark["day_id"] not in day_ids:
            continue
        per_day[mark["day_id"]][mark["status"]] += 1
        if mark["status"] in ATTENDED:
            attended[mark["participant_id"]] += 1
    rows = []
    for day in sorted(days, key=lambda day: day["date"]):
        counts = {status: per_day[day["id"]][status] for status in Attendance.Status.values}
        rows.append(DayCount(date=day["date"], counts=counts, not_recorded=len(participant_ids) - sum(counts.values())))
    met = sum(
        1 for pk in participant_ids
        if attended_enough(attended=attended[pk], days=len(days), min_attendance=min_attendance)
    )
    return AttendanceFigures(
        days=rows, participants=len(participant_ids), met=met,
        share_met=(met / len(participant_ids)) if participant_ids else None, min_attendance=min_attendance,
    )


def pre_post_figures(attempts: list[dict]) -> PrePost:
    """Who took the session's tests (finished attempts) and the knowledge gain over the matched pairs.

    Pairs follow ``assessments.analytics`` (first pre, last post submitted after it); a learner whose
    pre-test was full marks has no normalised gain and is left out of that mean only.
    """
    finished = [row for row in attempts if row["state"] in delivery.FINISHED]
    figures = PrePost(
        pre_taken=len({row["learner_id"] for row in finished if row["phase"] == "pre"}),
        post_taken=len({row["learner_id"] for row in finished if row["phase"] == "post"}),
    )
    frame = delivery.gain_frame(finished)
    if frame.empty:
        return figures
    overall = group_gains(learner_gains(frame), by=[])
    if overall.empty or not int(overall["n"].iloc[0]):
        return figures
    row = overall.iloc[0]

    def number(value):
        return None if pd.isna(value) else float(value)

    figures.n = int(row["n"])
    figures.mean_pre = number(row["mean_pre"])
    figures.mean_post = number(row["mean_post"])
    figures.mean_normalised_gain = number(row["mean_normalised_gain"])
    figures.share_improved = number(row["share_improved"])
    return figures


def taken(attempts: list[dict]) -> dict[int, dict[str, dict | None]]:
    """Per learner, the attempt that stands for each phase: ``{learner_id: {"pre": row, "post": row}}``.

    As in the gain: the first finished pre-test and the last finished post-test; without a finished one,
    the latest attempt awaiting grading (shown as such, without a score), else None.
    """
    by_phase: dict[tuple[int, str], list[dict]] = {}
    for row in sorted(attempts, key=lambda row: (row["submitted_at"], row["attempt_id"])):
        by_phase.setdefault((row["learner_id"], row["phase"]), []).append(row)
    found: dict[int, dict[str, dict | None]] = {}
    for (learner_id, phase), rows in by_phase.items():
        done = [row for row in rows if row["state"] in delivery.FINISHED]
        if done:
            chosen = done[0] if phase == "pre" else done[-1]
        else:
            chosen = rows[-1]
        found.setdefault(learner_id, {"pre": None, "post": None})[phase] = chosen
    return found


# --- reading (one session, a constant number of queries) ------------------------------------------------


def report_figures(*, session: CascadeSession) -> ReportFigures:
    """The report's figures for ``session``, read in five queries whatever the number of participants."""
    places = list(
        SessionParticipant.objects.filter(session=session, status=SessionParticipant.Status.ENROLLED)
        .select_related("user__profile__unit", "user__profile__region")
        .order_by("pk")
    )
    participants = []
    for place in places:
        profile = getattr(place.user, "profile", None)
        participants.append({
            "participant_id": place.pk,
            "user_id": place.user_id,
            "gender": getattr(profile, "gender", ""),
            "unit": str(profile.unit) if profile is not None and profile.unit is not None else "",
            "position": getattr(profile, "position", ""),
            "region": str(profile.region) if profile is not None and profile.region is not None else "",
        })
    days = list(session.days.values("id", "date"))
    marks = list(
        Attendance.objects.filter(day__session=session).values("participant_id", "day_id", "status")
    )
    breakdowns = participant_breakdowns(participants)
    return ReportFigures(
        participants=len(participants),
        by_gender=breakdowns["gender"],
        by_unit=breakdowns["unit"],
        by_position=breakdowns["position"],
        by_region=breakdowns["region"],
        attendance=attendance_figures(
            days=days, participant_ids=[row["participant_id"] for row in participants], marks=marks,
            min_attendance=session.min_attendance,
        ),
        results=pre_post_figures(delivery.session_attempts([session])),
    )
