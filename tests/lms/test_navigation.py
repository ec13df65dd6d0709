"""The header menu by role, the current section, the search box and the staff pages' breadcrumbs."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from lms.navigation import menu_items

pytestmark = pytest.mark.django_db

EXPECTED_MENU = {
    "trainee": ["dashboard", "courses", "tests", "certificates", "glossary"],
    "trainer": ["dashboard", "courses", "tests", "certificates", "glossary", "sessions", "calendar", "grading"],
    "coordinator": [
        "dashboard", "courses", "tests", "certificates", "glossary", "sessions", "approvals", "calendar", "ojt", "reports",
    ],
    "manager": ["dashboard", "courses", "reports", "reach", "registry", "cohorts", "admin"],
    "editor": ["dashboard", "courses", "admin"],
}
WIDE_MENU = re.compile(r'<div class="site-bar">(.*?)</div>\s*<nav class="language-switcher"', re.S)


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--without-curriculum", verbosity=0)


def _menu_html(html: str) -> str:
    return WIDE_MENU.search(html).group(1)


def _menu_keys(html: str) -> list[str]:
    return re.findall(r'data-menu="([a-z]+)"', _menu_html(html))


@pytest.mark.parametrize(("username", "keys"), EXPECTED_MENU.items())
def test_each_role_sees_its_menu_and_every_link_opens(client, seeded, username, keys):
    client.force_login(User.objects.get(username=username))
    html = client.get("/en/dashboard/").content.decode()
    assert _menu_keys(html) == keys
    # the phone menu is the same menu
    assert re.findall(r'data-menu="([a-z]+)"', html) == keys * 2
    for item in menu_items(user=User.objects.get(username=username), path="/en/dashboard/"):
        response = client.get(item.url.split("#")[0], follow=True)
        assert response.status_code == 200, (username, item.url)


def test_a_trainee_sees_no_staff_sections(client, seeded):
    client.force_login(User.objects.get(username="trainee"))
    menu = _menu_html(client.get("/en/dashboard/").content.decode())
    assert "/en/reports/" not in menu
    assert "/en/training/sessions/" not in menu
    assert "/admin/" not in menu


def test_the_current_section_is_marked(client, seeded):
    client.force_login(User.objects.get(username="coordinator"))
    for path, key in [
        ("/en/learn/glossary/", "glossary"),
        ("/en/dashboard/", "dashboard"),
        ("/en/training/sessions/", "sessions"),
        ("/en/training/approvals/", "approvals"),
        ("/en/training/calendar/month/", "calendar"),
        ("/en/reports/knowledge-gain/", "reports"),
        ("/en/training/ojt/", "ojt"),
    ]:
        menu = _menu_html(client.get(path).content.decode())
        assert re.findall(r'data-menu="([a-z]+)" aria-current="page"', menu) == [key], path


def test_the_menu_is_in_the_page_language(client, seeded):
    client.force_login(User.objects.get(username="trainer"))
    menu = _menu_html(client.get("/ru/dashboard/").content.decode())
    assert 'href="/ru/training/sessions/"' in menu
    assert "Обучения" in menu and "Сертификаты" in menu


@pytest.mark.parametrize("path", ["/en/", "/en/accounts/login/", "/en/dashboard/", "/en/training/sessions/"])
def test_every_page_has_the_search_box(client, seeded, path):
    client.force_login(User.objects.get(username="trainer"))
    html = client.get(path, follow=True).content.decode()
    assert '<form class="site-search" role="search" method="get" action="/en/learn/search/">' in html
    assert '<label for="site-search-wide" class="visually-hidden">' in html
    assert 'id="site-search-phone" name="q"' in html


def test_the_phone_menu_folds_behind_a_disclosure(client, seeded):
    client.force_login(User.objects.get(username="trainee"))
    html = client.get("/en/dashboard/").content.decode()
    assert '<details class="site-menu">' in html
    assert '<summary class="site-menu__toggle">Menu</summary>' in html


@pytest.mark.parametrize(
    ("username", "path", "trail"),
    [
        ("coordinator", "/en/training/sessions/", ["Dashboard", "Cascade sessions"]),
        ("coordinator", "/en/training/approvals/", ["Dashboard", "Sessions to approve"]),
        ("coordinator", "/en/training/calendar/month/", ["Dashboard", "Calendar"]),
        ("coordinator", "/en/training/ojt/", ["Dashboard", "On-the-job training"]),
        ("coordinator", "/en/training/ojt/records/", ["Dashboard", "On-the-job training", "OJT records"]),
        ("trainer", "/en/training/grading/", ["Dashboard", "Answers to grade"]),
        ("trainer", "/en/training/paper/", ["Dashboard", "Tests on paper"]),
        ("manager", "/en/reports/knowledge-gain/", ["Dashboard", "Knowledge gain"]),
        ("manager", "/en/reports/reach/", ["Dashboard", "Knowledge gain", "Reach of the cascade"]),
        ("manager", "/en/trainers/", ["Dashboard", "Trainer registry"]),
        ("manager", "/en/trainers/cohorts/", ["Dashboard", "ToT cohorts"]),
    ],
)
def test_staff_pages_have_breadcrumbs(client, seeded, username, path, trail):
    client.force_login(User.objects.get(username=username))
    html = client.get(path).content.decode()
    nav = re.search(r'<nav class="breadcrumbs" aria-label="Breadcrumb">(.*?)</nav>', html, re.S).group(1)
    labels = [label.strip() for label in re.findall(r">([^<>]+)</(?:a|span)>", nav)]
    assert labels == trail
    assert f'<span aria-current="page">{trail[-1]}</span>' in nav
    assert nav.count('aria-current="page"') == 1


def test_session_pages_lead_back_through_the_session(client, seeded):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import CascadeSessionFactory

    coordinator = User.objects.get(username="coordinator")
    first = timezone.localdate() - timedelta(days=3)
    session = CascadeSessionFactory(
        title="Identifying victims", course_key="00000000-0000-0000-0000-000000000001",
        lead_trainer=User.objects.get(username="trainer"), agency=coordinator.profile.agency,
        venue="Mary", capacity=30, state="delivered", first=first,
    )
    day = session.days.get()
    client.force_login(coordinator)
    for suffix, last in [
        ("", session.title), ("roster/", "Roster"), ("report/", "Report"), (f"attendance/{day.pk}/", "Attendance"),
    ]:
        response = client.get(f"/en/training/sessions/{session.pk}/{suffix}")
        assert response.status_code == 200, suffix
        nav = re.search(r'<nav class="breadcrumbs".*?</nav>', response.content.decode(), re.S).group(0)
        assert f'<a href="/en/training/sessions/{session.pk}/">' in nav or not suffix
        assert 'href="/en/training/sessions/"' in nav
        assert f'<span aria-current="page">{last}</span>' in nav


def test_the_menu_costs_at_most_one_query(client, seeded, django_assert_max_num_queries, settings):
    """The dashboard with the menu takes at most two queries more than without it: the roles, and for a
    coordinator whether they have an agency (the OJT and report views ask it too)."""
    client.force_login(User.objects.get(username="coordinator"))
    client.get("/en/dashboard/")  # warm the caches (the course index address)
    processors = settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "OPTIONS": {**settings.TEMPLATES[0]["OPTIONS"], "context_processors": [
            name for name in processors if name != "lms.navigation.navigation"
        ]}}
    ]
    with CaptureQueriesContext(connection) as without_menu:
        html = client.get("/en/dashboard/").content.decode()
    assert "data-menu=" not in html
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "OPTIONS": {**settings.TEMPLATES[0]["OPTIONS"], "context_processors": processors}}
    ]
    with django_assert_max_num_queries(len(without_menu) + 2):
        assert "data-menu=" in client.get("/en/dashboard/").content.decode()


def test_a_coordinator_without_an_agency_sees_only_links_that_open(client, seeded):
    from tests.factories import person
    from lms.people.roles import Role

    lost = person(username="coord.none", roles=[Role.COORDINATOR], agency=None)
    client.force_login(lost)
    html = client.get("/en/dashboard/").content.decode()
    keys = _menu_keys(html)
    assert "ojt" not in keys and "reports" not in keys and "sessions" in keys
    for item in menu_items(user=User.objects.get(pk=lost.pk), path="/en/dashboard/"):
        response = client.get(item.url.split("#")[0], follow=True)
        assert response.status_code == 200, item.url
