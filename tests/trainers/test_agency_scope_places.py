"""The places of the trainers' and reports' apps that scope by agency, for a manager, a coordinator (with
and without an agency) and anyone else: each follows ``lms.people.selectors.agency_scope``."""

from datetime import date, timedelta
from uuid import uuid4

import pytest

from lms.people.roles import Role
from lms.reports import reach
from lms.reports import selectors as report_selectors
from lms.trainers import exceptions as errors
from lms.trainers import registry, selectors, services
from lms.trainers.models import Certification, CertificationProgramme, ToTCohort
from tests.factories import person

pytestmark = pytest.mark.django_db

TODAY = date.today()


@pytest.fixture
def cohort_with_two_agencies(agency_a, agency_b):
    """An open cohort with a certified trainer of agency A and one of agency B."""
    programme = CertificationProgramme.objects.create(code="ctip-tot", name_en="Trainers", course_key=uuid4(), modules=[1])
    cohort = ToTCohort.objects.create(
        programme=programme, code="C-1", title="C-1", language="en", starts_on=TODAY - timedelta(days=10), ends_on=TODAY + timedelta(days=10)
    )
    for number, agency in enumerate((agency_a, agency_b), start=1):
        user = person(username=f"trainer.{agency.code.lower()}", roles=[Role.TRAINER], agency=agency)
        Certification.objects.create(
            user=user, programme=programme, cohort=cohort, agency=agency, status=Certification.Status.CERTIFIED,
            number=f"TOT-{number:04d}", code=f"verify-{number}-{uuid4().hex[:12]}",
            certified_on=TODAY - timedelta(days=5), valid_until=TODAY + timedelta(days=600),
        )
    return cohort


def _actors(manager, coordinator_a):
    return {
        "manager": manager,
        "coordinator": coordinator_a,
        "coordinator without agency": person(username="lost", roles=[Role.COORDINATOR], agency=None),
        "trainee": person(username="someone", roles=[Role.TRAINEE]),
    }


def test_certifications_and_the_registry_follow_the_scope(cohort_with_two_agencies, manager, coordinator_a, agency_a):
    actors = _actors(manager, coordinator_a)
    seen = {name: {c.agency.code for c in selectors.certification_list(actor=user)} for name, user in actors.items()}
    assert seen == {"manager": {"GPO", "MIA"}, "coordinator": {"GPO"}, "coordinator without agency": set(), "trainee": set()}
    in_registry = {name: {c.agency.code for c in registry._scoped(actor=user)} for name, user in actors.items()}
    assert in_registry == seen
    allowed = {name: registry.registry_allowed(user=user) for name, user in actors.items()}
    assert allowed == {"manager": True, "coordinator": True, "coordinator without agency": True, "trainee": False}


def test_cohorts_follow_the_scope(cohort_with_two_agencies, manager, coordinator_a):
    ended = ToTCohort.objects.create(
        programme=cohort_with_two_agencies.programme, code="C-0", title="C-0", language="en",
        starts_on=TODAY - timedelta(days=90), ends_on=TODAY - timedelta(days=60),
    )
    actors = _actors(manager, coordinator_a)
    seen = {name: {c.code for c in selectors.cohort_list(actor=user)} for name, user in actors.items()}
    assert seen == {"manager": {"C-0", "C-1"}, "coordinator": {"C-1"}, "coordinator without agency": set(), "trainee": set()}
    assert ended.code not in seen["coordinator"]


def test_nomination_follows_the_scope(cohort_with_two_agencies, manager, coordinator_a, agency_a, agency_b):
    ours = person(username="ours", agency=agency_a)
    theirs = person(username="theirs", agency=agency_b)
    nowhere = person(username="nowhere", agency=None)
    with pytest.raises(errors.NotPermitted):
        services.candidate_nominate(actor=coordinator_a, cohort=cohort_with_two_agencies, user=theirs)
    with pytest.raises(errors.NotPermitted):  # a person of no agency: nobody's to put forward
        services.candidate_nominate(actor=manager, cohort=cohort_with_two_agencies, user=nowhere)
    assert services.candidate_nominate(actor=coordinator_a, cohort=cohort_with_two_agencies, user=ours).agency == agency_a
    assert services.candidate_nominate(actor=manager, cohort=cohort_with_two_agencies, user=theirs).agency == agency_b


def test_the_reports_follow_the_scope(manager, coordinator_a, agency_a):
    actors = _actors(manager, coordinator_a)
    assert {name: report_selectors.reports_allowed(user=user) for name, user in actors.items()} == {
        "manager": True, "coordinator": True, "coordinator without agency": False, "trainee": False,
    }
    scopes = {name: reach.reach_scope(user=user) for name, user in actors.items()}
    assert scopes["manager"].national
    assert (scopes["coordinator"].national, scopes["coordinator"].agency_id, scopes["coordinator"].agency_code) == (
        False, agency_a.pk, "GPO"
    )
    assert scopes["coordinator without agency"] is None and scopes["trainee"] is None
