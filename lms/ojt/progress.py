"""A training plan against what happened: sessions, staff trained, person-hours and topics, per year.

What counts (for an agency, or one of its units, and a year):

- sessions: the agency's (unit's) cascade sessions that were delivered or reported and have a day in
  the year (a cancelled or merely approved session does not count);
- staff trained: distinct people who attended such a session on a day of the year (enrolled, present
  or late) or have an OJT record dated in the year;
- hours: person-hours, the hours of every OJT record plus, for every attended session day, the day's
  length once for each person attending it;
- topics: the modules that sessions and OJT records covered, against the plan's modules.

``progress_compute`` is the pure part: it works on plain rows and is tested without a database.
``progress_get`` reads those rows with a fixed number of queries, whatever the amount of data.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal

from lms.cascade.models import ATTENDED, Attendance, CascadeSession, SessionDay, SessionParticipant

from .models import OJTRecord, TrainingPlan

COUNTED_STATES = (CascadeSession.State.DELIVERED, CascadeSession.State.REPORTED)
MONTHS = range(1, 13)


# --- plain rows ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionDayRow:
    """A day of a counted session (in the year)."""

    session_id: int
    date: date
    starts: time
    ends: time
    modules: tuple[int, ...] = ()


@dataclass(frozen=True)
class AttendedRow:
    """A person present or late on a day of a counted session."""

    session_id: int
    user_id: int
    date: date
    starts: time
    ends: time


@dataclass(frozen=True)
class OJTRow:
    user_id: int
    date: date
    hours: Decimal
    module: int | None = None


@dataclass(frozen=True)
class Targets:
    sessions: int = 0
    staff: int = 0
    hours: int = 0
    modules: tuple[int, ...] = ()


# --- results ---------------------------------------------------------------------------------------------


@dataclass
class Measure:
    """One target against its actual figure."""

    key: str
    actual: Decimal | int
    target: int | None

    @property
    def percent(self) -> int | None:
        """Share of the target reached, in per cent (None without a target); may pass 100."""
        if not self.target:
            return None
        return int(round(Decimal(self.actual) * 100 / Decimal(self.target)))

    @property
    def bar(self) -> int:
        """The percent for a bar, capped at 100."""
        return min(self.percent or 0, 100)


@dataclass
class Month:
    month: int
    sessions: int = 0
    session_hours: Decimal = Decimal(0)
    ojt_hours: Decimal = Decimal(0)
    people: int = 0

    @property
    def hours(self) -> Decimal:
        return self.session_hours + self.ojt_hours


@dataclass
class Topic:
    module: int
    planned: bool
    sessions: int = 0
    records: int = 0

    @property
    def covered(self) -> bool:
        return bool(self.sessions or self.records)


@dataclass
class Progress:
    year: int
    sessions: Measure
    staff: Measure
    hours: Measure
    session_hours: Decimal
    ojt_hours: Decimal
    months: list[Month]
    topics: list[Topic] = field(default_factory=list)

    @property
    def measures(self) -> list[Measure]:
        return [self.sessions, self.staff, self.hours]

    @property
    def planned_covered(self) -> int:
        return sum(1 for topic in self.topics if topic.planned and topic.covered)

    @property
    def planned_topics(self) -> int:
        return sum(1 for topic in self.topics if topic.planned)


def _length(starts: time, ends: time) -> Decimal:
    """A day's length in hours."""
    minutes = (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute)
    return (Decimal(max(minutes, 0)) / Decimal(60)).quantize(Decimal("0.01"))


def progress_compute(
    *, year: int, days: list[SessionDayRow], attended: list[AttendedRow], ojt: list[OJTRow], targets: Targets | None
) -> Progress:
    """Plan against actual from plain rows (rows outside ``year`` are ignored)."""
    days = [row for row in days if row.date.year == year]
    attended = [row for row in attended if row.date.year == year]
    ojt = [row for row in ojt if row.date.year == year]
    months = {number: Month(number) for number in MONTHS}

    first_day: dict[int, date] = {}
    session_modules: dict[int, set[int]] = defaultdict(set)
    for row in days:
        if row.session_id not in first_day or row.date < first_day[row.session_id]:
            first_day[row.session_id] = row.date
        session_modules[row.session_id].update(row.modules)
    for day in first_day.values():
        months[day.month].sessions += 1

    people: set[int] = set()
    people_by_month: dict[int, set[int]] = defaultdict(set)
    session_hours = Decimal(0)
    for row in attended:
        hours = _length(row.starts, row.ends)
        session_hours += hours
        months[row.date.month].session_hours += hours
        people.add(row.user_id)
        people_by_month[row.date.month].add(row.user_id)
    ojt_hours = Decimal(0)
    record_modules: dict[int, int] = defaultdict(int)
    for row in ojt:
        ojt_hours += Decimal(row.hours)
        months[row.date.month].ojt_hours += Decimal(row.hours)
        people.add(row.user_id)
        people_by_month[row.date.month].add(row.user_id)
        if row.module is not None:
            record_modules[row.module] += 1
    for number, who in people_by_month.items():
        months[number].people = len(who)

    planned = set(targets.modules) if targets else set()
    covered_by_sessions: dict[int, int] = defaultdict(int)
    for modules in session_modules.values():
        for module in modules:
            covered_by_sessions[module] += 1
    topics = [
        Topic(module=number, planned=number in planned, sessions=covered_by_sessions.get(number, 0),
              records=record_modules.get(number, 0))
        for number in sorted(planned | set(covered_by_sessions) | set(record_modules))
    ]
    return Progress(
        year=year,
        sessions=Measure("sessions", len(first_day), targets.sessions if targets else None),
        staff=Measure("staff", len(people), targets.staff if targets else None),
        hours=Measure("hours", session_hours + ojt_hours, targets.hours if targets else None),
        session_hours=session_hours,
        ojt_hours=ojt_hours,
        months=[months[number] for number in MONTHS],
        topics=topics,
    )


# --- chart geometry (pure) -------------------------------------------------------------------------------


def month_columns(months: list[Month], *, height: int = 160) -> tuple[list[dict], Decimal]:
    """Stacked columns (session hours below, OJT hours on top) scaled to the busiest month.

    Returns the columns with their SVG heights and the scale's top value (hours)."""
    top = max((month.hours for month in months), default=Decimal(0))
    scale = Decimal(height) / top if top else Decimal(0)
    columns = []
    for index, month in enumerate(months):
        session_height = int(round(month.session_hours * scale))
        ojt_height = int(round(month.ojt_hours * scale))
        columns.append({
            "month": month, "index": index, "x": 40 + index * 50,
            "session_y": 10 + height - session_height, "session_height": session_height,
            "ojt_y": 10 + height - session_height - ojt_height, "ojt_height": ojt_height,
        })
    return columns, top


# --- the queries -----------------------------------------------------------------------------------------


def plan_for(*, agency, year: int, unit=None) -> TrainingPlan | None:
    return TrainingPlan.objects.filter(agency=agency, year=year, unit=unit).first()


def progress_get(*, agency, year: int, unit=None, plan: TrainingPlan | None = None) -> Progress:
    """The progress of ``agency`` (or ``unit``) in ``year`` against ``plan``: three queries."""
    day_filter = {"session__agency": agency, "session__state__in": COUNTED_STATES, "date__year": year}
    if unit is not None:
        day_filter["session__unit"] = unit
    days = [
        SessionDayRow(row["session_id"], row["date"], row["starts"], row["ends"], tuple(row["session__modules"] or ()))
        for row in SessionDay.objects.filter(**day_filter).values("session_id", "date", "starts", "ends", "session__modules")
    ]
    attended = [
        AttendedRow(row["day__session_id"], row["participant__user_id"], row["day__date"], row["day__starts"],
                    row["day__ends"])
        for row in Attendance.objects.filter(
            status__in=ATTENDED,
            participant__status=SessionParticipant.Status.ENROLLED,
            **{f"day__{name}": value for name, value in day_filter.items()},
        ).values("day__session_id", "participant__user_id", "day__date", "day__starts", "day__ends")
    ]
    records = OJTRecord.objects.filter(agency=agency, date__year=year)
    if unit is not None:
        records = records.filter(unit=unit)
    ojt = [OJTRow(row["staff_id"], row["date"], row["hours"], row["module"])
           for row in records.values("staff_id", "date", "hours", "module")]
    targets = None
    if plan is not None:
        targets = Targets(plan.target_sessions, plan.target_staff, plan.target_hours, tuple(plan.modules or ()))
    return progress_compute(year=year, days=days, attended=attended, ojt=ojt, targets=targets)
