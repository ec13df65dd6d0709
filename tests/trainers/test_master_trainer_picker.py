"""The ToT cohort's master-trainer picker in the admin: who may be named, how they read, and the refusal of
anyone outside the scope whatever the browser posts."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from lms.people.roles import Role
from lms.trainers import selectors
from lms.trainers.admin_forms import NOT_A_POSSIBLE_MASTER, master_trainer_label
from lms.trainers.models import CertificationProgramme, ToTCohort
from tests.factories import person
from tests.trainers.helpers import make_certification

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def tot(db):
    return CertificationProgramme.objects.create(code="tot-picker", name_en="Certified trainer", course_key=uuid.uuid4())


@pytest.fixture
def cohort(tot):
    return ToTCohort.objects.create(
        code="tot-picker", title="ToT Balkan", programme=tot, starts_on=TODAY, ends_on=TODAY + timedelta(days=3),
        language="ru",
    )


@pytest.fixture
def people(tot, agency_a):
    """One person of each kind, by what they are."""
    current = person(username="cur", roles=[Role.TRAINER], agency=agency_a, first_name="Aýna", last_name="Orazowa")
    make_certification(current, tot, number="TOT-1", code="c-1")
    expired = person(username="exp", roles=[Role.TRAINER], agency=agency_a, first_name="Bahar", last_name="Ataýewa")
    make_certification(expired, tot, number="TOT-2", code="c-2", certified_on=TODAY - timedelta(days=800),
                       valid_until=TODAY - timedelta(days=1))
    revoked = person(username="rev", roles=[Role.TRAINER], agency=agency_a, first_name="Merdan", last_name="Hanow")
    make_certification(revoked, tot, status="revoked", number="TOT-3", code="c-3")
    international = person(username="intl", roles=[Role.TRAINER], agency=None, first_name="Gulshat", last_name="Kurbanova")
    manager = person(username="pm.picker", roles=[Role.MANAGER], agency=None, first_name="Jeren", last_name="Annaýewa")
    trainee = person(username="tr.only", roles=[Role.TRAINEE], agency=agency_a, first_name="Döwlet", last_name="Saparow")
    gone = person(username="gone", roles=[Role.MANAGER], agency=None, is_active=False)
    return {"current": current, "expired": expired, "revoked": revoked, "international": international,
            "manager": manager, "trainee": trainee, "gone": gone}


def test_the_scope_is_managers_and_trainers_whose_standing_has_not_lapsed(people):
    chosen = set(selectors.master_trainer_choices())
    assert chosen == {people["current"], people["international"], people["manager"]}


def test_a_master_already_named_stays_choosable_when_their_standing_lapsed(people):
    chosen = set(selectors.master_trainer_choices(keep=[people["expired"].pk]))
    assert people["expired"] in chosen and people["revoked"] not in chosen


def test_the_scope_takes_a_fixed_number_of_queries(people, django_assert_num_queries):
    with django_assert_num_queries(1):
        labels = [master_trainer_label(user) for user in selectors.master_trainer_choices()]
    assert len(labels) == 3


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    return client


def _edit_url(cohort):
    return reverse("wagtailsnippets_trainers_totcohort:edit", args=[cohort.pk])


def _post(client, cohort, masters):
    return client.post(_edit_url(cohort), {
        "title": cohort.title, "code": cohort.code, "programme": cohort.programme_id,
        "starts_on": cohort.starts_on.isoformat(), "ends_on": cohort.ends_on.isoformat(), "venue": "",
        "region": "", "language": cohort.language, "master_trainers": [user.pk for user in masters],
        "pre_test": "", "post_test": "",
    })


def test_the_picker_reads_names_agency_and_region_with_a_search_box(admin_client, cohort, people):
    html = admin_client.get(_edit_url(cohort)).content.decode()
    assert "Aýna Orazowa — Prosecutor · General Prosecutor&#x27;s Office · Balkan region" in html
    assert "Gulshat Kurbanova — Prosecutor · Balkan region" in html  # no agency: an international master
    assert 'value="%d"' % people["trainee"].pk not in html and ">tr.only<" not in html
    assert "data-person-picker" in html and 'type="search"' in html and "js/person-picker.js" in html
    # the box is hidden until the script shows it: the ticks work without JavaScript
    assert "data-person-picker-search hidden" in html


def test_a_person_outside_the_scope_is_refused_and_nothing_changes(admin_client, cohort, people):
    for outsider in (people["trainee"], people["expired"], people["revoked"], people["gone"]):
        response = _post(admin_client, cohort, [people["current"], outsider])
        assert response.status_code == 200
        assert str(NOT_A_POSSIBLE_MASTER) in response.content.decode()
        assert not cohort.master_trainers.exists()


def test_people_in_the_scope_are_saved_and_a_lapsed_master_already_named_is_kept(admin_client, cohort, people):
    response = _post(admin_client, cohort, [people["current"], people["international"]])
    assert response.status_code == 302
    assert set(cohort.master_trainers.all()) == {people["current"], people["international"]}
    cohort.master_trainers.add(people["expired"])  # named while their certification was current
    response = _post(admin_client, cohort, [people["current"], people["expired"]])
    assert response.status_code == 302
    assert set(cohort.master_trainers.all()) == {people["current"], people["expired"]}
