"""The dashboard shows sections by role, in the user's language, with a constant query count."""

import pytest
from django.core.management import call_command
from django.contrib.auth.models import User

from tests.factories import AgencyFactory, person

pytestmark = pytest.mark.django_db

EXPECTED_SECTIONS = {
    "trainee": ["courses", "tests"],
    "trainee.mia": ["courses", "tests"],
    "trainer": ["courses", "tests", "sessions"],
    "coordinator": ["courses", "tests", "sessions", "agency"],
    "coordinator.mia": ["courses", "tests", "sessions", "agency"],
    "editor": ["courses", "tests", "content"],
    "manager": ["courses", "tests", "agency", "content"],
    "admin": ["courses", "tests", "sessions", "agency", "content"],
}


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--without-curriculum", verbosity=0)


@pytest.mark.parametrize(("username", "sections"), EXPECTED_SECTIONS.items())
def test_each_demo_account_sees_its_sections(client, seeded, username, sections):
    client.force_login(User.objects.get(username=username))
    response = client.get("/en/dashboard/")
    assert response.status_code == 200
    assert [section.key for section in response.context["sections"]] == sections


def test_coordinator_sees_own_agency_only(client, seeded):
    client.force_login(User.objects.get(username="coordinator.mia"))
    html = client.get("/ru/dashboard/").content.decode()
    assert "Министерство внутренних дел" in html
    assert "Генеральная прокуратура" not in html


def test_dashboard_query_count_does_not_grow_with_people(client, seeded, django_assert_max_num_queries):
    client.force_login(User.objects.get(username="manager"))
    with django_assert_max_num_queries(12):
        client.get("/en/dashboard/")
    for number in range(10):
        person(username=f"extra{number}", agency=AgencyFactory(code=f"X{number}"))
    with django_assert_max_num_queries(12):
        assert client.get("/en/dashboard/").status_code == 200


@pytest.mark.parametrize(
    ("username", "linked"), [("trainer", True), ("coordinator", True), ("manager", True), ("trainee", False)]
)
def test_the_api_token_page_is_linked_for_the_people_who_use_the_api(client, seeded, username, linked):
    client.force_login(User.objects.get(username=username))
    links = [url for section in client.get("/en/dashboard/").context["sections"] for url, _label in section.links]
    assert ("/en/accounts/api-token/" in links) is linked
