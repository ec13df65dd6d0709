"""The demo seed's ToT cohorts (lms/trainers/data/tot_cohorts.json) and OJT records (lms/ojt/data/ojt.json)
are written in their people's language: a cohort's title and venue in the cohort's language, the OJT plans
and records in Turkmen, the language of the GPO's training coordinator who keeps them. The English texts
are kept only to replace what an older demo database holds."""

import json

import pytest

from lms.ojt.seed import DATA_FILE as OJT_FILE
from lms.trainers.seed import DATA_FILE as TRAINERS_FILE
from tests.cascade.test_seed_data import written_in

COHORTS = json.loads(TRAINERS_FILE.read_text(encoding="utf-8"))["cohorts"]
OJT = json.loads(OJT_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("row", COHORTS, ids=[row["code"] for row in COHORTS])
def test_a_cohorts_title_and_venue_are_in_its_language(row):
    assert written_in(row["title"]) == row["language"]
    assert written_in(row["venue"]) == row["language"]


def test_the_ojt_plans_and_records_are_in_turkmen_with_the_english_kept_for_replacing():
    for plan in OJT["plans"]:
        assert written_in(plan["notes"]) == "tk" and written_in(plan["notes_en"]) == "en"
    for record in OJT["records"]:
        for field in ("topic", "instructor", "evidence"):
            assert written_in(record[field]) == "tk", record[field]
            assert record[f"{field}_en"] != record[field]
    # a record is found again by its staff member and topic: no two rows share both
    keys = [(record["staff"], record["topic"]) for record in OJT["records"]]
    assert len(set(keys)) == len(keys)
