from uuid import uuid4

import pytest
from django.utils import translation

from lms.people.roles import Role
from lms.trainers import delivery
from lms.trainers.models import CertificationProgramme
from tests.factories import person
from tests.trainers.helpers import LONG_RUSSIAN_PROGRAMME, TURKMEN_PROGRAMME, make_certification


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English: a request of an earlier test may have left Turkmen active."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _provider_restored():
    """Tests replace the delivery provider (cascade registers the real one): put it back afterwards."""
    previous = delivery.provider_set(None)
    delivery.provider_set(previous)
    yield
    delivery.provider_set(previous)


# --- a certified trainer (test modules that need another one define their own) --------------------------


@pytest.fixture
def programme(db):
    return CertificationProgramme.objects.create(
        code="tot",
        name_en="Training of trainers on combating trafficking in persons",
        name_ru=LONG_RUSSIAN_PROGRAMME,
        name_tk=TURKMEN_PROGRAMME,
        course_key=uuid4(),
    )


@pytest.fixture
def trainer(agency_a):
    return person(
        username="aysirin", roles=[Role.TRAINER], agency=agency_a, first_name="Aýşirin", last_name="Goňşyýewa",
        email="aysirin@example.org",
    )


@pytest.fixture
def certified(trainer, programme):
    return make_certification(trainer, programme)
