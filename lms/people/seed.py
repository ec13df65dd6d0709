"""Load reference data and demo people from the readable files in ``data/``; safe to re-run."""

import json
from functools import cache
from pathlib import Path

from django.contrib.auth.models import Group, User
from django.db import transaction

from .models import Agency, Profile, Region, TrainingUnit

DATA_DIR = Path(__file__).resolve().parent / "data"
NAME_FIELDS = ("name_en", "name_ru", "name_tk")


def _read(name: str):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@transaction.atomic
def reference_data_load() -> None:
    """Create or update the regions, agencies and training units (keyed by their codes)."""
    for row in _read("regions.json"):
        Region.objects.update_or_create(
            code=row["code"], defaults={field: row[field] for field in NAME_FIELDS}
        )
    for row in _read("agencies.json"):
        Agency.objects.update_or_create(
            code=row["code"],
            defaults={"kind": row["kind"], **{field: row[field] for field in NAME_FIELDS}},
        )
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    regions = {region.code: region for region in Region.objects.all()}
    for row in _read("units.json"):
        TrainingUnit.objects.update_or_create(
            agency=agencies[row["agency"]],
            code=row["code"],
            defaults={
                "region": regions.get(row.get("region")),
                **{field: row[field] for field in NAME_FIELDS},
            },
        )


@cache
def _positions() -> dict:
    return _read("positions.json")["positions"]


def _position(english: str, language: str) -> str:
    """A demo position in the person's own language (``data/positions.json``); English, or one without a
    translation, as written."""
    return _positions().get(english, {}).get(language, english) if english else ""


def _person_save(row: dict, *, password: str | None) -> User:
    user, _created = User.objects.get_or_create(username=row["username"])
    user.first_name = row["first_name"]
    user.last_name = row["last_name"]
    user.email = row.get("email") or f"{row['username']}@example.org"
    user.is_superuser = user.is_staff = bool(row.get("superuser"))
    if password is None:
        user.set_unusable_password()
    elif not user.check_password(password):
        user.set_password(password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=row.get("roles", ["Trainee"])))
    agency = Agency.objects.filter(code=row.get("agency")).first()
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "agency": agency,
            "unit": TrainingUnit.objects.filter(agency=agency, code=row.get("unit")).first(),
            "region": Region.objects.filter(code=row.get("region")).first(),
            "position": _position(row.get("position", ""), row.get("language", "tk")),
            "gender": row.get("gender", ""),
            "language": row.get("language", "tk"),
        },
    )
    return user


@transaction.atomic
def demo_people_load(*, password: str) -> list[dict]:
    """Create the demo accounts (with ``password``) and agency staff; return the accounts."""
    data = _read("demo_people.json")
    for row in data["accounts"]:
        _person_save(row, password=password)
    for row in data["staff"]:
        _person_save(row, password=None)
    return data["accounts"]


COHORT_FIRST = {
    "female": ["Aýna", "Jeren", "Maral", "Ogulgerek", "Bahar", "Gülälek", "Enejan", "Sona", "Läle", "Ýazgül"],
    "male": ["Serdar", "Merdan", "Döwlet", "Batyr", "Rowşen", "Atamyrat", "Nury", "Kakajan", "Myrat", "Şöhrat"],
}
COHORT_LAST = {
    "female": ["Orazowa", "Annaýewa", "Gurbanowa", "Çaryýewa", "Nurmyradowa"],
    "male": ["Orazow", "Annaýew", "Gurbanow", "Çaryýew", "Nurmyradow"],
}
COHORT_AGENCIES = ["GPO", "GPO", "MIA", "MIA", "SMS", "SBS", "SCS", "SC", "MOJ"]
COHORT_REGIONS = ["TM-A", "TM-B", "TM-D", "TM-L", "TM-M", "TM-S"]
COHORT_POSITIONS = {
    "GPO": "Prosecutor", "MIA": "Police investigator", "SMS": "Migration officer", "SBS": "Border officer",
    "SCS": "Customs officer", "SC": "Judge", "MOJ": "Legal officer",
}


@transaction.atomic
def simulated_cohort_load(*, count: int = 40) -> list[User]:
    """Learners of a simulated cascade cohort (no login), spread over agencies, regions, genders and
    languages, so the knowledge-gain dashboard of the demo has something to show."""
    learners = []
    for number in range(1, count + 1):
        gender = "female" if number % 2 else "male"
        agency = COHORT_AGENCIES[number % len(COHORT_AGENCIES)]
        row = {
            "username": f"cohort.{number:02d}",
            "first_name": COHORT_FIRST[gender][number % 10],
            "last_name": COHORT_LAST[gender][(number // 10) % 5],
            "agency": agency,
            "region": COHORT_REGIONS[number % len(COHORT_REGIONS)],
            "position": COHORT_POSITIONS[agency],
            "gender": gender,
            "language": "ru" if number % 3 == 0 else ("en" if number % 13 == 0 else "tk"),
        }
        learners.append(_person_save(row, password=None))
    return learners


STAFF_FIRST = COHORT_FIRST
STAFF_LAST = {
    "female": ["Atayewa", "Berdiýewa", "Hojayewa", "Meredowa", "Saparowa", "Täçmyradowa", "Welmyradowa", "Ýazmyradowa"],
    "male": ["Atayew", "Berdiýew", "Hojayew", "Meredow", "Saparow", "Täçmyradow", "Welmyradow", "Ýazmyradow"],
}
# agency → [(unit code or None, region code, how many)]: the staff that cascade sessions of the demo train
STAFF_PLACES = {
    "GPO": [("dashoguz", "TM-D", 40), ("balkan", "TM-B", 30), ("ahal", "TM-A", 6), ("lebap", "TM-L", 6),
            ("mary", "TM-M", 6)],
    "MIA": [(None, "TM-D", 10), (None, "TM-B", 10), ("lebap", "TM-L", 8), ("mary", "TM-M", 8)],
}
STAFF_POSITIONS = {
    "GPO": ["Prosecutor", "Senior prosecutor", "Assistant prosecutor", "Investigator"],
    "MIA": ["Police investigator", "District police inspector", "Operational officer", "Patrol officer"],
}


@transaction.atomic
def agency_staff_load() -> list[User]:
    """Staff of the GPO and the MIA in several velayats (no login), the participants of the demo's season
    of cascade sessions; usernames ``staff.gpo.dashoguz.01`` etc. so a second run finds them again."""
    staff = []
    for agency, places in STAFF_PLACES.items():
        number = 0
        for unit, region, count in places:
            for index in range(1, count + 1):
                number += 1
                gender = "female" if (number + index) % 5 in (0, 2) else "male"
                place = unit or region.lower().replace("tm-", "region-")
                row = {
                    "username": f"staff.{agency.lower()}.{place}.{index:02d}",
                    "first_name": STAFF_FIRST[gender][(number * 3) % 10],
                    "last_name": STAFF_LAST[gender][(number * 5 + index) % 8],
                    "agency": agency,
                    "unit": unit,
                    "region": region,
                    "position": STAFF_POSITIONS[agency][number % 4],
                    "gender": gender,
                    "language": "ru" if number % 4 == 0 else "tk",
                }
                staff.append(_person_save(row, password=None))
    return staff
