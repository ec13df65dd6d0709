"""The session pages: scheduling with the service's refusals shown, scoping per agency, the action buttons,
roster with its waiting list, attendance, the report, and a list whose query count does not grow."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.cascade import exceptions, services
from lms.cascade.forms import DAY_INCOMPLETE
from lms.cascade.models import Attendance, CascadeSession, SessionDay, SessionParticipant
from lms.cascade.views.sessions import CHOOSE_PERSON, NOT_CERTIFIED_PAGE
from lms.trainers.models import Certification, CertificationProgramme
from tests.cascade.conftest import SOON, TODAY
from tests.cascade.helpers import form_data, schedule_one_day
from tests.factories import TrainingUnitFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(curriculum):
    return CertificationProgramme.objects.create(
        code="tot", name_en="Certified trainer", course_key=curriculum["tot"].translation_key, modules=[1, 2, 3, 4]
    )


@pytest.fixture
def trainees(agency_a):
    return [person(username=f"trainee{number}", agency=agency_a) for number in range(3)]


def url(name, *args):
    return reverse(f"cascade:{name}", args=args)


def errors_of(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


# --- scheduling ------------------------------------------------------------------------------------------


def test_a_certified_trainer_schedules_a_session(client, trainer, co_trainer, programme, agency_a):
    unit = TrainingUnitFactory(agency=agency_a)
    TrainingUnitFactory(agency=TrainingUnitFactory().agency)  # another agency's unit is not offered
    client.force_login(trainer)
    page = client.get(url("session_create"))
    assert page.status_code == 200
    form = page.context["form"]
    # the course's modules that the certification covers, titled; the programme's course by default
    assert form.fields["modules"].choices == [("1", "1. English module 1"), ("2", "2. English module 2")]
    assert form["course"].value() == str(programme.course_key)
    assert list(form.fields["unit"].queryset) == [unit]
    assert list(form.fields["co_trainers"].queryset) == [co_trainer]

    response = client.post(
        url("session_create"),
        form_data(programme, unit=str(unit.pk), co_trainers=[str(co_trainer.pk)],
                  days=[(SOON, "09:00", "13:00"), (SOON + timedelta(days=1), "09:30", "12:45")]),
    )
    session = CascadeSession.objects.get()
    assert response.status_code == 302 and response["Location"] == url("session_detail", session.pk)
    assert (session.state, session.lead_trainer, session.agency, session.unit) == ("draft", trainer, agency_a, unit)
    assert session.modules == [1, 2] and list(session.co_trainers.all()) == [co_trainer]
    assert [(d.date, d.starts, d.ends) for d in session.days.all()] == [
        (SOON, time(9), time(13)), (SOON + timedelta(days=1), time(9, 30), time(12, 45))
    ]
    detail = client.get(response["Location"])
    html = detail.content.decode()
    assert "English module 2" in html and "English course tot" in html
    assert [action["value"] for action in detail.context["actions"]] == ["submit", "cancel"]
    assert detail.context["may_edit"]


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"capacity": "0"}, exceptions.CAPACITY),
        ({"modules": []}, exceptions.NO_MODULES),
        ({"days": []}, exceptions.NO_DAYS),
        ({"days": [(SOON, "13:00", "09:00")]}, "ends before it starts"),
        ({"days": [(SOON, "09:10", "13:00")]}, exceptions.QUARTER_HOURS),
    ],
)


def test_each_refusal_of_the_service_is_shown_and_nothing_is_created(client, trainer, programme, overrides, message):
    client.force_login(trainer)
    response = client.post(url("session_create"), form_data(programme, **overrides))
    assert response.status_code == 400
    assert any(str(message) in error for error in errors_of(response))
    assert not CascadeSession.objects.exists() and not SessionDay.objects.exists()


def test_double_booking_and_an_uncertified_co_trainer_are_refused(client, trainer, co_trainer, programme):
    existing = schedule_one_day(trainer, programme, title="Already booked")
    client.force_login(trainer)
    response = client.post(url("session_create"), form_data(programme, days=[(SOON, "12:00", "15:00")]))
    assert response.status_code == 400
    assert "Already booked" in errors_of(response)[0]
    # the co-trainer's certification ends before the session's day
    Certification.objects.filter(user=co_trainer).update(valid_until=SOON - timedelta(days=1))
    response = client.post(
        url("session_create"),
        form_data(programme, days=[(SOON + timedelta(days=2), "09:00", "12:00")], co_trainers=[str(co_trainer.pk)]),
    )
    assert response.status_code == 400
    assert errors_of(response) == [str(exceptions.CO_TRAINER_NOT_CERTIFIED) % {"name": co_trainer.get_full_name()}]
    assert list(CascadeSession.objects.all()) == [existing]


def test_form_errors_keep_the_input_and_create_nothing(client, trainer, programme, agency_b):
    foreign_unit = TrainingUnitFactory(agency=agency_b)
    client.force_login(trainer)
    response = client.post(
        url("session_create"),
        form_data(programme, modules=["3"], unit=str(foreign_unit.pk), days=[(SOON, "09:00", "")]),
    )
    assert response.status_code == 400
    form = response.context["form"]
    # module 3 is certified but the course has no module 3; a unit of another agency is not offered
    assert set(form.errors) == {"modules", "unit"}
    assert response.context["days"].forms[0].non_field_errors() == [str(DAY_INCOMPLETE)]
    assert form["title"].value() == "Identifying victims"
    assert not CascadeSession.objects.exists()


def test_only_a_trainer_with_a_valid_certification_opens_the_form(client, trainees, trainer, programme):
    client.force_login(trainees[0])
    response = client.get(url("session_create"))
    assert response.status_code == 403
    assert str(NOT_CERTIFIED_PAGE) in response.content.decode().replace("&#x27;", "'")
    assert client.post(url("session_create"), form_data(programme)).status_code == 403
    assert not client.get(url("session_list")).context["may_schedule"]
    Certification.objects.filter(user=trainer).update(status="suspended")
    client.force_login(trainer)
    assert client.get(url("session_create")).status_code == 403
    assert not CascadeSession.objects.exists()


def test_the_lead_trainer_changes_a_draft_but_not_an_approved_session(client, trainer, programme, coordinator_a):
    session = schedule_one_day(trainer, programme)
    client.force_login(coordinator_a)
    assert client.get(url("session_edit", session.pk)).status_code == 403
    client.force_login(trainer)
    page = client.get(url("session_edit", session.pk))
    assert page.context["form"]["title"].value() == "Victim-sensitive interviewing"
    assert page.context["days"].forms[0]["date"].value() == SOON
    data = form_data(programme, title="Interviewing, changed", modules=["2"], days=[(SOON, "10:00", "12:00")])
    data["days-INITIAL_FORMS"] = "1"
    response = client.post(url("session_edit", session.pk), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.title, session.modules, session.capacity) == ("Interviewing, changed", [2], 12)
    assert [(day.starts, day.ends) for day in session.days.all()] == [(time(10), time(12))]
    assert list(session.events.values_list("action", flat=True)) == ["scheduled", "changed"]
    services.session_submit(actor=trainer, session=session)
    services.session_approve(actor=coordinator_a, session=session)
    response = client.get(url("session_edit", session.pk), follow=True)
    assert str(exceptions.NOT_EDITABLE) in [str(message) for message in response.context["messages"]]


# --- scoping ---------------------------------------------------------------------------------------------


def test_another_agency_sees_nothing_of_a_session(client, trainer, programme, coordinator_a, coordinator_b, trainees):
    session = schedule_one_day(trainer, programme)
    day = session.days.get()
    services.session_submit(actor=trainer, session=session)
    client.force_login(coordinator_b)
    for name, args in [
        ("session_detail", [session.pk]), ("session_edit", [session.pk]), ("session_roster", [session.pk]),
        ("session_attendance", [session.pk, day.pk]), ("session_report", [session.pk]),
    ]:
        assert client.get(url(name, *args)).status_code == 404, name
    assert client.post(url("session_detail", session.pk), {"action": "approve"}).status_code == 404
    assert list(client.get(url("session_list")).context["sessions"]) == []
    assert list(client.get(url("approval_queue")).context["sessions"]) == []
    client.force_login(coordinator_a)
    assert list(client.get(url("session_list")).context["sessions"]) == [session]
    assert list(client.get(url("approval_queue")).context["sessions"]) == [session]
    # a trainee sees only the sessions they are on, and has no queue
    client.force_login(trainees[0])
    assert client.get(url("session_detail", session.pk)).status_code == 404
    assert client.get(url("approval_queue")).status_code == 403
    services.participant_add(actor=trainer, session=session, user=trainees[0])
    assert client.get(url("session_detail", session.pk)).context["actions"] == []
    assert client.get(url("session_roster", session.pk)).status_code == 403
    response = client.post(url("session_detail", session.pk), {"action": "approve"})
    assert response.status_code == 403 and errors_of(response) == [str(exceptions.NOT_PERMITTED)]
    assert CascadeSession.objects.get().state == "submitted"


def test_the_list_filters_by_state(client, trainer, programme):
    draft = schedule_one_day(trainer, programme, title="Draft one")
    submitted = schedule_one_day(trainer, programme, title="Submitted one", day=SOON + timedelta(days=3))
    services.session_submit(actor=trainer, session=submitted)
    client.force_login(trainer)
    assert list(client.get(url("session_list")).context["sessions"]) == [submitted, draft]
    assert list(client.get(url("session_list"), {"state": "draft"}).context["sessions"]) == [draft]
    assert client.get(url("session_list"), {"state": "nonsense"}).context["state"] == ""


# --- the action buttons ----------------------------------------------------------------------------------


def act(client, session, action, **data):
    return client.post(url("session_detail", session.pk), {"action": action, **data})


def test_the_buttons_move_a_session_from_draft_to_an_accepted_report(client, trainer, programme, coordinator_a):
    session = schedule_one_day(trainer, programme, day=TODAY)
    client.force_login(trainer)
    response = act(client, session, "submit")
    assert response.status_code == 302 and CascadeSession.objects.get().state == "submitted"
    assert act(client, session, "approve").status_code == 403  # the trainer does not decide

    client.force_login(coordinator_a)
    page = client.get(url("session_detail", session.pk))
    assert [action["value"] for action in page.context["actions"]] == ["approve", "return", "cancel"]
    response = act(client, session, "return")
    assert response.status_code == 400 and errors_of(response) == [str(exceptions.COMMENT_REQUIRED)]
    assert act(client, session, "return", comment="Add module 2.").status_code == 302
    assert CascadeSession.objects.get().state == "returned"

    client.force_login(trainer)
    act(client, session, "submit")
    client.force_login(coordinator_a)
    assert act(client, session, "approve").status_code == 302
    assert CascadeSession.objects.get().state == "approved"

    client.force_login(trainer)
    actions = client.get(url("session_detail", session.pk)).context["actions"]
    assert [action["value"] for action in actions] == ["deliver", "cancel"]
    assert act(client, session, "deliver").status_code == 302
    assert CascadeSession.objects.get().state == "delivered"
    response = client.post(url("session_report", session.pk), {"methods": "Case studies, role play"})
    assert response.status_code == 302 and CascadeSession.objects.get().state == "reported"

    client.force_login(coordinator_a)
    assert list(client.get(url("approval_queue")).context["sessions"]) == [session]
    assert act(client, session, "send_back").status_code == 400
    assert act(client, session, "send_back", comment="Give the issues too.").status_code == 302
    assert CascadeSession.objects.get().state == "delivered"
    client.force_login(trainer)
    client.post(url("session_report", session.pk), {"methods": "Case studies", "issues": "Too short"})
    client.force_login(coordinator_a)
    assert act(client, session, "accept_report").status_code == 302
    session.refresh_from_db()
    assert session.state == "reported" and session.report.accepted_by == coordinator_a
    assert list(client.get(url("approval_queue")).context["sessions"]) == []
    page = client.get(url("session_detail", session.pk))
    assert page.context["actions"] == []
    assert [row["event"].action for row in page.context["events"]] == [
        "scheduled", "submit", "return", "submit", "approve", "deliver", "report", "send_back", "report",
        "report_accepted",
    ]
    assert "Give the issues too." in page.content.decode()


def test_a_refused_move_is_shown_on_the_page(client, trainer, programme, coordinator_a):
    session = schedule_one_day(trainer, programme)
    services.session_submit(actor=trainer, session=session)
    services.session_approve(actor=coordinator_a, session=session)
    client.force_login(trainer)
    response = act(client, session, "deliver")  # its day is still to come
    assert response.status_code == 400 and errors_of(response) == [str(exceptions.NOT_STARTED)]
    response = act(client, session, "submit")
    assert response.status_code == 400 and "Approved" in errors_of(response)[0]
    assert act(client, session, "nonsense").status_code == 400
    assert CascadeSession.objects.get().state == "approved"


@pytest.mark.parametrize("who", ["lead", "coordinator"])
def test_the_lead_or_the_coordinator_cancels_with_a_reason(client, trainer, programme, coordinator_a, who):
    session = schedule_one_day(trainer, programme)
    services.session_submit(actor=trainer, session=session)
    client.force_login(trainer if who == "lead" else coordinator_a)
    assert act(client, session, "cancel").status_code == 400
    assert act(client, session, "cancel", reason="ignored", comment="The venue is closed.").status_code == 302
    session.refresh_from_db()
    assert session.state == "cancelled" and session.events.last().comment == "The venue is closed."
    assert not session.slots.exists()


# --- roster and attendance -------------------------------------------------------------------------------


def test_the_roster_fills_then_waitlists_and_moves_up(client, trainer, programme, trainees, agency_b):
    session = schedule_one_day(trainer, programme, capacity=1)
    outsider = person(username="outsider", agency=agency_b)
    client.force_login(trainer)
    page = client.get(url("session_roster", session.pk))
    assert {profile.user for profile in page.context["candidates"]} == set(trainees)
    for user in trainees[:2]:
        assert client.post(url("session_roster", session.pk), {"action": "add", "user": user.pk}).status_code == 302
    places = {place.user: place.status for place in SessionParticipant.objects.all()}
    assert places == {trainees[0]: "enrolled", trainees[1]: "waitlisted"}
    response = client.post(url("session_roster", session.pk), {"action": "add", "user": outsider.pk})
    assert response.status_code == 400 and response.context["error"] == CHOOSE_PERSON
    page = client.get(url("session_roster", session.pk))
    assert [p.user for p in page.context["enrolled"]] == [trainees[0]]
    assert [p.user for p in page.context["waitlisted"]] == [trainees[1]]
    assert {profile.user for profile in page.context["candidates"]} == {trainees[2]}

    first = SessionParticipant.objects.get(user=trainees[0])
    response = client.post(
        url("session_roster", session.pk), {"action": "remove", "participant": first.pk}, follow=True
    )
    messages = [str(message) for message in response.context["messages"]]
    assert any("moves up" in message for message in messages)
    assert {place.user: place.status for place in SessionParticipant.objects.all()} == {trainees[1]: "enrolled"}


def test_the_coordinator_runs_the_roster_of_their_agency(client, trainer, programme, trainees, coordinator_a):
    session = schedule_one_day(trainer, programme)
    client.force_login(coordinator_a)
    assert client.post(url("session_roster", session.pk), {"action": "add", "user": trainees[0].pk}).status_code == 302
    assert session.participants.get().user == trainees[0]


def test_attendance_of_a_day_is_saved_and_shown(client, trainer, programme, trainees, coordinator_a):
    session = schedule_one_day(trainer, programme, day=TODAY, capacity=2)
    for user in trainees:
        services.participant_add(actor=trainer, session=session, user=user)
    day = session.days.get()
    client.force_login(trainer)
    page = client.get(url("session_attendance", session.pk, day.pk))
    assert page.context["closed"] == exceptions.ATTENDANCE_CLOSED  # a draft
    services.session_submit(actor=trainer, session=session)
    services.session_approve(actor=coordinator_a, session=session)
    detail = client.get(url("session_detail", session.pk)).content.decode()
    assert url("session_attendance", session.pk, day.pk) in detail
    page = client.get(url("session_attendance", session.pk, day.pk))
    # the waiting list does not attend
    assert [row["place"].user for row in page.context["rows"]] == trainees[:2]
    first, second = (row["place"] for row in page.context["rows"])
    response = client.post(
        url("session_attendance", session.pk, day.pk), {f"status-{first.pk}": "present", f"status-{second.pk}": "late"}
    )
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("participant__user__username", "status")) == {
        "trainee0": "present", "trainee1": "late",
    }
    page = client.get(url("session_attendance", session.pk, day.pk))
    assert [row["status"] for row in page.context["rows"]] == ["present", "late"]
    assert 'value="late" checked' in page.content.decode()
    response = client.post(url("session_attendance", session.pk, day.pk), {f"status-{first.pk}": "asleep"})
    assert response.status_code == 400 and response.context["error"] == exceptions.BAD_ATTENDANCE


def test_attendance_waits_for_its_day(client, trainer, programme, trainees, coordinator_a):
    session = schedule_one_day(trainer, programme)
    place = services.participant_add(actor=trainer, session=session, user=trainees[0])
    services.session_submit(actor=trainer, session=session)
    services.session_approve(actor=coordinator_a, session=session)
    day = session.days.get()
    client.force_login(trainer)
    assert "on" in client.get(url("session_attendance", session.pk, day.pk)).context["closed"]
    response = client.post(url("session_attendance", session.pk, day.pk), {f"status-{place.pk}": "present"})
    assert response.status_code == 400 and not Attendance.objects.exists()


def test_the_report_shows_attendance_and_needs_methods(client, trainer, programme, trainees, coordinator_a):
    session = schedule_one_day(trainer, programme, day=TODAY)
    places = [services.participant_add(actor=trainer, session=session, user=user) for user in trainees[:2]]
    services.session_submit(actor=trainer, session=session)
    services.session_approve(actor=coordinator_a, session=session)
    day = session.days.get()
    services.attendance_record(
        actor=trainer, session=session, day=day, statuses={places[0].pk: "present", places[1].pk: "absent"}
    )
    client.force_login(trainer)
    assert not client.get(url("session_report", session.pk)).context["may_write"]  # not delivered yet
    services.session_deliver(actor=trainer, session=session)
    page = client.get(url("session_report", session.pk))
    assert page.context["may_write"]
    assert [row["attended"] for row in page.context["rows"]] == [1, 0]
    counts = dict(page.context["totals"][0]["counts"])
    assert (counts["Present"], counts["Absent"], counts["Late"]) == (1, 1, 0)
    response = client.post(url("session_report", session.pk), {"methods": "  "})
    assert response.status_code == 400 and errors_of(response) == [str(exceptions.METHODS_REQUIRED)]
    assert CascadeSession.objects.get().state == "delivered"
    client.force_login(coordinator_a)
    assert client.get(url("session_report", session.pk)).status_code == 200
    assert client.post(url("session_report", session.pk), {"methods": "Mine"}).status_code == 403


# --- the list's query count and the dashboard ------------------------------------------------------------


def _count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_list_takes_as_many_queries_for_six_sessions_as_for_two(
    client, trainer, co_trainer, programme, trainees, coordinator_a
):
    def add(number):
        session = schedule_one_day(trainer, programme, title=f"Session {number}", day=SOON + timedelta(days=number),
                           co_trainers=[co_trainer])
        for user in trainees:
            services.participant_add(actor=trainer, session=session, user=user)

    for number in range(2):
        add(number)
    client.force_login(coordinator_a)
    path = url("session_list")
    client.get(path)  # the first request of a client warms caches (site, session)
    few = _count_queries(client, path)
    for number in range(2, 6):
        add(number)
    assert _count_queries(client, path) == few
    sessions = client.get(path).context["sessions"]
    assert len(sessions) == 6 and {(s.enrolled, s.waitlisted) for s in sessions} == {(2, 1)}


def test_the_dashboard_leads_to_the_sessions(client, trainer, coordinator_a, manager):
    client.force_login(trainer)
    html = client.get("/en/dashboard/").content.decode()
    assert url("session_list") in html and url("approval_queue") not in html
    for user in (coordinator_a, manager):
        client.force_login(user)
        html = client.get("/en/dashboard/").content.decode()
        assert url("session_list") in html and url("approval_queue") in html
