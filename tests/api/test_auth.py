"""Signing in to the API: a token (made, shown once and reset on the account page) or the browser session."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lms.api import services
from tests.api.conftest import CheckedClient, api_url, schedule

pytestmark = pytest.mark.django_db


def token_page() -> str:
    with translation.override("en"):
        return reverse("api_token")


def shown_key(response) -> str | None:
    found = re.search(r'id="new-token".*?value="([0-9a-f]{40})"', response.content.decode(), re.S)
    return found.group(1) if found else None


def test_without_credentials_or_with_a_wrong_token_the_answer_is_401(schema, trainer):
    anonymous = CheckedClient(APIClient(), schema)
    response = anonymous.get(api_url("session_list"))
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    forged = APIClient()
    forged.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = CheckedClient(forged, schema).get(api_url("session_detail", 1))
    assert response.status_code == 401
    # the schema itself is public: programs read it before they have a token
    assert APIClient().get(api_url("schema")).status_code == 200


def test_a_token_made_on_the_account_page_is_shown_once_and_opens_the_api(client, trainer, programme):
    session = schedule(trainer, programme)
    client.force_login(trainer)
    page = client.get(token_page())
    assert page.status_code == 200 and shown_key(page) is None
    assert not Token.objects.filter(user=trainer).exists()
    made = client.post(token_page(), {"action": "reset"})
    key = shown_key(made)
    assert made.status_code == 200 and key == Token.objects.get(user=trainer).key
    assert "no-store" in made["Cache-Control"]
    # shown once: the page afterwards says that a token exists, not what it is
    again = client.get(token_page())
    assert shown_key(again) is None and key not in again.content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get(api_url("session_list"))
    assert response.status_code == 200 and [row["id"] for row in response.json()["results"]] == [session.pk]


def test_a_reset_token_stops_the_old_one_at_once(client, trainer):
    old = services.token_reset(user=trainer).key
    client.force_login(trainer)
    new = shown_key(client.post(token_page(), {"action": "reset"}))
    assert new and new != old
    with_old, with_new = APIClient(), APIClient()
    with_old.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    with_new.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert with_old.get(api_url("session_list")).status_code == 401
    assert with_new.get(api_url("session_list")).status_code == 200
    response = client.post(token_page(), {"action": "revoke"})
    assert response.status_code == 302 and not Token.objects.filter(user=trainer).exists()
    assert with_new.get(api_url("session_list")).status_code == 401


def test_the_token_page_needs_a_signed_in_user_and_a_csrf_token(trainer):
    from django.test import Client

    anonymous = Client()
    response = anonymous.get(token_page())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(trainer)
    assert guarded.post(token_page(), {"action": "reset"}).status_code == 403
    assert not Token.objects.filter(user=trainer).exists()


def test_the_browser_session_reads_and_writes_with_its_csrf_token(trainer, programme):
    session = schedule(trainer, programme)
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(trainer)
    assert browser.get(api_url("session_detail", session.pk)).status_code == 200
    # a write without the CSRF token is refused: another site cannot act through the user's session
    response = browser.post(api_url("session_submit", session.pk), format="json")
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.state == "draft"


def test_a_signed_in_browser_gets_json_not_the_browsable_pages(client, trainer, programme):
    """The browsable API is off (it failed with an AssertionError on some pages): a browser gets the JSON."""
    session = schedule(trainer, programme)
    client.force_login(trainer)
    for url in (api_url("session_list"), api_url("session_detail", session.pk)):
        response = client.get(url, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
        assert response.status_code == 200 and response["Content-Type"].startswith("application/json"), url
        assert "Victim-sensitive interviewing" in response.content.decode()
    only_html = client.get(api_url("session_list"), HTTP_ACCEPT="text/html")
    assert only_html.status_code == 406 and only_html["Content-Type"].startswith("application/json")