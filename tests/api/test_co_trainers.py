"""Co-trainers through the API: only certified trainers of the session's agency are accepted, and a co-trainer of
another agency left on an older row reaches neither the session nor its roster."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import translation

from lms.api.serializers import SessionScheduleSerializer
from lms.cascade import exceptions, services
from lms.cascade.models import CascadeSession, SessionDay, SessionParticipant, TrainerSlot
from lms.people.roles import Role
from tests.api.conftest import api_url, schedule
from tests.cascade.conftest import SOON, TODAY, certified
from tests.factories import person

pytestmark = pytest.mark.django_db


def payload(programme, **overrides) -> dict:
    data = {
        "title": "Identifying victims", "course_key": str(programme.course_key), "modules": [1],
        "days": [{"date": str(SOON), "starts": "09:00", "ends": "13:00"}], "venue": "Balkan training centre",
        "capacity": 12, "language": "tk",
    }
    data.update(overrides)
    return data


def test_a_co_trainer_of_another_agency_is_refused_with_400_in_the_language_of_the_request(api, trainer, co_trainer,
                                                                                          trainer_b, programme):
    response = api(trainer, language="ru").post(
        api_url("session_list"), payload(programme, co_trainers=[co_trainer.pk, trainer_b.pk])
    )
    with translation.override("ru"):
        russian = str(exceptions.CO_TRAINER_NOT_OFFERED)
    assert russian != "Choose the co-trainers among the certified trainers of the session's agency."
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == f"co_trainers: {russian}" and body["errors"]["co_trainers"] == [russian]
    assert not CascadeSession.objects.exists() and not SessionDay.objects.exists()
    assert not TrainerSlot.objects.exists()


def test_the_api_accepts_only_the_certified_trainers_of_the_requesters_agency(api, trainer, co_trainer, trainer_b,
                                                                             agency_a, programme):
    uncertified = person(username="uncertified", roles=[Role.TRAINER], agency=agency_a)
    expired = person(username="expired", roles=[Role.TRAINER], agency=agency_a)
    certified(expired, programme, valid_until=TODAY - timedelta(days=1))
    field = SessionScheduleSerializer(context={"request": SimpleNamespace(user=trainer)}).fields["co_trainers"]
    assert set(field.child_relation.get_queryset()) == {trainer, co_trainer}
    # without a request (the schema) nobody is offered
    assert not SessionScheduleSerializer().fields["co_trainers"].child_relation.get_queryset().exists()
    for refused in (uncertified, expired, trainer_b):
        response = api(trainer).post(api_url("session_list"), payload(programme, co_trainers=[refused.pk]))
        assert response.status_code == 400
        assert response.json()["errors"]["co_trainers"] == [str(exceptions.CO_TRAINER_NOT_OFFERED)]
    assert not CascadeSession.objects.exists()
    response = api(trainer).post(api_url("session_list"), payload(programme, co_trainers=[co_trainer.pk]))
    assert response.status_code == 201
    assert [person["id"] for person in response.json()["co_trainers"]] == [co_trainer.pk]


def test_a_foreign_co_trainer_on_an_older_row_reaches_neither_the_session_nor_its_roster(api, trainer, co_trainer,
                                                                                        trainer_b, trainees, programme):
    session = schedule(trainer, programme, co_trainers=[co_trainer])
    session.co_trainers.add(trainer_b)  # a row from before the rule
    services.participant_add(actor=trainer, session=session, user=trainees[0])
    client = api(trainer_b)
    assert client.get(api_url("session_list")).json()["count"] == 0
    assert client.get(api_url("session_detail", session.pk)).status_code == 404
    assert client.get(api_url("participant_list", session.pk)).status_code == 404
    assert client.post(api_url("participant_list", session.pk), {"user": trainees[1].pk}).status_code == 404
    assert client.get(api_url("attendance", session.pk)).status_code == 404
    assert list(SessionParticipant.objects.values_list("user", flat=True)) == [trainees[0].pk]
    # the co-trainer of the session's agency runs its roster
    added = api(co_trainer).post(api_url("participant_list", session.pk), {"user": trainees[1].pk})
    assert added.status_code == 201
