"""``agency_scope``: the one rule of which agencies a user may see and act on."""

import pytest
from django.contrib.auth.models import AnonymousUser

from lms.people import selectors
from lms.people.models import Agency, Profile
from lms.people.roles import Role
from tests.factories import person

pytestmark = pytest.mark.django_db


def test_a_programme_manager_has_every_agency(manager, agency_a, agency_b):
    scope = selectors.agency_scope(user=manager)
    assert scope.all and not scope.none
    assert scope.covers(agency_a.pk) and scope.covers(agency_b.pk)
    assert set(scope.agencies()) == set(Agency.objects.all())
    assert Profile.objects.filter(scope.q("agency")).count() == Profile.objects.count()


def test_a_coordinator_has_their_agency_only(coordinator_a, agency_a, agency_b):
    scope = selectors.agency_scope(user=coordinator_a)
    assert not scope.all and scope.own == agency_a
    assert scope.covers(agency_a.pk) and not scope.covers(agency_b.pk) and not scope.covers(None)
    assert list(scope.agencies()) == [agency_a]
    person(username="b.person", agency=agency_b)
    assert set(Profile.objects.filter(scope.q("agency")).values_list("agency", flat=True)) == {agency_a.pk}


@pytest.mark.parametrize("roles", [[Role.TRAINER], [Role.TRAINEE], [Role.EDITOR]])
def test_anyone_else_has_no_agency_even_their_own(roles, agency_a):
    user = person(username="someone", roles=roles, agency=agency_a)
    scope = selectors.agency_scope(user=user)
    assert scope.none and not scope.covers(agency_a.pk)
    assert not scope.agencies().exists() and not Profile.objects.filter(scope.q("agency")).exists()


def test_a_coordinator_without_an_agency_and_an_anonymous_user_have_none():
    assert selectors.agency_scope(user=person(username="lost", roles=[Role.COORDINATOR], agency=None)).none
    assert selectors.agency_scope(user=AnonymousUser()).none


def test_a_manager_who_coordinates_keeps_their_own_agency(agency_a):
    user = person(username="both", roles=[Role.MANAGER, Role.COORDINATOR], agency=agency_a)
    scope = selectors.agency_scope(user=user)
    assert scope.all and scope.own == agency_a


def test_the_lists_of_the_apps_use_it(coordinator_a, agency_a, agency_b):
    """The people list and the agencies a coordinator manages follow the scope."""
    person(username="a.person", agency=agency_a)
    person(username="b.person", agency=agency_b)
    assert list(selectors.managed_agency_list(actor=coordinator_a)) == [agency_a]
    assert {profile.agency_id for profile in selectors.profile_list(actor=coordinator_a)} == {agency_a.pk}
