"""The site's header is kept in the cache per language, page and roles, never per person: the CSRF token of
its forms and the CSP nonce stay the request's own, and a publish or a role change shows at once."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token
from django.template import Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from lms.people.roles import Role
from lms.templatetags import site_tags
from lms.templatetags.site_tags import CSRF_PLACEHOLDER
from tests.courses.helpers import lesson_in
from tests.factories import person

pytestmark = pytest.mark.django_db

HEADER = "components/site_header.html"


@pytest.fixture
def trainee(agency_a):
    return person(username="learner", roles=[Role.TRAINEE], agency=agency_a)


def header_of(response) -> str:
    html = response.content.decode()
    return html[html.index('<header class="site-header">'):html.index("</header>")]


def rendered_header(response) -> bool:
    return HEADER in [template.name for template in response.templates]


def test_the_header_is_rendered_once_then_read_from_the_cache(client, curriculum, trainee):
    client.force_login(trainee)
    url = lesson_in(curriculum, "en").url
    first = client.get(url)
    second = client.get(url)
    assert rendered_header(first) and not rendered_header(second)
    assert header_of(first).replace(_token(first), "") == header_of(second).replace(_token(second), "")
    assert 'data-menu="courses" aria-current="page"' in header_of(second)


def _token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', header_of(response)).group(1)


def test_each_request_gets_its_own_csrf_token_and_nonce(curriculum, trainee, agency_a):
    other = person(username="other", roles=[Role.TRAINEE], agency=agency_a)
    url = lesson_in(curriculum, "en").url
    clients = []
    for user in (trainee, other):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        clients.append(client)
    first, second = (client.get(url) for client in clients)
    assert not rendered_header(second)  # the second person's header came from the cache
    for client, response in zip(clients, (first, second)):
        header = header_of(response)
        assert CSRF_PLACEHOLDER not in header
        token = _token(response)
        assert _unmask_cipher_token(token) == client.cookies["csrftoken"].value
        # the token works: the header's language form posts
        assert client.post(_language_action(header), {
            "language": "ru", "next": "/ru/", "csrfmiddlewaretoken": token,
        }).status_code == 302
    assert _token(first) != _token(second)


def test_a_header_that_carries_the_csp_nonce_is_never_shared(client, curriculum, trainee, monkeypatch):
    """No header template uses the nonce today; if one does, each request keeps its own."""
    monkeypatch.setattr(site_tags, "_render_header", lambda context: Template(
        '<header class="site-header"><script nonce="{{ request.csp_nonce }}" src="/x.js"></script></header>'
    ).render(context))
    client.force_login(trainee)
    responses = [client.get("/en/dashboard/") for _ in range(2)]
    nonces = [re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1) for response in responses]
    assert nonces[0] != nonces[1]
    for nonce, response in zip(nonces, responses):
        assert f'nonce="{nonce}"' in header_of(response)


def _language_action(header: str) -> str:
    return re.search(r'<form method="post" action="([^"]+)" class="language-switcher__form"', header).group(1)


def test_two_languages_do_not_share_a_header(client, curriculum, trainee):
    client.force_login(trainee)
    english = header_of(client.get("/en/dashboard/"))
    russian = header_of(client.get("/ru/dashboard/"))
    assert 'href="/en/"' in english and 'href="/ru/"' in russian
    assert "Dashboard" in english and "Dashboard" not in russian
    assert header_of(client.get("/en/dashboard/")).count("Dashboard") == english.count("Dashboard")


def test_a_role_change_shows_in_the_header_at_once(client, curriculum, trainee):
    client.force_login(trainee)
    assert 'data-menu="sessions"' not in header_of(client.get("/en/dashboard/"))
    trainee.groups.add(Group.objects.get(name=Role.TRAINER))
    assert 'data-menu="sessions"' in header_of(client.get("/en/dashboard/"))


def test_a_publish_shows_in_the_header_at_once(client, curriculum, trainee):
    """The language switcher links a page's translations: a new slug published for the Russian lesson is
    linked from the English lesson's (cached) header at once."""
    client.force_login(trainee)
    english, russian = lesson_in(curriculum, "en"), lesson_in(curriculum, "ru")
    assert f'value="{russian.url}"' in header_of(client.get(english.url))
    assert not rendered_header(client.get(english.url))
    russian.slug = "renamed-for-the-header"
    russian.save_revision().publish()
    russian.refresh_from_db()
    response = client.get(english.url)
    assert rendered_header(response)
    assert f'value="{russian.url}"' in header_of(response) and "renamed-for-the-header" in russian.url


def test_the_search_page_and_staff_headers_are_not_shared(client, curriculum, agency_a):
    coordinator = person(username="coord", roles=[Role.COORDINATOR], agency=agency_a)
    client.force_login(coordinator)
    client.get("/en/dashboard/")
    assert rendered_header(client.get("/en/dashboard/"))  # a coordinator's menu asks their agency's rights
    with translation.override("en"):
        search = reverse("courses:search")
    first = client.get(f"{search}?q=victim")
    assert rendered_header(first) and 'value="victim"' in header_of(first)
    client.force_login(person(username="learner2", roles=[Role.TRAINEE], agency=agency_a))
    client.get(search)
    assert rendered_header(client.get(search))  # the search page shows the query in the header's field


def test_a_made_up_address_adds_nothing_to_the_cache(client, curriculum, trainee):
    client.force_login(trainee)
    for number in range(3):
        response = client.get(f"/en/no-such-page-{number}/")
        assert response.status_code == 404
    assert not [key for key in cache._cache if ":lms:header:" in key]  # locmem's own store
