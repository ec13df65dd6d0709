"""The demo on-the-job training of the General Prosecutor's Office, read from ``data/ojt.json``; safe to
re-run.

A plan for the whole agency and one for a regional training unit, for the year of the run, and about forty
OJT records of GPO prosecutors and investigators of several velayats, all written through the services
by the agency's training coordinator, in his language (Turkmen). A plan is found again by agency,
year and unit; a record by its staff member and topic (or its former English topic): a second run adds
nothing, and only puts the English texts an older demo database holds into the coordinator's language.
"""

import json
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from content.seed.loader import SeedDataError
from lms.people.models import Agency, TrainingUnit

from . import services
from .models import OJTRecord, TrainingPlan

DATA_FILE = Path(__file__).resolve().parent / "data" / "ojt.json"
COORDINATOR_OF = {"GPO": "coordinator", "MIA": "coordinator.mia"}


def _day(days_ago: int, today: date) -> date:
    """``days_ago`` before today, kept inside this year (an early-year run spreads the dates over January)."""
    day = today - timedelta(days=days_ago)
    if day.year < today.year:
        first = date(today.year, 1, 1)
        day = first + timedelta(days=days_ago % ((today - first).days + 1))
    return day


def _existing_refresh(*, row: dict, records) -> bool:
    """Find the row's record among the staff member's ``records`` by its topic or its former English one,
    and replace the English topic, instructor and evidence an older demo database gave it; say whether it
    was there."""
    found = records.filter(topic__in=[row["topic"], *filter(None, [row.get("topic_en")])])
    if not found.exists():
        return False
    for field in ("topic", "instructor", "evidence"):
        if row.get(f"{field}_en"):
            found.filter(**{field: row[f"{field}_en"]}).update(**{field: row[field]})
    return True


def ojt_seed(*, today: date | None = None) -> tuple[int, int]:
    """Create the demo plans and OJT records that do not exist yet; return how many of each there are."""
    User = get_user_model()
    today = today or timezone.localdate()
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    agency = Agency.objects.get(code=data["agency"])
    try:
        coordinator = User.objects.get(username=COORDINATOR_OF[agency.code])
    except User.DoesNotExist as error:
        raise SeedDataError(f"{DATA_FILE.name}: no coordinator of {agency.code} (load the demo people first)") from error
    for row in data["plans"]:
        unit = TrainingUnit.objects.get(agency=agency, code=row["unit"]) if row["unit"] else None
        plans = TrainingPlan.objects.filter(agency=agency, year=today.year, unit=unit)
        if plans.exists():
            if row.get("notes_en"):
                plans.filter(notes=row["notes_en"]).update(notes=row["notes"])
            continue
        services.plan_save(
            actor=coordinator, agency=agency, unit=unit, year=today.year, target_sessions=row["target_sessions"],
            target_staff=row["target_staff"], target_hours=row["target_hours"], modules=row["modules"],
            notes=row["notes"], today=today,
        )
    people = {user.username: user for user in User.objects.filter(username__in={row["staff"] for row in data["records"]})}
    for row in data["records"]:
        staff = people.get(row["staff"])
        if staff is None:
            raise SeedDataError(f"{DATA_FILE.name}: no account {row['staff']!r} (load the demo people and trainers first)")
        if _existing_refresh(row=row, records=OJTRecord.objects.filter(agency=agency, staff=staff)):
            continue
        services.record_create(
            actor=coordinator, agency=agency, staff=staff, topic=row["topic"], date=_day(row["days_ago"], today),
            hours=str(row["hours"]), instructor=row["instructor"], module=row["module"], evidence=row["evidence"],
            today=today,
        )
    return (
        TrainingPlan.objects.filter(agency=agency).count(),
        OJTRecord.objects.filter(agency=agency).count(),
    )
