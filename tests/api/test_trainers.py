"""The trainer registry through the API: scoped and filtered as the web registry, with delivery figures."""

from datetime import timedelta

import pytest

from lms.cascade import services
from lms.people.roles import Role
from lms.trainers.models import Certification, CertificationProgramme
from tests.api.conftest import api_url, schedule
from tests.cascade.conftest import TODAY
from tests.factories import RegionFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def victims(db):
    return CertificationProgramme.objects.create(code="victims", name_en="Victim identification", modules=[5, 6],
                                                 course_key="00000000-0000-4000-8000-000000000005")


def second_certification(user, programme):
    return Certification.objects.create(
        user=user, programme=programme, status="certified", number=f"VIC-{user.pk}", code=f"victims-{user.pk}",
        certified_on=TODAY - timedelta(days=10), valid_until=TODAY + timedelta(days=400),
    )


def test_a_coordinator_reads_the_trainers_of_their_agency(api, trainer, co_trainer, trainer_b, coordinator_a,
                                                          coordinator_a_delivered):
    response = api(coordinator_a).get(api_url("trainer_list"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    rows = {row["id"]: row for row in body["results"]}
    assert set(rows) == {trainer.pk, co_trainer.pk}
    row = rows[trainer.pk]
    assert (row["name"], row["status"], row["status_label"], row["agency"]["code"]) == (
        "Aýgül Hojaýewa", "certified", "Certified", "GPO"
    )
    assert row["programme"] == {"code": "tot", "name": "Certified trainer"} and row["modules"] == [1, 2, 3, 4]
    # the delivery figures come from the cascade: one delivered session with one participant
    assert (row["sessions_delivered"], row["participants"]) == (1, 1)


@pytest.fixture
def coordinator_a_delivered(trainer, coordinator_a, programme, agency_a):
    """A session of today that the trainer delivered (and reported) to one participant."""
    session = schedule(trainer, programme, day=TODAY)
    services.participant_add(actor=trainer, session=session, user=person(username="learner", agency=agency_a))
    services.session_submit(actor=trainer, session=session)
    services.session_approve(actor=coordinator_a, session=session)
    services.session_deliver(actor=trainer, session=session)
    services.session_report_submit(actor=trainer, session=session, methods="Case studies")
    return session


def test_the_registry_filters_like_the_web(api, manager, trainer, co_trainer, trainer_b, victims, agency_b):
    second_certification(trainer_b, victims)
    Certification.objects.filter(user=co_trainer).update(valid_until=TODAY - timedelta(days=1))
    region = RegionFactory(code="TM-M", name_en="Mary region")
    trainer_b.profile.region = region
    trainer_b.profile.save()
    client = api(manager)

    def rows(**query):
        response = client.get(api_url("trainer_list"), query)
        assert response.status_code == 200
        return sorted((row["id"], row["programme"]["code"]) for row in response.json()["results"])

    assert len(rows()) == 4
    assert rows(agency=agency_b.pk) == [(trainer_b.pk, "tot"), (trainer_b.pk, "victims")]
    assert rows(module=5) == [(trainer_b.pk, "victims")]
    assert rows(status="expired") == [(co_trainer.pk, "tot")]
    assert rows(region=region.pk) == [(trainer_b.pk, "tot"), (trainer_b.pk, "victims")]
    assert rows(language="en") == [(trainer.pk, "tot")]
    # a value that cannot be right is dropped, as on the web page
    assert len(rows(status="nonsense", agency="x")) == 4


def test_one_trainer_with_every_certification(api, manager, trainer_b, victims):
    second_certification(trainer_b, victims)
    response = api(manager).get(api_url("trainer_detail", trainer_b.pk))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == trainer_b.pk and body["agency"]["code"] == "MIA"
    assert [(c["programme"]["code"], c["status"]) for c in body["certifications"]] == [
        ("tot", "certified"), ("victims", "certified")
    ]
    assert body["delivered"]["sessions_led"] == 0 and body["sessions_delivered"] == 0


def test_the_registry_is_scoped_per_agency_and_closed_to_other_roles(api, trainer, trainer_b, coordinator_a, agency_a):
    client = api(coordinator_a)
    assert client.get(api_url("trainer_detail", trainer_b.pk)).status_code == 404
    assert client.get(api_url("trainer_detail", trainer.pk)).status_code == 200
    assert client.get(api_url("trainer_detail", 999_999)).status_code == 404
    assert [row["id"] for row in client.get(api_url("trainer_list"), {"agency": trainer_b.profile.agency_id})
            .json()["results"]] == []
    for user in (trainer, person(username="learner", agency=agency_a),
                 person(username="editor", roles=[Role.EDITOR], agency=agency_a)):
        assert api(user).get(api_url("trainer_list")).status_code == 403
        assert api(user).get(api_url("trainer_detail", trainer.pk)).status_code == 403
