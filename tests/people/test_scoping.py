"""A coordinator sees and changes the people of their own agency only (by URL, form or service)."""

import pytest
from django.urls import reverse

from lms.people import selectors, services
from lms.people.exceptions import InvalidAssignment, NotPermitted
from lms.people.models import Profile
from lms.people.roles import Role
from tests.factories import TrainingUnitFactory, person

pytestmark = pytest.mark.django_db


def edit_data(profile, **overrides):
    data = {
        "first_name": profile.user.first_name,
        "last_name": profile.user.last_name,
        "email": "",
        "agency": profile.agency_id,
        "unit": profile.unit_id or "",
        "region": profile.region_id or "",
        "position": profile.position,
        "gender": profile.gender,
        "language": profile.language,
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff_a(agency_a):
    return person(username="staff.a", agency=agency_a).profile


@pytest.fixture
def staff_b(agency_b):
    return person(username="staff.b", agency=agency_b).profile


def test_profile_list_is_limited_to_the_coordinators_agency(coordinator_a, staff_a, staff_b):
    visible = set(selectors.profile_list(actor=coordinator_a))
    assert staff_a in visible
    assert staff_b not in visible
    assert {profile.agency for profile in visible} == {staff_a.agency}


def test_programme_manager_sees_every_agency(manager, staff_a, staff_b):
    visible = set(selectors.profile_list(actor=manager))
    assert {staff_a, staff_b} <= visible


def test_trainers_and_trainees_manage_nobody(agency_a, staff_a):
    trainer = person(username="tr", roles=[Role.TRAINER], agency=agency_a)
    trainee = person(username="te", roles=[Role.TRAINEE], agency=agency_a)
    assert not selectors.profile_list(actor=trainer).exists()
    assert not selectors.profile_list(actor=trainee).exists()


def test_people_page_lists_only_own_agency(client, coordinator_a, staff_a, staff_b):
    client.force_login(coordinator_a)
    response = client.get(reverse("people:list"))
    assert response.status_code == 200
    usernames = {profile.user.username for profile in response.context["page"]}
    assert "staff.a" in usernames
    assert "staff.b" not in usernames


def test_trainee_is_refused_the_people_page(client, agency_a):
    trainee = person(username="te", roles=[Role.TRAINEE], agency=agency_a)
    client.force_login(trainee)
    assert client.get(reverse("people:list")).status_code == 403


def test_other_agencys_person_is_not_found_by_url(client, coordinator_a, staff_b):
    client.force_login(coordinator_a)
    url = reverse("people:edit", args=[staff_b.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, edit_data(staff_b, position="Changed", agency=coordinator_a.profile.agency_id))
    assert response.status_code == 404
    staff_b.refresh_from_db()
    assert staff_b.position == "Prosecutor"
    assert staff_b.agency.code == "MIA"


def test_moving_a_person_to_another_agency_by_tampering_is_refused(client, coordinator_a, staff_a, agency_b):
    client.force_login(coordinator_a)
    response = client.post(
        reverse("people:edit", args=[staff_a.pk]), edit_data(staff_a, agency=agency_b.pk, position="X")
    )
    assert response.status_code == 200  # the form comes back with an error
    assert "agency" in response.context["form"].errors
    staff_a.refresh_from_db()
    assert staff_a.agency.code == "GPO"
    assert staff_a.position == "Prosecutor"


def test_unit_of_another_agency_is_refused(client, coordinator_a, staff_a, agency_b):
    foreign_unit = TrainingUnitFactory(agency=agency_b)
    client.force_login(coordinator_a)
    response = client.post(
        reverse("people:edit", args=[staff_a.pk]), edit_data(staff_a, unit=foreign_unit.pk)
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    staff_a.refresh_from_db()
    assert staff_a.unit is None


def test_coordinator_edits_own_agency_person(client, coordinator_a, staff_a, agency_a):
    unit = TrainingUnitFactory(agency=agency_a)
    client.force_login(coordinator_a)
    response = client.post(
        reverse("people:edit", args=[staff_a.pk]),
        edit_data(staff_a, unit=unit.pk, position="Senior prosecutor", first_name="Merjen"),
    )
    assert response.status_code == 302
    staff_a.refresh_from_db()
    assert (staff_a.unit, staff_a.position, staff_a.user.first_name) == (unit, "Senior prosecutor", "Merjen")


def test_creating_a_person_in_another_agency_is_refused(client, coordinator_a, agency_b):
    client.force_login(coordinator_a)
    before = Profile.objects.count()
    response = client.post(
        reverse("people:create"),
        {
            "username": "intruder",
            "first_name": "A",
            "last_name": "B",
            "agency": agency_b.pk,
            "language": "tk",
        },
    )
    assert response.status_code == 200
    assert Profile.objects.count() == before
    assert not Profile.objects.filter(user__username="intruder").exists()


def test_coordinator_creates_a_person_in_own_agency(client, coordinator_a, agency_a):
    client.force_login(coordinator_a)
    response = client.post(
        reverse("people:create"),
        {
            "username": "new.person",
            "first_name": "Ogulgerek",
            "last_name": "Annaýewa",
            "agency": agency_a.pk,
            "gender": "female",
            "language": "ru",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user__username="new.person")
    assert profile.agency == agency_a
    assert not profile.user.has_usable_password()
    assert set(profile.user.groups.values_list("name", flat=True)) == {Role.TRAINEE}


def test_services_refuse_other_agencies_too(coordinator_a, staff_b, agency_a, agency_b):
    with pytest.raises(NotPermitted):
        services.profile_update(
            actor=coordinator_a,
            profile=staff_b,
            first_name="x",
            last_name="y",
            email="",
            agency=agency_a,
            unit=None,
            region=None,
            position="",
            gender="",
            language="tk",
        )
    with pytest.raises(NotPermitted):
        services.profile_create(
            actor=coordinator_a, username="z", first_name="z", last_name="z", agency=agency_b
        )
    with pytest.raises(InvalidAssignment):
        services.profile_create(
            actor=coordinator_a,
            username="z",
            first_name="z",
            last_name="z",
            agency=agency_a,
            unit=TrainingUnitFactory(agency=agency_b),
        )
    assert not Profile.objects.filter(user__username="z").exists()
