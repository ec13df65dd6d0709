"""Roster and attendance through the API: the same services (and the same people offered) as the web pages."""

import pytest
from django.utils import formats

from lms.cascade import exceptions, services
from lms.cascade.models import Attendance, SessionParticipant
from lms.cascade.exceptions import CHOOSE_PERSON
from tests.api.conftest import api_url, schedule
from tests.cascade.conftest import SOON, TODAY
from tests.factories import person

pytestmark = pytest.mark.django_db


def test_the_roster_fills_then_waitlists_and_moves_up(api, trainer, programme, trainees):
    session = schedule(trainer, programme)  # capacity 2
    client = api(trainer)
    statuses = []
    for trainee in trainees:
        response = client.post(api_url("participant_list", session.pk), {"user": trainee.pk})
        assert response.status_code == 201
        assert response.json()["user"]["id"] == trainee.pk
        statuses.append(response.json()["status"])
    assert statuses == ["enrolled", "enrolled", "waitlisted"]
    roster = client.get(api_url("participant_list", session.pk))
    assert roster.status_code == 200
    assert [(row["user"]["id"], row["status"]) for row in roster.json()] == [
        (trainees[0].pk, "enrolled"), (trainees[1].pk, "enrolled"), (trainees[2].pk, "waitlisted")
    ]
    response = client.delete(api_url("participant_detail", session.pk, trainees[0].pk))
    assert response.status_code == 204
    assert dict(session.participants.values_list("user", "status")) == {
        trainees[1].pk: "enrolled", trainees[2].pk: "enrolled"
    }
    assert client.delete(api_url("participant_detail", session.pk, trainees[0].pk)).status_code == 404


def test_only_people_of_the_agency_not_yet_on_it_are_added(api, trainer, co_trainer, programme, trainees, agency_b):
    session = schedule(trainer, programme, co_trainers=[co_trainer])
    services.participant_add(actor=trainer, session=session, user=trainees[0])
    outsider = person(username="outsider", agency=agency_b)
    client = api(trainer)
    for user_id in (outsider.pk, trainees[0].pk, co_trainer.pk, trainer.pk, 999_999):
        response = client.post(api_url("participant_list", session.pk), {"user": user_id})
        assert response.status_code == 400 and response.json() == {"detail": str(CHOOSE_PERSON)}, user_id
    assert client.post(api_url("participant_list", session.pk), {"user": "someone"}).status_code == 400
    assert list(session.participants.values_list("user", flat=True)) == [trainees[0].pk]


def test_the_roster_closes_with_the_session(api, trainer, programme, trainees):
    session = schedule(trainer, programme)
    services.session_cancel(actor=trainer, session=session, reason="Postponed")
    response = api(trainer).post(api_url("participant_list", session.pk), {"user": trainees[0].pk})
    assert response.status_code == 400 and response.json() == {"detail": str(exceptions.ROSTER_CLOSED)}
    assert not session.participants.exists()


def test_a_participant_sees_the_session_but_does_not_run_its_roster(api, trainer, programme, trainees):
    session = schedule(trainer, programme)
    services.participant_add(actor=trainer, session=session, user=trainees[0])
    client = api(trainees[0])
    assert client.get(api_url("session_detail", session.pk)).status_code == 200
    response = client.get(api_url("participant_list", session.pk))
    assert response.status_code == 403 and response.json() == {"detail": str(exceptions.NOT_PERMITTED)}
    assert client.post(api_url("participant_list", session.pk), {"user": trainees[1].pk}).status_code == 403
    assert client.delete(api_url("participant_detail", session.pk, trainees[0].pk)).status_code == 403
    assert client.get(api_url("attendance", session.pk)).status_code == 403
    assert session.participants.count() == 1


@pytest.fixture
def running(trainer, coordinator_a, programme, trainees):
    """An approved session of today with two enrolled participants."""
    session = schedule(trainer, programme, day=TODAY)
    for trainee in trainees[:2]:
        services.participant_add(actor=trainer, session=session, user=trainee)
    services.session_submit(actor=trainer, session=session)
    services.session_approve(actor=coordinator_a, session=session)
    return session


def test_attendance_is_recorded_and_read_by_day(api, trainer, coordinator_a, running):
    day = running.days.get()
    first, second = running.participants.order_by("pk")
    client = api(trainer)
    response = client.get(api_url("attendance", running.pk))
    assert response.status_code == 200
    assert response.json() == [{"day": day.pk, "date": str(TODAY), "starts": "09:00:00", "ends": "13:00:00",
                                "statuses": {}}]
    sheet = {"day": day.pk, "statuses": {str(first.pk): "present", str(second.pk): "late"}}
    response = client.post(api_url("attendance", running.pk), sheet)
    assert response.status_code == 200 and response.json() == {"day": day.pk, "recorded": 2}
    # the coordinator of the agency corrects a mark
    response = api(coordinator_a).post(api_url("attendance", running.pk), {"day": day.pk,
                                                                           "statuses": {str(second.pk): "excused"}})
    assert response.status_code == 200
    statuses = api(trainer).get(api_url("attendance", running.pk)).json()[0]["statuses"]
    assert statuses == {str(first.pk): "present", str(second.pk): "excused"}
    assert Attendance.objects.get(participant=second).recorded_by == coordinator_a


def test_a_bad_attendance_sheet_is_refused_whole(api, trainer, running, programme, trainees):
    day = running.days.get()
    first = running.participants.order_by("pk").first()
    waiting = SessionParticipant.objects.create(session=running, user=trainees[2], status="waitlisted")
    client = api(trainer)
    response = client.post(api_url("attendance", running.pk),
                           {"day": day.pk, "statuses": {str(first.pk): "present", str(waiting.pk): "present"}})
    assert response.status_code == 400 and response.json() == {"detail": str(exceptions.BAD_ATTENDANCE)}
    response = client.post(api_url("attendance", running.pk), {"day": day.pk, "statuses": {str(first.pk): "asleep"}})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"statuses"}
    response = client.post(api_url("attendance", running.pk), {"day": day.pk, "statuses": {"first": "present"}})
    assert response.status_code == 400
    other_day = schedule(trainer, programme, day=SOON).days.get()
    response = client.post(api_url("attendance", running.pk), {"day": other_day.pk, "statuses": {}})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"day"}
    assert not Attendance.objects.exists()


def test_attendance_waits_for_approval_and_for_the_day(api, trainer, coordinator_a, programme, trainees):
    session = schedule(trainer, programme, day=SOON)
    place = services.participant_add(actor=trainer, session=session, user=trainees[0])
    day = session.days.get()
    sheet = {"day": day.pk, "statuses": {str(place.pk): "present"}}
    response = api(trainer).post(api_url("attendance", session.pk), sheet)
    assert response.status_code == 400 and response.json() == {"detail": str(exceptions.ATTENDANCE_CLOSED)}
    services.session_submit(actor=trainer, session=session)
    services.session_approve(actor=coordinator_a, session=session)
    response = api(trainer).post(api_url("attendance", session.pk), sheet)
    assert response.status_code == 400
    assert response.json() == {"detail": str(exceptions.DAY_NOT_YET) % {"date": formats.date_format(SOON)}}
    assert not Attendance.objects.exists()
