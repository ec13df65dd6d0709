"""Writes of training plans and on-the-job training records: the rules the forms, the XLSX import and the
seed all go through. A refusal is ``OJTRefused`` (or ``NotPermitted``) with a message in the user's
language; nothing is written then.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.people.models import Profile
from lms.people.names import display_name

from . import exceptions as errors
from . import selectors
from .models import OJTRecord, TrainingPlan

FIRST_YEAR = 2000
YEARS_AHEAD = 5
MAX_HOURS = Decimal(24)


def _course_modules() -> set[int] | None:
    """The module numbers of the national course, or None when the site has no course (any number goes)."""
    modules = selectors.national_modules()
    return None if modules is None else {number for number, _title in modules}


def _check_permitted(actor, agency) -> None:
    if not selectors.may_keep(user=actor, agency=agency):
        raise errors.NotPermitted(errors.NOT_PERMITTED)


# --- plans -----------------------------------------------------------------------------------------------


def _target(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise errors.OJTRefused(errors.PLAN_TARGET_NEGATIVE) from None
    if number < 0:
        raise errors.OJTRefused(errors.PLAN_TARGET_NEGATIVE)
    return number


@transaction.atomic
def plan_save(
    *,
    actor,
    agency,
    year: int,
    unit=None,
    target_sessions: int = 0,
    target_staff: int = 0,
    target_hours: int = 0,
    modules=(),
    notes: str = "",
    plan: TrainingPlan | None = None,
    today: date | None = None,
) -> TrainingPlan:
    """Create the plan of ``agency`` (or of one of its units) for ``year``, or change ``plan``.

    Refused: a user who does not keep the agency; a year outside 2000 … five years ahead; a negative
    target; modules that are not the national course's; a unit of another agency; a second plan for the
    same agency, year and unit (the database refuses it too, for two saves at the same moment).
    """
    if plan is not None:
        agency = plan.agency
    _check_permitted(actor, agency)
    last = (today or timezone.localdate()).year + YEARS_AHEAD
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not FIRST_YEAR <= year <= last:
        raise errors.OJTRefused(errors.PLAN_YEAR % {"first": FIRST_YEAR, "last": last})
    targets = [_target(value) for value in (target_sessions, target_staff, target_hours)]
    modules = sorted({int(number) for number in modules or ()})
    known = _course_modules()
    outside = [number for number in modules if (number not in known if known is not None else number < 1)]
    if outside:
        raise errors.OJTRefused(errors.PLAN_MODULES_OUTSIDE % {"modules": ", ".join(map(str, outside))})
    if unit is not None and unit.agency_id != agency.pk:
        raise errors.OJTRefused(errors.PLAN_UNIT_OF_OTHER_AGENCY)
    twins = TrainingPlan.objects.filter(agency=agency, year=year, unit=unit)
    if plan is not None:
        twins = twins.exclude(pk=plan.pk)
    if twins.exists():
        raise errors.OJTRefused(errors.PLAN_EXISTS % {"agency": agency.name, "year": year})
    fields = {
        "agency": agency, "unit": unit, "year": year, "target_sessions": targets[0], "target_staff": targets[1],
        "target_hours": targets[2], "modules": modules, "notes": (notes or "").strip(),
    }
    try:
        with transaction.atomic():
            if plan is None:
                plan = TrainingPlan.objects.create(created_by=actor, **fields)
            else:
                for name, value in fields.items():
                    setattr(plan, name, value)
                plan.save()
    except IntegrityError:
        # the same plan was saved a moment ago by someone else
        raise errors.OJTRefused(errors.PLAN_EXISTS % {"agency": agency.name, "year": year}) from None
    return plan


# --- records ---------------------------------------------------------------------------------------------


@dataclass
class RecordInput:
    """One OJT record as given by a form, an import row or the seed (``staff`` is a user)."""

    staff: object
    topic: str
    date: date
    hours: object
    instructor: str
    module: int | None = None
    unit: object = None
    evidence: str = ""


@dataclass
class _Known:
    """What the checks of many records need, read once: the agency's staff and the course's modules."""

    staff_units: dict = field(default_factory=dict)  # user id → unit id (or None) of their profile in the agency
    modules: set[int] | None = None


def _known(agency, user_ids) -> _Known:
    return _Known(
        staff_units=dict(
            Profile.objects.filter(agency=agency, user_id__in=list(user_ids)).values_list("user_id", "unit_id")
        ),
        modules=_course_modules(),
    )


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value).replace(",", ".")) if value not in (None, "") else None
    except InvalidOperation:
        hours = None
    if hours is None or not hours.is_finite() or not 0 < hours <= MAX_HOURS:
        raise errors.OJTRefused(errors.OJT_HOURS)
    return hours.quantize(Decimal("0.01"))


def _cleaned(*, agency, given: RecordInput, known: _Known, today: date) -> dict:
    """The fields of a record after every rule; ``OJTRefused`` names the first rule it breaks."""
    staff = given.staff
    if staff is None:
        raise errors.OJTRefused(errors.OJT_STAFF_REQUIRED)
    if staff.pk not in known.staff_units:
        raise errors.OJTRefused(errors.OJT_STAFF_NOT_OF_AGENCY % {"name": display_name(staff), "agency": agency.name})
    topic = (given.topic or "").strip()
    if not topic:
        raise errors.OJTRefused(errors.OJT_TOPIC_REQUIRED)
    if given.date is None or given.date > today:
        raise errors.OJTRefused(errors.OJT_FUTURE_DATE)
    hours = _hours(given.hours)
    instructor = (given.instructor or "").strip()
    if not instructor:
        raise errors.OJTRefused(errors.OJT_INSTRUCTOR_REQUIRED)
    module = given.module
    if module is not None and (module < 1 or (known.modules is not None and module not in known.modules)):
        raise errors.OJTRefused(errors.OJT_MODULE_OUTSIDE % {"module": module})
    unit = given.unit
    if unit is not None and unit.agency_id != agency.pk:
        raise errors.OJTRefused(errors.PLAN_UNIT_OF_OTHER_AGENCY)
    return {
        "staff": staff, "topic": topic[:200], "date": given.date, "hours": hours, "instructor": instructor[:200],
        "module": module, "evidence": (given.evidence or "").strip(),
        # no unit given: the staff member's own unit, so the record counts in that unit's plan
        "unit_id": unit.pk if unit is not None else known.staff_units[staff.pk],
    }


def record_create(
    *,
    actor,
    agency,
    staff,
    topic: str,
    date: date,
    hours,
    instructor: str,
    module: int | None = None,
    unit=None,
    evidence: str = "",
    source: str = OJTRecord.Source.ENTERED,
    today: date | None = None,
) -> OJTRecord:
    """Write one OJT record of a staff member of ``agency``.

    Refused: a user who does not keep the agency; a person without a profile in the agency; no topic or
    instructor; a date in the future; hours not in (0, 24]; a module outside the national course; a unit
    of another agency. Without a unit the record takes the staff member's unit.
    """
    _check_permitted(actor, agency)
    given = RecordInput(staff=staff, topic=topic, date=date, hours=hours, instructor=instructor, module=module,
                        unit=unit, evidence=evidence)
    known = _known(agency, [getattr(staff, "pk", None)])
    fields = _cleaned(agency=agency, given=given, known=known, today=today or timezone.localdate())
    return OJTRecord.objects.create(agency=agency, source=source, created_by=actor, **fields)


def record_update(
    *,
    actor,
    record: OJTRecord,
    staff,
    topic: str,
    date: date,
    hours,
    instructor: str,
    module: int | None = None,
    unit=None,
    evidence: str = "",
    today: date | None = None,
) -> OJTRecord:
    """Change a record with the same rules as ``record_create`` (its agency and source stay)."""
    _check_permitted(actor, record.agency)
    given = RecordInput(staff=staff, topic=topic, date=date, hours=hours, instructor=instructor, module=module,
                        unit=unit, evidence=evidence)
    known = _known(record.agency, [getattr(staff, "pk", None)])
    fields = _cleaned(agency=record.agency, given=given, known=known, today=today or timezone.localdate())
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()
    return record


def record_delete(*, actor, record: OJTRecord) -> None:
    _check_permitted(actor, record.agency)
    record.delete()


@dataclass(frozen=True)
class RowProblem:
    """Why row ``row`` of an import file is refused."""

    row: int
    message: str


@transaction.atomic
def records_import(
    *, actor, agency, rows: list[tuple[int, RecordInput]], today: date | None = None, dry_run: bool = False
):
    """Write every row as an imported record, or none: return ``(count, problems)``.

    ``rows`` are ``(row number, RecordInput)``; each is checked with the rules of ``record_create`` and
    every refused row is named with its reason. With any problem (or ``dry_run``) nothing is written.
    """
    _check_permitted(actor, agency)
    today = today or timezone.localdate()
    known = _known(agency, {given.staff.pk for _row, given in rows if given.staff is not None})
    records, problems = [], []
    for number, given in rows:
        try:
            fields = _cleaned(agency=agency, given=given, known=known, today=today)
        except errors.OJTRefused as refused:
            problems.append(RowProblem(number, refused.message))
            continue
        records.append(OJTRecord(agency=agency, source=OJTRecord.Source.IMPORTED, created_by=actor, **fields))
    if problems or dry_run:
        return 0, problems
    OJTRecord.objects.bulk_create(records)
    return len(records), []
