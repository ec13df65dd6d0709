"""Absolute links come from the public base URL (WAGTAILADMIN_BASE_URL); in the embedded default, from the
request's own host when there is a request."""

import pytest
from django.test import RequestFactory, override_settings
from django.utils import translation

from content.urls import EMBEDDED_BASE_URL, absolute_reverse_lazy, absolute_url, base_url


@override_settings(WAGTAILADMIN_BASE_URL="https://lms.example.tm/")
def test_the_configured_base_url_wins_over_the_request():
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8001")
    assert base_url(request) == "https://lms.example.tm"
    assert absolute_url("/ru/training/sessions/12/", request=request) == "https://lms.example.tm/ru/training/sessions/12/"
    assert absolute_url("calendar/x.ics") == "https://lms.example.tm/calendar/x.ics"


@override_settings(WAGTAILADMIN_BASE_URL=EMBEDDED_BASE_URL, ALLOWED_HOSTS=["*"])
def test_the_embedded_default_uses_the_requests_host_else_the_default():
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8001")
    assert base_url(request) == "http://127.0.0.1:8001"
    assert base_url() == EMBEDDED_BASE_URL


@pytest.mark.django_db
@override_settings(WAGTAILADMIN_BASE_URL="https://lms.example.tm")
def test_a_lazy_link_takes_the_language_active_when_it_is_rendered():
    with translation.override("en"):
        link = absolute_reverse_lazy("cascade:session_detail", args=[12])
    with translation.override("tk"):
        assert str(link) == "https://lms.example.tm/tk/training/sessions/12/"
    with translation.override("ru"):
        assert str(link) == "https://lms.example.tm/ru/training/sessions/12/"
