"""On-the-job training: the rules of plans and records, scoping per agency, the plan-against-actual figures
on a hand-computed dataset, the pages, the exports and the demo seed."""

import csv
import io
import json
import uuid
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lms.cascade.models import Attendance, SessionParticipant
from lms.ojt import exceptions as errors
from lms.ojt import progress, selectors, services
from lms.ojt.models import OJTRecord, TrainingPlan
from lms.ojt.progress import AttendedRow, OJTRow, SessionDayRow, Targets
from lms.people.roles import Role
from tests.ojt.conftest import TODAY
from tests.factories import CascadeSessionFactory, TrainingUnitFactory, person

pytestmark = pytest.mark.django_db

# a year that is over: every date of it is in the past whatever the day of the run
YEAR = TODAY.year - 1


def url(name, *args):
    return reverse(f"ojt:{name}", args=args)


@pytest.fixture
def unit_a(agency_a):
    return TrainingUnitFactory(agency=agency_a, code="dashoguz", name_en="Training unit, Dashoguz region")


@pytest.fixture
def unit_b(agency_b):
    return TrainingUnitFactory(agency=agency_b, code="lebap")


@pytest.fixture
def staff_a(agency_a, unit_a):
    user = person(username="gpo.charyyewa", agency=agency_a, first_name="Sona", last_name="Çaryýewa",
                  email="sona@example.org")
    user.profile.unit = unit_a
    user.profile.save()
    return user


@pytest.fixture
def staff_b(agency_b):
    return person(username="mia.hallyyew", agency=agency_b)


def plan(actor, agency, **overrides):
    values = {"year": YEAR, "target_sessions": 4, "target_staff": 6, "target_hours": 30, "modules": [1, 2]}
    values.update(overrides)
    return services.plan_save(actor=actor, agency=agency, **values)


def record(actor, agency, staff, **overrides):
    values = {"topic": "Victim-sensitive interviewing", "date": date(YEAR, 3, 20), "hours": "2.5",
              "instructor": "Aýgül Orazowa", "module": 2}
    values.update(overrides)
    return services.record_create(actor=actor, agency=agency, staff=staff, **values)


# --- plans -----------------------------------------------------------------------------------------------


def test_a_coordinator_makes_and_changes_the_plan_of_their_agency(curriculum, coordinator_a, agency_a, unit_a):
    whole = plan(coordinator_a, agency_a, notes="  Monthly case reviews.  ")
    assert (whole.agency, whole.unit, whole.year, whole.modules, whole.notes) == (
        agency_a, None, YEAR, [1, 2], "Monthly case reviews."
    )
    unit_plan = plan(coordinator_a, agency_a, unit=unit_a, modules=[2, 2])
    assert unit_plan.modules == [2] and TrainingPlan.objects.count() == 2
    changed = services.plan_save(actor=coordinator_a, plan=whole, agency=agency_a, year=YEAR, target_sessions=9,
                                 target_staff=0, target_hours=0, modules=[])
    assert TrainingPlan.objects.get(pk=whole.pk).target_sessions == 9 and changed.modules == []


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"year": 1999}, "The year must be between 2000 and"),
        ({"year": TODAY.year + 6}, "The year must be between 2000 and"),
        ({"target_staff": -1}, str(errors.PLAN_TARGET_NEGATIVE)),
        ({"target_hours": "many"}, str(errors.PLAN_TARGET_NEGATIVE)),
        ({"modules": [2, 3, 9]}, "Module(s) 3, 9 are not modules of the national course."),
    ],
)
def test_a_bad_plan_is_refused_with_its_reason(curriculum, coordinator_a, agency_a, overrides, message):
    with pytest.raises(errors.OJTRefused) as refused:
        plan(coordinator_a, agency_a, **overrides)
    assert message in str(refused.value.message)
    assert not TrainingPlan.objects.exists()


def test_one_plan_per_agency_year_and_unit_and_units_of_the_agency_only(
    curriculum, coordinator_a, agency_a, unit_a, unit_b
):
    first = plan(coordinator_a, agency_a)
    with pytest.raises(errors.OJTRefused) as refused:
        plan(coordinator_a, agency_a)
    assert "already has a plan for" in str(refused.value.message)
    with pytest.raises(errors.OJTRefused) as refused:
        plan(coordinator_a, agency_a, unit=unit_b)
    assert str(refused.value.message) == str(errors.PLAN_UNIT_OF_OTHER_AGENCY)
    unit_plan = plan(coordinator_a, agency_a, unit=unit_a)
    # changing the unit plan into a second whole-agency plan is refused too
    with pytest.raises(errors.OJTRefused):
        services.plan_save(actor=coordinator_a, plan=unit_plan, agency=agency_a, year=YEAR, unit=None)
    assert set(TrainingPlan.objects.values_list("pk", flat=True)) == {first.pk, unit_plan.pk}


def test_only_who_keeps_the_agency_writes_its_plan(curriculum, coordinator_b, manager, agency_a, unit_a):
    trainer = person(username="trainer.a", roles=[Role.TRAINER], agency=agency_a)
    for actor in (coordinator_b, trainer):
        with pytest.raises(errors.NotPermitted):
            plan(actor, agency_a)
    assert plan(manager, agency_a).agency == agency_a


# --- records ---------------------------------------------------------------------------------------------


def test_a_record_takes_the_staff_members_unit_when_none_is_given(curriculum, coordinator_a, agency_a, staff_a):
    saved = record(coordinator_a, agency_a, staff_a)
    assert (saved.unit, saved.hours, saved.source, saved.created_by) == (
        staff_a.profile.unit, Decimal("2.50"), "entered", coordinator_a
    )
    services.record_update(actor=coordinator_a, record=saved, staff=staff_a, topic="Interpreters", date=saved.date,
                           hours=1, instructor="Mentor", module=None)
    saved.refresh_from_db()
    assert (saved.topic, saved.hours, saved.module) == ("Interpreters", Decimal("1.00"), None)
    services.record_delete(actor=coordinator_a, record=saved)
    assert not OJTRecord.objects.exists()


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"hours": "0"}, str(errors.OJT_HOURS)),
        ({"hours": "24.25"}, str(errors.OJT_HOURS)),
        ({"hours": "-2"}, str(errors.OJT_HOURS)),
        ({"hours": "two"}, str(errors.OJT_HOURS)),
        ({"date": TODAY + timedelta(days=1)}, str(errors.OJT_FUTURE_DATE)),
        ({"topic": "   "}, str(errors.OJT_TOPIC_REQUIRED)),
        ({"instructor": ""}, str(errors.OJT_INSTRUCTOR_REQUIRED)),
        ({"module": 5}, "Module 5 is not a module of the national course."),
    ],
)
def test_a_bad_record_is_refused_with_its_reason(curriculum, coordinator_a, agency_a, staff_a, overrides, message):
    with pytest.raises(errors.OJTRefused) as refused:
        record(coordinator_a, agency_a, staff_a, **overrides)
    assert str(refused.value.message) == message
    assert not OJTRecord.objects.exists()


def test_a_record_is_for_staff_and_units_of_the_agency(
    curriculum, coordinator_a, agency_a, staff_a, staff_b, unit_b
):
    with pytest.raises(errors.OJTRefused) as refused:
        record(coordinator_a, agency_a, staff_b)
    assert "is not on the staff of General Prosecutor's Office" in str(refused.value.message)
    no_profile = person(username="no.profile", agency=None)
    no_profile.profile.delete()
    with pytest.raises(errors.OJTRefused):
        record(coordinator_a, agency_a, no_profile)
    with pytest.raises(errors.OJTRefused) as refused:
        record(coordinator_a, agency_a, staff_a, unit=unit_b)
    assert str(refused.value.message) == str(errors.PLAN_UNIT_OF_OTHER_AGENCY)
    with pytest.raises(errors.NotPermitted):
        record(staff_a, agency_a, staff_a)  # a trainee keeps no records
    assert not OJTRecord.objects.exists()


# --- scoping ---------------------------------------------------------------------------------------------


def test_selectors_scope_plans_and_records_by_agency(
    curriculum, coordinator_a, coordinator_b, manager, agency_a, agency_b, staff_a, staff_b
):
    plan_a, plan_b = plan(coordinator_a, agency_a), plan(coordinator_b, agency_b)
    record_a, record_b = record(coordinator_a, agency_a, staff_a), record(coordinator_b, agency_b, staff_b)
    assert list(selectors.plan_list(user=coordinator_a)) == [plan_a]
    assert list(selectors.record_list(user=coordinator_b)) == [record_b]
    assert set(selectors.record_list(user=manager)) == {record_a, record_b}
    assert not selectors.record_list(user=staff_a).exists()
    with pytest.raises(OJTRecord.DoesNotExist):
        selectors.record_get(user=coordinator_b, pk=record_a.pk)
    with pytest.raises(TrainingPlan.DoesNotExist):
        selectors.plan_get(user=coordinator_a, pk=plan_b.pk)


def test_another_agencys_plans_and_records_are_not_found_even_by_id(
    client, curriculum, coordinator_a, coordinator_b, agency_a, staff_a
):
    plan_a = plan(coordinator_a, agency_a)
    record_a = record(coordinator_a, agency_a, staff_a)
    client.force_login(coordinator_b)
    for path in (url("ojt_plan_edit", plan_a.pk), url("ojt_record_edit", record_a.pk), url("ojt_record_delete", record_a.pk)):
        assert client.get(path).status_code == 404
        assert client.post(path, {"year": YEAR, "target_sessions": 99, "topic": "x"}).status_code == 404
    assert TrainingPlan.objects.get().target_sessions == 4 and OJTRecord.objects.get().topic == record_a.topic
    listed = client.get(url("ojt_records"))
    assert list(listed.context["page"].object_list) == []
    assert b"Victim-sensitive" not in client.get(url("ojt_records_export", "csv")).content
    # asking for agency A's dashboard shows B's own
    dashboard = client.get(url("ojt_dashboard"), {"agency": agency_a.pk})
    assert dashboard.context["agency"] == coordinator_b.profile.agency
    # a new record for a person of A cannot be written by B (not among the choices)
    response = client.post(url("ojt_record_create"), {
        "staff": staff_a.profile.pk, "date": str(date(YEAR, 3, 1)), "hours": "2", "topic": "x", "instructor": "y",
    })
    assert response.status_code == 400 and OJTRecord.objects.count() == 1


def test_people_who_keep_no_agency_get_403(client, curriculum, agency_a, staff_a):
    trainer = person(username="trainer.a", roles=[Role.TRAINER], agency=agency_a)
    for user in (staff_a, trainer):
        client.force_login(user)
        for name in ("ojt_dashboard", "ojt_records", "ojt_record_create", "ojt_plan_create", "ojt_import",
                     "ojt_import_template"):
            assert client.get(url(name)).status_code == 403, name
        assert client.get(url("ojt_records_export", "xlsx")).status_code == 403


# --- progress --------------------------------------------------------------------------------------------


def test_progress_compute_on_plain_rows():
    """Pure: two sessions, one of them on two days, attendance and OJT rows, with a row of another year."""
    days = [
        SessionDayRow(1, date(2025, 3, 10), time(9), time(13), (1,)),
        SessionDayRow(1, date(2025, 3, 11), time(9), time(12, 30), (1,)),
        SessionDayRow(2, date(2025, 5, 5), time(10), time(12), (2, 4)),
        SessionDayRow(3, date(2024, 12, 30), time(10), time(12), (1,)),
    ]
    attended = [
        AttendedRow(1, 10, date(2025, 3, 10), time(9), time(13)),
        AttendedRow(1, 11, date(2025, 3, 10), time(9), time(13)),
        AttendedRow(1, 10, date(2025, 3, 11), time(9), time(12, 30)),
        AttendedRow(2, 10, date(2025, 5, 5), time(10), time(12)),
        AttendedRow(3, 12, date(2024, 12, 30), time(10), time(12)),
    ]
    ojt = [OJTRow(13, date(2025, 3, 20), Decimal("2.5"), 2), OJTRow(10, date(2025, 6, 1), Decimal("1.5"), None)]
    result = progress.progress_compute(year=2025, days=days, attended=attended, ojt=ojt,
                                       targets=Targets(sessions=4, staff=6, hours=30, modules=(1, 2, 3)))
    assert (result.sessions.actual, result.staff.actual, result.hours.actual) == (2, 3, Decimal("17.5"))
    assert (result.sessions.percent, result.staff.percent, result.hours.percent) == (50, 50, 58)
    assert (result.session_hours, result.ojt_hours) == (Decimal("13.5"), Decimal("4.0"))
    march, may, june = result.months[2], result.months[4], result.months[5]
    assert (march.sessions, march.session_hours, march.ojt_hours, march.people) == (1, Decimal("11.5"), Decimal("2.5"), 3)
    assert (may.sessions, may.hours, june.hours, june.people) == (1, Decimal(2), Decimal("1.5"), 1)
    assert [(t.module, t.planned, t.sessions, t.records, t.covered) for t in result.topics] == [
        (1, True, 1, 0, True), (2, True, 1, 1, True), (3, True, 0, 0, False), (4, False, 1, 0, True)
    ]
    assert (result.planned_covered, result.planned_topics) == (2, 3)
    no_plan = progress.progress_compute(year=2025, days=[], attended=[], ojt=[], targets=None)
    assert no_plan.hours.percent is None and no_plan.hours.bar == 0 and no_plan.topics == []
    columns, top = progress.month_columns(result.months, height=160)
    assert top == Decimal(14) and columns[2]["session_height"] + columns[2]["ojt_height"] == 160


def _session(lead, agency, *, state, days, modules=(1,), unit=None):
    session = CascadeSessionFactory(
        title=f"Session {uuid.uuid4().hex[:6]}", modules=list(modules), lead_trainer=lead, agency=agency, unit=unit,
        language="tk", venue="Daşoguz", state=state, schedule=days,
    )
    return session, list(session.days.order_by("date"))


def _attend(session, day, user, status="present", place_status="enrolled"):
    place, _created = SessionParticipant.objects.get_or_create(session=session, user=user,
                                                                defaults={"status": place_status})
    Attendance.objects.create(participant=place, day=day, status=status)


@pytest.fixture
def dataset(curriculum, coordinator_a, coordinator_b, agency_a, agency_b, unit_a, staff_b):
    """Sessions and OJT records of agency A (and B) whose figures are computed by hand in the tests."""
    people = {n: person(username=f"p{n}", agency=agency_a) for n in range(1, 8)}
    people[6].profile.unit = unit_a
    people[6].profile.save()
    lead = person(username="lead", roles=[Role.TRAINER], agency=agency_a)
    # S1 delivered, unit A, module 1: 4 h and 3.5 h
    s1, (d1, d2) = _session(lead, agency_a, state="delivered", unit=unit_a, modules=[1], days=[
        (date(YEAR, 3, 10), time(9), time(13)), (date(YEAR, 3, 11), time(9), time(12, 30))])
    _attend(s1, d1, people[1])
    _attend(s1, d2, people[1], "late")
    _attend(s1, d1, people[2])
    _attend(s1, d2, people[2], "absent")
    _attend(s1, d1, people[3], "excused")
    _attend(s1, d1, people[4], place_status="waitlisted")  # not enrolled: does not count
    # S2 cancelled: nothing of it counts
    s2, (d3,) = _session(lead, agency_a, state="cancelled", modules=[2], days=[(date(YEAR, 4, 1), time(9), time(13))])
    _attend(s2, d3, people[5])
    # S3 reported, no unit, module 2: 2 h
    s3, (d4,) = _session(lead, agency_a, state="reported", modules=[2], days=[(date(YEAR, 5, 5), time(10), time(12))])
    _attend(s3, d4, people[1], "late")
    # S4 approved (not delivered), S5 delivered the year before, S6 of agency B: none counts
    s4, (d5,) = _session(lead, agency_a, state="approved", days=[(date(YEAR, 6, 1), time(9), time(13))])
    _attend(s4, d5, people[5])
    s5, (d6,) = _session(lead, agency_a, state="delivered", days=[(date(YEAR - 1, 12, 30), time(9), time(13))])
    _attend(s5, d6, people[5])
    s6, (d7,) = _session(lead, agency_b, state="delivered", days=[(date(YEAR, 3, 10), time(9), time(13))])
    _attend(s6, d7, staff_b)
    # OJT: p6 (unit A) 2.5 h module 2 in March; p1 1.5 h in June; p7 the year before; one of agency B
    record(coordinator_a, agency_a, people[6], date=date(YEAR, 3, 20), hours="2.5", module=2)
    record(coordinator_a, agency_a, people[1], date=date(YEAR, 6, 1), hours="1.5", module=None)
    record(coordinator_a, agency_a, people[7], date=date(YEAR - 1, 12, 31), hours="3")
    record(coordinator_b, agency_b, staff_b, date=date(YEAR, 3, 20), hours="8")
    return {"people": people, "plan": plan(coordinator_a, agency_a)}


def test_progress_of_the_agency_counts_delivered_sessions_and_ojt_by_hand(dataset, agency_a):
    figures = progress.progress_get(agency=agency_a, year=YEAR, plan=dataset["plan"])
    # sessions S1 and S3; people p1, p2 (attended) and p6 (OJT); 4·2 + 3.5 + 2 + 2.5 + 1.5 person-hours
    assert (figures.sessions.actual, figures.staff.actual, figures.hours.actual) == (2, 3, Decimal("17.5"))
    assert (figures.sessions.percent, figures.staff.percent, figures.hours.percent) == (50, 50, 58)
    assert figures.months[2].sessions == 1 and figures.months[3].sessions == 0  # April's cancelled one is not there
    assert [(t.module, t.sessions, t.records) for t in figures.topics] == [(1, 1, 0), (2, 1, 1)]


def test_progress_of_a_unit(dataset, agency_a, unit_a):
    figures = progress.progress_get(agency=agency_a, year=YEAR, unit=unit_a)
    # S1 only, and p6's record (it took p6's unit)
    assert (figures.sessions.actual, figures.staff.actual, figures.hours.actual) == (1, 3, Decimal("14.0"))
    assert figures.sessions.target is None


def test_the_dashboard_shows_plan_against_actual(client, dataset, coordinator_a, agency_a):
    client.force_login(coordinator_a)
    response = client.get(url("ojt_dashboard"), {"year": YEAR})
    assert response.status_code == 200
    assert response.context["plan"] == dataset["plan"]
    figures = response.context["progress"]
    assert (figures.sessions.actual, figures.staff.actual, figures.hours.actual) == (2, 3, Decimal("17.5"))
    html = response.content.decode()
    assert "<svg" in html and 'data-measure="hours"' in html and "17.5 / 30" in html
    assert 'data-module="1"' in html and "English module 1" in html


def _dashboard_queries(client, path) -> int:
    # a first visit fills the caches (course navigation, permissions) that adding people empties
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_dashboard_takes_as_many_queries_for_ten_rows_as_for_two(
    client, curriculum, coordinator_a, agency_a, unit_a
):
    lead = person(username="lead", roles=[Role.TRAINER], agency=agency_a)
    plan(coordinator_a, agency_a)

    def add(number):
        staff = person(username=f"staff{number}", agency=agency_a)
        record(coordinator_a, agency_a, staff, date=date(YEAR, 1 + number % 12, 5))
        session, (day,) = _session(lead, agency_a, state="delivered", unit=unit_a,
                                   days=[(date(YEAR, 1 + number % 12, 7), time(9), time(12))])
        _attend(session, day, staff)

    for number in range(2):
        add(number)
    client.force_login(coordinator_a)
    path = f"{url('ojt_dashboard')}?year={YEAR}"
    two = _dashboard_queries(client, path)
    for number in range(2, 10):
        add(number)
    ten = _dashboard_queries(client, path)
    assert two == ten
    assert client.get(path).context["progress"].sessions.actual == 10


# --- pages -----------------------------------------------------------------------------------------------


def test_the_plan_form_saves_and_shows_the_services_refusal(client, curriculum, coordinator_a, agency_a, unit_a):
    client.force_login(coordinator_a)
    page = client.get(url("ojt_plan_create"))
    assert page.status_code == 200
    assert page.context["form"].fields["modules"].choices == [("1", "1. English module 1"), ("2", "2. English module 2")]
    data = {"agency": agency_a.pk, "unit": unit_a.pk, "year": YEAR, "target_sessions": 3, "target_staff": 10,
            "target_hours": 40, "modules": ["1"], "notes": ""}
    response = client.post(url("ojt_plan_create"), data)
    assert response.status_code == 302
    saved = TrainingPlan.objects.get()
    assert (saved.unit, saved.target_hours, saved.modules) == (unit_a, 40, [1])
    again = client.post(url("ojt_plan_create"), data)
    assert again.status_code == 400
    assert any("already has a plan" in error for error in again.context["form"].non_field_errors())
    negative = client.post(url("ojt_plan_edit", saved.pk), {**data, "target_staff": -5})
    assert negative.status_code == 400 and str(errors.PLAN_TARGET_NEGATIVE) in negative.context["form"].non_field_errors()
    assert client.post(url("ojt_plan_edit", saved.pk), {**data, "target_staff": 12}).status_code == 302
    assert TrainingPlan.objects.get().target_staff == 12


def test_records_are_added_changed_and_deleted_on_the_web(client, curriculum, coordinator_a, agency_a, staff_a):
    client.force_login(coordinator_a)
    data = {"staff": staff_a.profile.pk, "date": str(date(YEAR, 2, 3)), "hours": "1.5", "topic": "MLA request",
            "module": "", "instructor": "Arslan Şamyradow", "evidence": "Register No. 31", "unit": ""}
    bad = client.post(url("ojt_record_create"), {**data, "hours": "30"})
    assert bad.status_code == 400 and str(errors.OJT_HOURS) in bad.context["form"].non_field_errors()
    assert client.post(url("ojt_record_create"), data).status_code == 302
    saved = OJTRecord.objects.get()
    assert (saved.staff, saved.module, saved.unit, saved.hours) == (staff_a, None, staff_a.profile.unit, Decimal("1.5"))
    assert client.get(url("ojt_record_edit", saved.pk)).context["form"]["staff"].value() == staff_a.profile.pk
    assert client.post(url("ojt_record_edit", saved.pk), {**data, "module": "2", "hours": "3"}).status_code == 302
    saved.refresh_from_db()
    assert (saved.module, saved.hours) == (2, Decimal("3.00"))
    assert client.get(url("ojt_record_delete", saved.pk)).status_code == 200
    assert client.post(url("ojt_record_delete", saved.pk)).status_code == 302
    assert not OJTRecord.objects.exists()


def test_the_records_list_filters_and_pages(client, curriculum, coordinator_a, agency_a, staff_a, unit_a):
    other = person(username="gpo.amanowa", agency=agency_a, first_name="Ogulbabek", last_name="Amanowa")
    record(coordinator_a, agency_a, staff_a, module=1, topic="Definitions")
    record(coordinator_a, agency_a, other, date=date(YEAR - 1, 5, 5), topic="Indicators")
    client.force_login(coordinator_a)

    def listed(**query):
        return [r.topic for r in client.get(url("ojt_records"), query).context["page"].object_list]

    assert listed() == ["Definitions", "Indicators"]
    assert listed(year=YEAR) == ["Definitions"]
    assert listed(unit=unit_a.pk) == ["Definitions"]
    assert listed(module=1) == ["Definitions"]
    assert listed(q="amanowa") == ["Indicators"]
    for number in range(55):
        record(coordinator_a, agency_a, staff_a, topic=f"Case review {number}")
    first = client.get(url("ojt_records"))
    assert len(first.context["page"].object_list) == 50 and first.context["page"].paginator.num_pages == 2


def test_exports_are_a_real_workbook_and_a_csv(client, curriculum, coordinator_a, agency_a, staff_a):
    record(coordinator_a, agency_a, staff_a, topic="Qualification under article 129-1", module=1, hours="2.25")
    record(coordinator_a, agency_a, staff_a, date=date(YEAR - 1, 1, 9), topic="Earlier year")
    client.force_login(coordinator_a)
    response = client.get(url("ojt_records_export", "xlsx"), {"year": YEAR})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Date", "Staff member", "Username") and len(rows) == 2
    assert sheet["A2"].is_date and sheet["A2"].value.date() == date(YEAR, 3, 20)
    assert rows[1][1:3] == ("Sona Çaryýewa", "gpo.charyyewa") and rows[1][5:8] == (
        "Qualification under article 129-1", 1, 2.25
    )
    text = client.get(url("ojt_records_export", "csv")).content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][0] == "Date" and len(table) == 3
    assert table[1][0] == date(YEAR, 3, 20).isoformat() and table[1][1] == "Sona Çaryýewa"
    assert client.get(url("ojt_records_export", "pdf")).status_code == 404


def test_coordinators_find_the_ojt_pages(client, curriculum, coordinator_a):
    client.force_login(coordinator_a)
    assert url("ojt_dashboard") in client.get(reverse("dashboard")).content.decode()
    assert url("ojt_dashboard") in client.get(reverse("cascade:session_list")).content.decode()


# --- seed ------------------------------------------------------------------------------------------------


def _seed_people():
    """The demo people and the GPO trainers of the ToT pool, as the demo seed makes them before this one."""
    from lms.people.seed import _person_save, demo_people_load, reference_data_load
    from lms.trainers.seed import DATA_FILE as TRAINERS_FILE

    reference_data_load()
    demo_people_load(password="seed-pass-1")
    for row in json.loads(TRAINERS_FILE.read_text(encoding="utf-8"))["people"]:
        if row["username"].startswith("tot.gpo."):
            _person_save(row, password=None)


def test_the_seed_is_idempotent_and_goes_through_the_rules(monkeypatch):
    from lms.ojt.seed import DATA_FILE, ojt_seed
    from lms.people.models import Agency

    # the demo curriculum has eight modules; the tests' small one two
    monkeypatch.setattr(selectors, "national_modules", lambda **kwargs: [(n, f"Module {n}") for n in range(1, 9)])
    _seed_people()
    today = timezone.localdate()
    assert ojt_seed(today=today) == (2, 40)
    snapshot = sorted(OJTRecord.objects.values_list("staff__username", "topic", "date", "hours"))
    assert ojt_seed(today=today) == (2, 40)
    assert sorted(OJTRecord.objects.values_list("staff__username", "topic", "date", "hours")) == snapshot
    gpo = Agency.objects.get(code="GPO")
    assert TrainingPlan.objects.filter(agency=gpo, year=today.year, unit__isnull=True).exists()
    assert TrainingPlan.objects.filter(agency=gpo, year=today.year, unit__code="dashoguz").exists()
    records = OJTRecord.objects.filter(agency=gpo)
    assert all(r.date <= today and r.date.year == today.year for r in records)
    assert records.values("unit__region").distinct().count() >= 5  # several velayats
    # an early-year run keeps the dates inside the year
    assert all(r["days_ago"] > 0 for r in json.loads(DATA_FILE.read_text(encoding="utf-8"))["records"])


def test_the_seed_writes_in_the_coordinators_language_and_puts_an_older_english_demo_right(monkeypatch):
    from lms.ojt.seed import DATA_FILE, ojt_seed

    monkeypatch.setattr(selectors, "national_modules", lambda **kwargs: [(n, f"Module {n}") for n in range(1, 9)])
    _seed_people()
    today = timezone.localdate()
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    ojt_seed(today=today)
    # the GPO coordinator keeps the plan and writes the records, in Turkmen
    assert sorted(OJTRecord.objects.values_list("topic", flat=True)) == sorted(row["topic"] for row in data["records"])
    assert not OJTRecord.objects.filter(topic__in=[row["topic_en"] for row in data["records"]]).exists()
    assert set(TrainingPlan.objects.values_list("notes", flat=True)) == {row["notes"] for row in data["plans"]}
    # a demo database seeded with the English texts has them replaced on the next run, and nothing is added
    first, plan = data["records"][0], data["plans"][0]
    record = OJTRecord.objects.get(staff__username=first["staff"], topic=first["topic"])
    OJTRecord.objects.filter(pk=record.pk).update(
        topic=first["topic_en"], instructor=first["instructor_en"], evidence=first["evidence_en"]
    )
    TrainingPlan.objects.filter(unit__isnull=True).update(notes=plan["notes_en"])
    assert ojt_seed(today=today) == (2, 40)
    record.refresh_from_db()
    assert (record.topic, record.instructor, record.evidence) == (first["topic"], first["instructor"], first["evidence"])
    assert TrainingPlan.objects.get(unit__isnull=True).notes == plan["notes"]


def test_the_seed_plans_name_modules_of_the_real_curriculum():
    from pathlib import Path

    from django.conf import settings

    from lms.ojt.seed import DATA_FILE

    folder = Path(settings.BASE_DIR) / "content" / "seed" / "curriculum" / "tot"
    numbers = {int(path.name[:2]) for path in folder.glob("0*.en.json")}
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert numbers and all(set(row["modules"]) <= numbers for row in data["plans"])
    assert {row["module"] for row in data["records"]} <= numbers


def test_exports_write_text_that_looks_like_a_formula_as_text(client, curriculum, coordinator_a, agency_a):
    from tests.spreadsheet_checks import ATTACK, NEUTRALISED, csv_rows, workbook_without_formulas

    unit = TrainingUnitFactory(agency=agency_a, code="mallory", name_en=ATTACK)
    staff = person(username="mallory", agency=agency_a, first_name=ATTACK, last_name="")
    staff.profile.unit = unit
    staff.profile.save()
    record(coordinator_a, agency_a, staff, topic=ATTACK, instructor="-2+3+cmd|' /C calc'!A0", evidence="@SUM(1,1)",
           hours="1.5")
    client.force_login(coordinator_a)
    workbook = workbook_without_formulas(client.get(url("ojt_records_export", "xlsx")).content)
    row = list(workbook.active.iter_rows(min_row=2, values_only=True))[0]
    assert (row[1], row[4], row[5]) == (NEUTRALISED, NEUTRALISED, NEUTRALISED)
    assert (row[8], row[9]) == ("'-2+3+cmd|' /C calc'!A0", "'@SUM(1,1)")
    assert (row[6], row[7]) == (2, 1.5) and workbook.active["A2"].is_date  # numbers and dates stay
    table = csv_rows(client.get(url("ojt_records_export", "csv")).content)
    assert (table[1][1], table[1][4], table[1][5], table[1][9]) == (NEUTRALISED, NEUTRALISED, NEUTRALISED, "'@SUM(1,1)")
    assert table[1][6] == "2" and float(table[1][7]) == 1.5
