"""Reach of the cascade: lineage figures on a known dataset, scoping, downloads, and the pure maths.

The dataset: two ToT cohorts, three certified trainers (t1 and t2 of GPO, t3 of MIA; t2's certification
has expired), a candidate who was never certified, sessions in two agencies (one cancelled, not
counted) and p3, who sat two sessions and is reached once.
"""

import csv
import io
from datetime import date, timedelta

import openpyxl
import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lms.cascade import delivery
from lms.cascade.models import CascadeSession
from lms.people.roles import Role
from lms.reports import lineage
from lms.reports.exceptions import PERIOD_ORDER, ReachNotAllowed
from lms.reports.reach import ReachFilters, reach_frames, reach_summary, reach_tables
from lms.trainers.models import ToTCohort
from tests.factories import person
from tests.reports.helpers import TODAY, session, who


def tables_for(user, **filters):
    return reach_tables(reach_frames(user=user, filters=ReachFilters(**filters), today=TODAY))


def by(rows: pd.DataFrame, column: str) -> dict:
    return {row[column]: row for row in rows.to_dict("records")}


# --- figures --------------------------------------------------------------------------------------------


def test_national_figures_on_the_known_dataset(world, manager):
    tables = tables_for(manager)
    totals = tables["totals"]
    # t1, t2, t3 certified (t4 is a candidate); t2 expired; p1..p4, q1, q2 reached (p3 once, p5's session
    # cancelled)
    assert totals == {
        "trainers_certified": 3, "trainers_active": 2, "trainers_delivering": 3, "sessions": 3,
        "participants": 6, "participations": 7, "multiplier": pytest.approx(2.0), "hours": pytest.approx(18.0),
    }
    cohorts = by(tables["cohorts"], "cohort")
    assert list(tables["cohorts"]["cohort"]) == ["tot-2025", "tot-2026"]
    c1, c2 = cohorts["tot-2025"], cohorts["tot-2026"]
    assert (c1["trainers_certified"], c1["trainers_active"], c1["trainers_delivering"]) == (2, 2, 2)
    assert (c1["sessions"], c1["participants"], c1["hours"]) == (2, 5, 12.0)
    assert c1["multiplier"] == pytest.approx(2.5)
    assert (c2["trainers_certified"], c2["trainers_active"], c2["sessions"], c2["participants"]) == (1, 0, 1, 2)
    assert c2["multiplier"] == pytest.approx(2.0)
    # the cohort's own gain (t1 and t3: 0.5 each) and its trainers' participants' (p1 2/3, p2 1, q1 0.5)
    assert (c1["tot_n"], c1["tot_mean_pre"], c1["tot_mean_post"]) == (2, 25.0, 62.5)
    assert c1["tot_mean_normalised_gain"] == pytest.approx(0.5)
    assert c1["participants_n"] == 3
    assert c1["participants_mean_normalised_gain"] == pytest.approx((2 / 3 + 1 + 0.5) / 3)
    assert c2["tot_n"] == 0 and c2["participants_n"] == 0
    levels = by(tables["levels"], "level")
    assert levels["tot"]["n"] == 2 and levels["participants"]["n"] == 3


def test_coverage_by_agency_region_gender_and_time(world, manager):
    tables = tables_for(manager)
    agency = by(tables["coverage"]["agency"], "agency")
    assert {code: row["participants"] for code, row in agency.items()} == {"GPO": 4, "MIA": 2}
    assert (agency["GPO"]["women"], agency["GPO"]["men"], agency["GPO"]["sessions"]) == (2, 2, 2)
    assert agency["GPO"]["agency_name"] == "General Prosecutor's Office"
    region = by(tables["coverage"]["region"], "region")
    # p4 has no region on the profile: S2 was held in Dashoguz
    assert {code: row["participants"] for code, row in region.items()} == {"TM-B": 4, "TM-D": 2}
    gender = by(tables["coverage"]["gender"], "gender")
    assert (gender["female"]["participants"], gender["male"]["participants"]) == (3, 3)
    months = tables["over_time"]
    # March has only the cancelled session: shown, empty
    assert list(months["period"]) == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert list(months["participants"]) == [3, 2, 0, 2] and list(months["sessions"]) == [1, 1, 0, 1]
    with translation.override("en"):
        quarters = tables_for(manager, interval="quarter")["over_time"]
    assert list(quarters["period"]) == ["2026 Q1", "2026 Q2"]
    assert list(quarters["participants"]) == [4, 2]  # p3 sat two sessions of Q1: once


def test_trainers_and_sessions_tables(world, manager):
    tables = tables_for(manager)
    t1, t2, t3, t4 = world["trainers"]
    trainers = by(tables["trainers"], "trainer_id")
    assert set(trainers) == {t1.pk, t2.pk, t3.pk}  # the candidate is no trainer
    assert (trainers[t1.pk]["sessions"], trainers[t1.pk]["participants"], trainers[t1.pk]["cohort"]) == (1, 3, "tot-2025")
    assert trainers[t1.pk]["agency"] == "GPO" and trainers[t1.pk]["trainer"] == "T1"
    assert trainers[t1.pk]["mean_normalised_gain"] == pytest.approx((2 / 3 + 1) / 2)
    assert trainers[t3.pk]["mean_normalised_gain"] == pytest.approx(0.5)
    assert pd.isna(trainers[t2.pk]["mean_normalised_gain"])
    sessions = by(tables["sessions"], "title")
    assert set(sessions) == {"S1", "S2", "S3"}
    s1 = sessions["S1"]
    assert (s1["first_day"], s1["last_day"], s1["agency"], s1["region"], s1["cohort"]) == (
        date(2026, 1, 12), date(2026, 1, 13), "GPO", "TM-B", "tot-2025")
    assert (s1["participants"], s1["women"], s1["men"], s1["hours"], s1["pairs"]) == (3, 2, 1, 8.0, 2)
    assert s1["mean_normalised_gain"] == pytest.approx((2 / 3 + 1) / 2)


def test_the_participants_gain_is_the_cascade_apps(world, manager):
    """The same pairs as ``lms.cascade.delivery.session_gains``, the rule the certification uses."""
    sessions = [s for s in world["sessions"] if s.state in ("delivered", "reported")]
    expected = {pk: [round(v, 9) for v in sorted(values)] for pk, values in delivery.session_gains(sessions).items()}
    gains = reach_frames(user=manager, today=TODAY).participant_gains
    found = {pk: [round(v, 9) for v in sorted(group["normalised_gain"])] for pk, group in gains.groupby("session_id")}
    assert found == expected and set(found) == {world["sessions"][0].pk, world["sessions"][2].pk}


def test_filters_narrow_trainers_sessions_and_participants(world, manager):
    c1 = tables_for(manager, cohort="tot-2025")
    assert list(c1["cohorts"]["cohort"]) == ["tot-2025"]
    assert set(c1["sessions"]["title"]) == {"S1", "S3"}
    assert c1["totals"]["trainers_certified"] == 2
    women = tables_for(manager, gender="female")
    assert women["totals"]["participants"] == 3 and women["totals"]["sessions"] == 3
    assert set(by(women["sessions"], "title")["S1"].items()) >= {("participants", 2), ("men", 0)}
    later = tables_for(manager, date_from=date(2026, 2, 1), date_to=date(2026, 4, 30))
    assert set(later["sessions"]["title"]) == {"S2", "S3"}
    dashoguz = tables_for(manager, region="TM-D")
    assert set(dashoguz["sessions"]["title"]) == {"S2"}
    mia = tables_for(manager, agency="MIA")
    assert set(mia["sessions"]["title"]) == {"S3"}
    assert mia["totals"]["trainers_certified"] == 1  # t3


# --- scoping ----------------------------------------------------------------------------------------------


def test_a_coordinator_sees_their_agency_only(world, coordinator_a):
    for filters in ({}, {"agency": "MIA"}):
        tables = tables_for(coordinator_a, **filters)
        assert set(tables["sessions"]["title"]) == {"S1", "S2"}
        assert set(tables["sessions"]["agency"]) == {"GPO"}
        assert tables["totals"]["participants"] == 4
        assert tables["totals"]["trainers_certified"] == 2  # t1 and t2, not MIA's t3
        assert set(tables["coverage"]["agency"]["agency"]) == {"GPO"}
        assert world["trainers"][2].pk not in set(tables["trainers"]["trainer_id"])
        c1 = by(tables["cohorts"], "cohort")["tot-2025"]
        assert (c1["trainers_certified"], c1["participants"], c1["multiplier"]) == (1, 3, 3.0)
        assert c1["tot_n"] == 1  # t1's own tests only


def test_anyone_else_has_no_reach(world, client, agency_a):
    trainer = world["trainers"][0]
    with pytest.raises(ReachNotAllowed):
        reach_summary(user=trainer, filters={})
    client.force_login(trainer)
    assert client.get(reverse("reports:reach")).status_code == 403
    client.force_login(person(username="trainee-x", roles=[Role.TRAINEE], agency=agency_a))
    assert client.get(reverse("reports:reach")).status_code == 403


# --- the page and its downloads -----------------------------------------------------------------------------


def test_the_page_shows_figures_and_charts(world, client, manager):
    client.force_login(manager)
    with translation.override("en"):
        response = client.get(reverse("reports:reach"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="chart"') == 4  # multiplier per cohort, by agency, by region, over time
    assert response.context["totals"]["participants"] == 6
    assert 'data-session="%d"' % world["sessions"][0].pk in html
    assert 'data-session="%d"' % world["sessions"][3].pk not in html  # cancelled
    assert "Reach of the cascade" in html


def test_a_coordinators_page_and_downloads_hold_no_other_agency(world, client, coordinator_a):
    s3 = world["sessions"][2]
    client.force_login(coordinator_a)
    page = client.get(reverse("reports:reach"), {"agency": "MIA"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-session="%d"' % s3.pk not in html
    assert 'name="agency"' not in html  # no agency filter offered
    text = client.get(reverse("reports:reach"), {"agency": "MIA", "download": "csv"}).getvalue().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {row["Cascade session"] for row in rows} == {"S1", "S2"} and {row["Agency code"] for row in rows} == {"GPO"}
    assert {row["Agency"] for row in rows} == {"General Prosecutor's Office"}
    workbook = openpyxl.load_workbook(io.BytesIO(
        client.get(reverse("reports:reach"), {"agency": "MIA", "download": "xlsx"}).content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert "MIA" not in row and "S3" not in row and "Ministry of Internal Affairs" not in row


def test_the_csv_is_one_row_per_session_to_pivot(world, client, manager):
    client.force_login(manager)
    response = client.get(reverse("reports:reach"), {"download": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = {row["Cascade session"]: row for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    assert set(rows) == {"S1", "S2", "S3"}
    s1 = rows["S1"]
    assert (s1["First day"], s1["Agency code"], s1["Region code"], s1["Trainer"], s1["ToT cohort code"]) == (
        "2026-01-12", "GPO", "TM-B", "T1", "tot-2025")
    assert (s1["Agency"], s1["Region"]) == ("General Prosecutor's Office", "Balkan region")
    assert (s1["People reached"], s1["Women"], s1["Men"]) == ("3", "2", "1")
    assert float(s1["Mean normalised gain"]) == pytest.approx(round(5 / 6, 2))


def test_the_workbook_has_a_sheet_per_table_and_real_cells(world, client, manager):
    client.force_login(manager)
    response = client.get(reverse("reports:reach"), {"download": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Read me"
    assert {"By ToT cohort", "Knowledge gain", "By agency", "By region", "By gender", "Over time", "Trainers",
            "Sessions"} <= set(workbook.sheetnames)
    readme = [row[2] for row in workbook["Read me"].iter_rows(values_only=True) if len(row) > 2 and row[2]]
    assert any("divided by trainers certified" in text for text in readme)
    sessions = workbook["Sessions"]
    header = [cell.value for cell in sessions[1]]
    first = {name: cell for name, cell in zip(header, sessions[2])}
    assert first["First day"].is_date and first["First day"].value.date() == date(2026, 1, 12)
    assert isinstance(first["People reached"].value, int) and first["People reached"].value == 3
    cohorts = workbook["By ToT cohort"]
    header = [cell.value for cell in cohorts[1]]
    assert dict(zip(header, [cell.value for cell in cohorts[2]]))["People reached per certified trainer"] == pytest.approx(2.5)


def test_a_bad_period_is_refused_with_a_message(world, client, manager):
    client.force_login(manager)
    with translation.override("en"):
        response = client.get(reverse("reports:reach"), {"date_from": "2026-05-01", "date_to": "2026-01-01"})
        assert str(PERIOD_ORDER) in response.content.decode()
        # the period is not applied: everything is shown
        assert response.context["totals"]["sessions"] == 3
        bad = client.get(reverse("reports:reach"), {"date_from": "yesterday"})
    assert bad.status_code == 200 and bad.context["errors"]


def test_the_summary_is_plain_json(world, manager, coordinator_a):
    import json

    summary = reach_summary(user=manager, filters={"cohort": "tot-2025"})
    assert json.loads(json.dumps(summary)) == summary
    assert summary["scope"] == "national" and summary["filters"] == {"cohort": "tot-2025", "interval": "month"}
    assert summary["totals"]["trainers_certified"] == 2
    assert [row["cohort"] for row in summary["cohorts"]] == ["tot-2025"]
    assert {row["title"] for row in summary["sessions"]} == {"S1", "S3"}
    agency = reach_summary(user=coordinator_a, filters=ReachFilters(agency="MIA"))
    assert agency["scope"] == "agency" and agency["agency"] == "GPO"
    assert {row["agency"] for row in agency["sessions"]} == {"GPO"}
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        reach_summary(user=manager, filters={"date_from": "not a date"})


def test_the_query_count_does_not_grow(world, client, manager, django_assert_num_queries):
    client.force_login(manager)
    client.get(reverse("reports:reach"))  # warm: the site's root paths are cached after one page
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("reports:reach"))
    count = len(queries)
    t1 = world["trainers"][0]
    people = world["people"]
    for number in range(8):
        day = date(2026, 5, 1) + timedelta(days=number * 2)
        extra = [who(f"extra{number}", t1.profile.agency)]
        session(t1, t1.profile.agency, world["regions"][0], [(day, 12)], [*extra, people["p1"]], title=f"X{number}")
    with django_assert_num_queries(count):
        response = client.get(reverse("reports:reach"))
    assert response.context["totals"]["sessions"] == 11


def test_the_dashboard_links_the_report(world, client, manager):
    client.force_login(manager)
    html = client.get(reverse("dashboard")).content.decode()
    assert reverse("reports:reach") in html


# --- pure maths (no database) ---------------------------------------------------------------------------


def _sessions(rows):
    frame = pd.DataFrame(rows)
    frame["starts_at"] = pd.to_datetime(frame["starts_at"], utc=True)
    frame["ends_at"] = pd.to_datetime(frame["ends_at"], utc=True)
    return frame


def test_a_session_belongs_to_the_cohort_of_its_course_else_the_latest():
    sessions = pd.DataFrame({"session_id": [1, 2, 3], "lead_trainer_id": [10, 10, 11], "course_key": ["a", "b", "a"]})
    certifications = pd.DataFrame({
        "user_id": [10, 10, 11], "cohort_id": [5, 6, 0], "course_key": ["a", "c", "a"],
        "status": ["certified", "certified", "certified"],
        "certified_on": [date(2024, 1, 1), date(2025, 1, 1), date(2025, 1, 1)],
        "valid_until": [date(2026, 1, 1)] * 3,
    })
    cohorts = lineage.session_cohorts(sessions, certifications)
    # session 1: the programme of course "a" (cohort 5) though cohort 6 is newer; session 2: no match, newest;
    # session 3: a certification without a cohort
    assert cohorts.to_dict() == {1: 5, 2: 6, 3: lineage.NO_COHORT}


def test_multiplier_and_coverage_count_people_once():
    assert list(lineage.multiplier([6, 3], [3, 0])[:1]) == [2.0] and pd.isna(lineage.multiplier([6, 3], [3, 0])[1])
    participation = pd.DataFrame({
        "session_id": [1, 1, 2], "user_id": [7, 8, 7], "gender": ["female", "", "female"],
        "agency": ["GPO", "GPO", "GPO"], "region": ["TM-B", "TM-B", "TM-D"],
    })
    agency = lineage.coverage(participation, by="agency").iloc[0]
    assert (agency["participants"], agency["women"], agency["gender_not_recorded"], agency["sessions"]) == (2, 1, 1, 2)
    region = lineage.coverage(participation, by="region").set_index("region")["participants"].to_dict()
    assert region == {"TM-B": 2, "TM-D": 1}


def test_an_attempt_in_two_windows_goes_to_the_right_session():
    sessions = _sessions({
        "session_id": [1, 2], "pre_test_id": [100, 100], "post_test_id": [200, 200],
        "starts_at": ["2026-01-01 09:00", "2026-01-10 09:00"], "ends_at": ["2026-01-02 13:00", "2026-01-11 13:00"],
    })
    participants = pd.DataFrame({"session_id": [1, 2], "user_id": [9, 9]})
    attempts = pd.DataFrame({
        "attempt_id": [1, 2, 3], "learner_id": [9, 9, 9], "assessment_id": [100, 200, 200],
        "submitted_at": pd.to_datetime(["2025-12-31", "2026-01-05", "2026-01-12"], utc=True),
    })
    memberships = lineage.attempt_sessions(attempts, sessions, participants,
                                           pre_window=timedelta(days=14), post_window=timedelta(days=30))
    # the pre-test fits both (taken before both); the last post-test fits both too
    assert set(map(tuple, memberships[["attempt_id", "session_id"]].to_numpy())) == {(1, 1), (1, 2), (2, 1), (3, 1), (3, 2)}
    chosen = lineage.attempt_session(memberships, sessions).to_dict()
    assert chosen == {1: 1, 2: 1, 3: 2}


def test_over_time_fills_empty_periods_and_rejects_unknown_intervals():
    sessions = pd.DataFrame({"session_id": [1, 2], "first_day": [date(2026, 1, 5), date(2026, 3, 9)], "hours": [4.0, 2.0]})
    participation = pd.DataFrame({"session_id": [1, 2, 2], "user_id": [1, 1, 2]})
    table = lineage.over_time(sessions, participation, interval="month")
    assert list(table["period"]) == ["2026-01", "2026-02", "2026-03"]
    assert list(table["participants"]) == [1, 0, 2] and list(table["hours"]) == [4.0, 0.0, 2.0]
    with pytest.raises(ValueError):
        lineage.over_time(sessions, participation, interval="week")


def test_empty_frames_give_empty_tables():
    empty_sessions = pd.DataFrame(columns=lineage.SESSION_COLUMNS + ["cohort_id"])
    empty_participation = pd.DataFrame(columns=["session_id", "user_id", "gender", "agency", "region",
                                                "cohort_id", "lead_trainer_id"])
    certifications = pd.DataFrame(columns=lineage.CERTIFICATION_COLUMNS)
    assert lineage.cohort_table(empty_sessions, empty_participation, certifications, today=TODAY).empty
    assert lineage.coverage(empty_participation, by="agency").empty
    assert lineage.over_time(empty_sessions, empty_participation).empty
    totals = lineage.totals(empty_sessions, empty_participation, certifications, today=TODAY)
    assert totals["participants"] == 0 and totals["multiplier"] is None


def test_downloads_write_names_that_look_like_formulas_as_text(world, client, manager):
    from tests.spreadsheet_checks import ATTACK, NEUTRALISED, all_values, csv_rows, workbook_without_formulas

    s1 = world["sessions"][0]
    CascadeSession.objects.filter(pk=s1.pk).update(title=ATTACK)
    ToTCohort.objects.filter(pk=world["cohorts"][0].pk).update(title=ATTACK)
    type(s1.lead_trainer).objects.filter(pk=s1.lead_trainer_id).update(first_name=ATTACK)
    client.force_login(manager)
    table = csv_rows(client.get(reverse("reports:reach"), {"download": "csv"}).getvalue())
    header, rows = table[0], [dict(zip(table[0], row)) for row in table[1:]]
    attacked = next(row for row in rows if row["Cascade session"].startswith("'"))
    assert attacked["Cascade session"] == NEUTRALISED and attacked["People reached"] == "3"
    assert ATTACK not in [value for row in table for value in row]
    workbook = workbook_without_formulas(client.get(reverse("reports:reach"), {"download": "xlsx"}).content)
    values = all_values(workbook)
    assert NEUTRALISED in values and ATTACK not in values
    assert not [v for v in values if isinstance(v, str) and v.startswith(("=", "+", "-", "@"))]
    assert "People reached" in header


def test_the_session_list_comes_a_page_at_a_time(world, client, manager, monkeypatch):
    import importlib

    monkeypatch.setattr(importlib.import_module("lms.reports.views.reach"), "SESSIONS_PER_PAGE", 2)
    client.force_login(manager)
    first = client.get(reverse("reports:reach"), {"interval": "quarter"})
    second = client.get(reverse("reports:reach"), {"interval": "quarter", "page": 2})
    assert len(first.context["sessions"]) == 2 and len(second.context["sessions"]) == 1
    shown = {row["session_id"] for row in first.context["sessions"] + second.context["sessions"]}
    assert len(shown) == first.context["totals"]["sessions"] == 3
    assert first.context["totals"] == second.context["totals"]  # the figures count every session
    html = first.content.decode()
    assert "interval=quarter&amp;page=2#sessions" in html
    assert "download=csv" in html and "page=2&amp;download" not in second.content.decode()
    assert len(client.get(reverse("reports:reach"), {"page": "x"}).context["sessions"]) == 2  # a bad page: the first
