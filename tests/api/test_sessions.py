"""The sessions API: list with filters, scheduling through the service with its refusals, the state moves,
scoping per agency, the language of messages. Every response is validated against /api/v1/openapi.json."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation

from lms.cascade import exceptions, services
from lms.cascade.models import CascadeSession, SessionDay, SessionEvent, TrainerSlot
from lms.trainers.models import Certification
from tests.api.conftest import api_as, api_url, schedule
from tests.cascade.conftest import SOON, TODAY
from tests.factories import TrainingUnitFactory

pytestmark = pytest.mark.django_db


def payload(programme, **overrides) -> dict:
    data = {
        "title": "Identifying victims",
        "course_key": str(programme.course_key),
        "modules": [1, 2],
        "days": [{"date": str(SOON), "starts": "09:00", "ends": "13:00"}],
        "venue": "Balkan training centre",
        "capacity": 12,
        "language": "tk",
    }
    data.update(overrides)
    return data


# --- list --------------------------------------------------------------------------------------------------


def test_the_list_gives_the_sessions_in_scope_newest_first_with_counts(api, trainer, trainer_b, programme, trainees):
    older = schedule(trainer, programme, title="Older")
    newer = schedule(trainer, programme, title="Newer", day=SOON + timedelta(days=3))
    services.participant_add(actor=trainer, session=older, user=trainees[0])
    schedule(trainer_b, programme, title="Another agency's")
    response = api(trainer).get(api_url("session_list"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and body["next"] is None
    assert [row["id"] for row in body["results"]] == [newer.pk, older.pk]
    row = body["results"][1]
    assert (row["title"], row["state"], row["state_label"], row["enrolled"], row["waitlisted"]) == (
        "Older", "draft", "Draft", 1, 0
    )
    assert row["lead_trainer"] == {"id": trainer.pk, "name": "Aýgül Hojaýewa"}
    assert row["agency"]["code"] == "GPO" and row["modules"] == [1]


def test_the_list_filters_by_state_agency_and_dates(api, manager, trainer, trainer_b, coordinator_a, programme):
    first = schedule(trainer, programme, title="First")
    second = schedule(trainer, programme, title="Second", day=SOON + timedelta(days=5))
    other = schedule(trainer_b, programme, title="Other agency")
    services.session_submit(actor=trainer, session=second)
    client = api(manager)

    def ids(**query):
        response = client.get(api_url("session_list"), query)
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {first.pk, second.pk, other.pk}
    assert ids(state="submitted") == {second.pk}
    assert ids(agency=trainer.profile.agency_id) == {first.pk, second.pk}
    assert ids(**{"from": str(SOON + timedelta(days=1))}) == {second.pk}
    assert ids(to=str(SOON)) == {first.pk, other.pk}
    assert ids(**{"from": str(SOON), "to": str(SOON)}) == {first.pk, other.pk}
    refused = client.get(api_url("session_list"), {"state": "lost", "from": "yesterday"})
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"state", "from"}


def test_the_list_costs_the_same_queries_for_two_and_for_ten_sessions(trainer, programme):
    client = api_as(trainer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(api_url("session_list")).status_code == 200
        return len(captured)

    for offset in range(2):
        schedule(trainer, programme, day=SOON + timedelta(days=offset))
    two = queries()
    for offset in range(2, 10):
        schedule(trainer, programme, day=SOON + timedelta(days=offset))
    assert queries() == two


def _at(offset: int) -> datetime:
    return timezone.make_aware(datetime.combine(SOON + timedelta(days=offset), time(9)))


def test_the_list_is_paged_by_fifty(trainer, programme, api):
    CascadeSession.objects.bulk_create(
        [
            CascadeSession(
                title=f"Session {number}", course_key=programme.course_key, modules=[1], lead_trainer=trainer,
                agency=trainer.profile.agency, language="tk", venue="Mary", capacity=5,
                starts_at=_at(number), ends_at=_at(number) + timedelta(hours=2),
            )
            for number in range(51)
        ]
    )
    first = api(trainer).get(api_url("session_list")).json()
    assert first["count"] == 51 and len(first["results"]) == 50 and first["next"].endswith("?page=2")
    second = api(trainer).get(api_url("session_list"), {"page": 2}).json()
    assert len(second["results"]) == 1 and second["next"] is None


# --- scheduling --------------------------------------------------------------------------------------------


def test_a_certified_trainer_schedules_a_session(api, trainer, co_trainer, programme, agency_a):
    unit = TrainingUnitFactory(agency=agency_a)
    data = payload(
        programme, unit=unit.pk, co_trainers=[co_trainer.pk],
        days=[{"date": str(SOON), "starts": "09:00", "ends": "13:00"},
              {"date": str(SOON + timedelta(days=1)), "starts": "09:30", "ends": "12:45"}],
    )
    data.pop("course_key")  # the course of the trainer's certification, as the web form offers
    response = api(trainer).post(api_url("session_list"), data)
    assert response.status_code == 201, response.json()
    session = CascadeSession.objects.get()
    body = response.json()
    assert body["id"] == session.pk and body["state"] == "draft"
    assert (session.lead_trainer, session.agency, session.unit, session.course_key) == (
        trainer, agency_a, unit, programme.course_key
    )
    assert body["modules"] == [1, 2] and body["unit"]["id"] == unit.pk
    assert body["co_trainers"] == [{"id": co_trainer.pk, "name": "Merdan Annaýew"}]
    assert [(day["date"], day["starts"], day["ends"]) for day in body["days"]] == [
        (str(SOON), "09:00:00", "13:00:00"), (str(SOON + timedelta(days=1)), "09:30:00", "12:45:00")
    ]
    # the same record as the service makes for the web: the trainers are booked, the history begins
    assert TrainerSlot.objects.filter(session=session, trainer=co_trainer).count() == 16 + 13
    assert list(session.events.values_list("action", flat=True)) == ["scheduled"]
    detail = api(trainer).get(api_url("session_detail", session.pk))
    assert detail.status_code == 200 and detail.json() == body


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"capacity": 0}, exceptions.CAPACITY),
        ({"modules": []}, exceptions.NO_MODULES),
        ({"modules": [1, 7]}, exceptions.OUTSIDE_SCOPE % {"modules": "7"}),
        ({"days": []}, exceptions.NO_DAYS),
        ({"days": [{"date": str(SOON), "starts": "09:10", "ends": "13:00"}]}, exceptions.QUARTER_HOURS),
    ],
)
def test_each_refusal_of_the_service_comes_back_as_400_and_nothing_is_created(api, trainer, programme, overrides,
                                                                               message):
    response = api(trainer).post(api_url("session_list"), payload(programme, **overrides))
    assert response.status_code == 400
    assert response.json() == {"detail": str(message)}
    assert not CascadeSession.objects.exists() and not SessionDay.objects.exists()


def test_a_double_booked_co_trainer_is_refused_and_nothing_changes(api, trainer, co_trainer, trainer_b, programme):
    booked = schedule(co_trainer, programme, title="Already booked")
    response = api(trainer).post(
        api_url("session_list"),
        payload(programme, co_trainers=[co_trainer.pk], days=[{"date": str(SOON), "starts": "12:00", "ends": "15:00"}]),
    )
    assert response.status_code == 400
    assert response.json()["detail"] == str(exceptions.DOUBLE_BOOKED) % {
        "name": "Merdan Annaýew", "session": "Already booked", "date": formats.date_format(SOON)
    }
    assert list(CascadeSession.objects.all()) == [booked]
    assert set(TrainerSlot.objects.values_list("session", flat=True)) == {booked.pk}


def test_an_uncertified_person_and_invalid_input_are_refused(api, trainees, trainer, programme):
    response = api(trainees[0]).post(api_url("session_list"), payload(programme))
    assert response.status_code == 400
    assert response.json() == {"detail": str(exceptions.NOT_CERTIFIED) % {"name": trainees[0].get_full_name()}}
    Certification.objects.filter(user=trainer).update(status="suspended")
    response = api(trainer).post(api_url("session_list"), payload(programme))
    assert response.status_code == 400 and "certification" in response.json()["detail"]
    # input that is not even of the right shape names its fields
    response = api(trainer).post(api_url("session_list"), {"title": "", "capacity": "many", "days": [{"date": "x"}]})
    body = response.json()
    assert response.status_code == 400 and {"title", "capacity", "days", "venue", "language"} <= set(body["errors"])
    assert body["detail"].startswith("title: ")
    assert not CascadeSession.objects.exists()


def test_refusals_come_in_the_language_of_the_request(api, trainer, programme):
    response = api(trainer, language="ru").post(api_url("session_list"), payload(programme, capacity=0))
    with translation.override("ru"):
        russian = str(exceptions.CAPACITY)
    with translation.override("en"):
        assert russian != str(exceptions.CAPACITY)
    assert response.status_code == 400 and response.json() == {"detail": russian}
    assert response["Content-Language"] == "ru"
    response = api(trainer, language="tk").get(api_url("session_detail", 999_999))
    assert response.status_code == 404 and response["Content-Language"] == "tk"


def test_an_unknown_session_is_a_404_not_a_redirect_to_a_language(api, trainer):
    response = api(trainer).get(api_url("session_detail", 999_999))
    assert response.status_code == 404 and "detail" in response.json()


# --- the state moves ---------------------------------------------------------------------------------------


def test_a_session_goes_from_draft_to_delivered_through_the_api(api, trainer, coordinator_a, programme):
    session = schedule(trainer, programme, day=TODAY)
    lead, coordinator = api(trainer), api(coordinator_a)
    response = lead.post(api_url("session_submit", session.pk))
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    response = coordinator.post(api_url("session_return", session.pk), {"comment": "Add module 2"})
    assert response.status_code == 200 and response.json()["state"] == "returned"
    assert lead.post(api_url("session_submit", session.pk)).json()["state"] == "submitted"
    response = coordinator.post(api_url("session_approve", session.pk))
    assert response.status_code == 200 and response.json()["state"] == "approved"
    response = lead.post(api_url("session_deliver", session.pk))
    assert response.status_code == 200 and response.json()["state"] == "delivered"
    events = list(SessionEvent.objects.filter(session=session).values_list("action", "actor", "comment"))
    assert events == [
        ("scheduled", trainer.pk, ""), ("submit", trainer.pk, ""), ("return", coordinator_a.pk, "Add module 2"),
        ("submit", trainer.pk, ""), ("approve", coordinator_a.pk, ""), ("deliver", trainer.pk, ""),
    ]


def test_a_move_the_user_may_not_make_is_403_and_an_illegal_one_400(api, trainer, co_trainer, coordinator_a,
                                                                     programme):
    session = schedule(trainer, programme, co_trainers=[co_trainer])
    response = api(trainer).post(api_url("session_approve", session.pk))
    assert response.status_code == 403 and response.json() == {"detail": str(exceptions.NOT_PERMITTED)}
    assert api(co_trainer).post(api_url("session_submit", session.pk)).status_code == 403
    response = api(coordinator_a).post(api_url("session_approve", session.pk))
    assert response.status_code == 400
    assert response.json() == {"detail": str(exceptions.ILLEGAL_MOVE) % {"state": "Draft"}}
    services.session_submit(actor=trainer, session=session)
    response = api(coordinator_a).post(api_url("session_return", session.pk), {"comment": "  "})
    assert response.status_code == 400 and response.json() == {"detail": str(exceptions.COMMENT_REQUIRED)}
    response = api(coordinator_a).post(api_url("session_return", session.pk), {})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"comment"}
    session.refresh_from_db()
    assert session.state == "submitted"


@pytest.mark.parametrize("who", ["lead", "coordinator"])
def test_the_lead_or_the_coordinator_cancels_with_a_reason(api, trainer, coordinator_a, programme, who):
    session = schedule(trainer, programme)
    client = api(trainer if who == "lead" else coordinator_a)
    assert client.post(api_url("session_cancel", session.pk), {"reason": ""}).status_code == 400
    response = client.post(api_url("session_cancel", session.pk), {"reason": "The venue is closed"})
    assert response.status_code == 200 and response.json()["state"] == "cancelled"
    assert not TrainerSlot.objects.filter(session=session).exists()
    assert session.events.last().comment == "The venue is closed"


def test_delivery_waits_for_the_first_day(api, trainer, coordinator_a, programme):
    session = schedule(trainer, programme)
    services.session_submit(actor=trainer, session=session)
    services.session_approve(actor=coordinator_a, session=session)
    response = api(trainer).post(api_url("session_deliver", session.pk))
    assert response.status_code == 400 and response.json() == {"detail": str(exceptions.NOT_STARTED)}
    session.refresh_from_db()
    assert session.state == "approved"


# --- scoping -----------------------------------------------------------------------------------------------


def test_another_agency_cannot_list_read_or_act_on_a_session(api, trainer, programme, coordinator_b, trainer_b,
                                                             trainees):
    session = schedule(trainer, programme, day=TODAY)
    services.session_submit(actor=trainer, session=session)
    for outsider in (coordinator_b, trainer_b, trainees[0]):
        client = api(outsider)
        assert client.get(api_url("session_list")).json()["results"] == []
        assert client.get(api_url("session_list"), {"agency": session.agency_id}).json()["count"] == 0
        assert client.get(api_url("session_detail", session.pk)).status_code == 404
        for name, body in [("session_submit", {}), ("session_approve", {}), ("session_return", {"comment": "x"}),
                           ("session_cancel", {"reason": "x"}), ("session_deliver", {})]:
            assert client.post(api_url(name, session.pk), body).status_code == 404, name
        assert client.get(api_url("participant_list", session.pk)).status_code == 404
        assert client.post(api_url("participant_list", session.pk), {"user": trainees[1].pk}).status_code == 404
        assert client.delete(api_url("participant_detail", session.pk, trainees[1].pk)).status_code == 404
        assert client.get(api_url("attendance", session.pk)).status_code == 404
        day = session.days.get()
        response = client.post(api_url("attendance", session.pk), {"day": day.pk, "statuses": {}})
        assert response.status_code == 404
    session.refresh_from_db()
    assert session.state == "submitted" and not session.participants.exists()
    assert list(session.events.values_list("action", flat=True)) == ["scheduled", "submit"]


def test_a_coordinator_sees_the_sessions_of_their_agency_only(api, trainer, trainer_b, coordinator_a, coordinator_b,
                                                              programme):
    own = schedule(trainer, programme)
    other = schedule(trainer_b, programme)
    assert [row["id"] for row in api(coordinator_a).get(api_url("session_list")).json()["results"]] == [own.pk]
    assert [row["id"] for row in api(coordinator_b).get(api_url("session_list")).json()["results"]] == [other.pk]
    assert api(coordinator_a).get(api_url("session_detail", own.pk)).status_code == 200
