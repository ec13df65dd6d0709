"""The session rules that the web, the API and the reports share, each defined once: the actions a user may
take in each state, whether attendance is open, what counts as attended, the roster counts, a display name."""

import uuid
from datetime import time, timedelta

import pytest

from lms.api import views as api_views
from lms.cascade import exceptions, selectors, services
from lms.cascade.models import ATTENDANCE_OPEN, ATTENDED, Attendance, CascadeSession, SessionParticipant
from lms.cascade.services import Day
from lms.people.names import display_name
from lms.people.roles import Role
from lms.trainers.models import CertificationProgramme
from tests.cascade.conftest import SOON, TODAY
from tests.factories import person

pytestmark = pytest.mark.django_db
State = CascadeSession.State


@pytest.fixture
def programme(db):
    return CertificationProgramme.objects.create(
        code="tot", name_en="Certified trainer", course_key=uuid.uuid4(), modules=[1, 2, 3, 4]
    )


@pytest.fixture
def session(trainer, programme):
    return services.session_schedule(
        actor=trainer, title="Interviewing", course_key=programme.course_key, modules=[3],
        days=[Day(SOON, time(9), time(13))], venue="Ashgabat", capacity=1, language="tk",
    )


def test_the_actions_follow_the_state_and_the_role(session, trainer, coordinator_a, agency_a):
    colleague = person(username="colleague", roles=[Role.TRAINER], agency=agency_a)
    assert services.session_actions(user=trainer, session=session) == ["submit", "cancel"]
    assert services.session_actions(user=coordinator_a, session=session) == ["cancel"]
    assert services.session_actions(user=colleague, session=session) == []
    session = services.session_submit(actor=trainer, session=session)
    assert services.session_actions(user=coordinator_a, session=session) == ["approve", "return", "cancel"]
    assert services.session_actions(user=trainer, session=session) == ["cancel"]
    session = services.session_approve(actor=coordinator_a, session=session)
    assert services.session_actions(user=trainer, session=session) == ["deliver", "cancel"]


def test_the_web_and_the_api_take_their_actions_from_one_table(client, session, trainer):
    client.force_login(trainer)
    html = client.get(f"/en/training/sessions/{session.pk}/").content.decode()
    for action in services.session_actions(user=trainer, session=session):
        assert f'value="{action}"' in html and str(services.SESSION_ACTIONS[action].label) in html
    for view in (api_views.SessionSubmit, api_views.SessionApprove, api_views.SessionReturn,
                 api_views.SessionCancel, api_views.SessionDeliver):
        assert view.action in services.SESSION_ACTIONS
    assert services.SESSION_ACTIONS[api_views.SessionReturn.action].comment_as == "comment"
    assert services.SESSION_ACTIONS[api_views.SessionCancel.action].comment_as == "reason"


def test_attendance_is_open_for_approved_and_delivered_sessions_from_the_day_on(session):
    day = session.days.get()
    assert set(ATTENDANCE_OPEN) == {State.APPROVED, State.DELIVERED}
    assert services.attendance_refusal(state=State.DRAFT, day=day) == exceptions.ATTENDANCE_CLOSED
    assert services.attendance_refusal(state=State.APPROVED, day=day).startswith("Attendance of")
    day.date = TODAY - timedelta(days=1)
    assert services.attendance_refusal(state=State.DELIVERED, day=day) == ""
    assert services.attendance_refusal(state=State.REPORTED, day=day) == exceptions.ATTENDANCE_CLOSED


def test_present_or_late_counts_as_attended():
    assert set(ATTENDED) == {Attendance.Status.PRESENT, Attendance.Status.LATE}


def test_the_counted_list_has_the_roster_counts(session, trainer, agency_a):
    services.participant_add(actor=trainer, session=session, user=person(username="first", agency=agency_a))
    services.participant_add(actor=trainer, session=session, user=person(username="second", agency=agency_a))
    counted = selectors.session_list_counted(user=trainer).get(pk=session.pk)
    assert (counted.enrolled, counted.waitlisted) == (1, 1)
    assert SessionParticipant.objects.filter(session=session).count() == 2


def test_a_display_name_is_the_full_name_or_the_username(agency_a):
    named = person(username="named", first_name="Aýna", last_name="Orazowa", agency=agency_a)
    assert display_name(named) == "Aýna Orazowa"
    assert display_name(person(username="nameless", first_name="", last_name="", agency=agency_a)) == "nameless"
