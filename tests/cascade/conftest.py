import uuid
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from lms.people.roles import Role
from lms.trainers.models import Certification, CertificationProgramme
from tests.factories import person

TODAY = timezone.localdate()
SOON = TODAY + timedelta(days=10)


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English: a request of an earlier test may have left Turkmen active."""
    with translation.override("en"):
        yield


@pytest.fixture
def programme(db):
    """The certification programme (modules that need a course of the curriculum define their own)."""
    return CertificationProgramme.objects.create(code="tot", name_en="Certified trainer", course_key=uuid.uuid4(), modules=[1, 2, 3, 4])


def certified(user, programme, *, valid_until=None, number=None):
    """Give ``user`` a valid certification in ``programme`` (each test module has its own programme)."""
    return Certification.objects.create(
        user=user, programme=programme, status="certified", number=number or f"TOT-{user.pk}",
        code=f"code-{user.pk}", certified_on=TODAY - timedelta(days=100),
        valid_until=valid_until or TODAY + timedelta(days=400),
    )


@pytest.fixture
def trainer(agency_a, programme):
    user = person(username="aygul", roles=[Role.TRAINER], agency=agency_a, language="en", email="aygul@example.org")
    certified(user, programme)
    return user


@pytest.fixture
def co_trainer(agency_a, programme):
    user = person(username="merdan", roles=[Role.TRAINER], agency=agency_a)
    certified(user, programme)
    return user
