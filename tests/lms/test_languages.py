"""Language-prefixed URLs, the redirect of `/`, the switcher, and the admin in Russian for tk."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from lms.people.models import Profile
from lms.people.roles import Role
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, "/tk/"),
        ({"HTTP_ACCEPT_LANGUAGE": "ru-RU,ru;q=0.9,en;q=0.8"}, "/ru/"),
        ({"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}, "/en/"),
        ({"HTTP_ACCEPT_LANGUAGE": "de-DE,fr;q=0.8"}, "/tk/"),
        ({"HTTP_ACCEPT_LANGUAGE": "de,ru;q=0.5"}, "/ru/"),
    ],
)
def test_root_redirects_by_browser_language_then_turkmen(client, site_home, headers, expected):
    response = client.get("/", **headers)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_saved_preference_wins_over_browser_language(client, site_home, agency_a):
    user = person(username="pref", agency=agency_a, language="en")
    client.force_login(user)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response["Location"] == "/en/"


def test_language_cookie_counts_for_anonymous_visitors(client, site_home):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/ru/"


def test_three_locales_and_a_home_page_in_each_language(client, site_home):
    assert settings.WAGTAIL_I18N_ENABLED
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"en", "ru", "tk"}
    expectations = {
        "tk": "adam söwdasyna garşy okuw",
        "ru": "противодействию торговле людьми",
        "en": "Anti-trafficking training",
    }
    for code, fragment in expectations.items():
        response = client.get(f"/{code}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<html lang="{code}">' in html
        assert fragment in html


def test_ui_strings_are_translated(client, site_home):
    assert "Войти" in client.get("/ru/accounts/login/").content.decode()
    assert "Ulgama gir" in client.get("/tk/accounts/login/").content.decode()


def test_switcher_keeps_the_user_on_the_same_page(client, site_home):
    html = client.get("/tk/accounts/login/").content.decode()
    assert 'name="next" value="/ru/accounts/login/"' in html
    assert 'name="next" value="/en/accounts/login/"' in html
    home_html = client.get("/ru/").content.decode()
    assert 'name="next" value="/tk/"' in home_html


def test_switching_language_saves_the_preference_of_a_signed_in_user(client, site_home, agency_a):
    user = person(username="switcher", agency=agency_a, language="tk")
    client.force_login(user)
    response = client.post(
        reverse("set_language"), {"language": "ru", "next": "/ru/dashboard/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/ru/dashboard/"
    assert Profile.objects.get(user=user).language == "ru"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"


def test_switching_to_an_unknown_language_changes_nothing(client, site_home, agency_a):
    user = person(username="switcher2", agency=agency_a, language="tk")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "xx", "next": "/tk/"})
    assert Profile.objects.get(user=user).language == "tk"


def test_turkmen_editors_get_the_admin_in_russian(client, site_home, agency_a):
    editor = person(username="ed", roles=[Role.EDITOR], agency=agency_a, language="tk")
    client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "tk"
    response = client.get("/admin/")
    assert response.status_code == 200
    assert 'lang="ru"' in response.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert 'lang="en"' in client.get("/admin/").content.decode()


def test_people_names_follow_the_active_language(agency_a):
    with translation.override("tk"):
        assert agency_a.name == "Baş prokuratura"
    with translation.override("ru"):
        assert agency_a.name == "Генеральная прокуратура"
    agency_a.name_tk = ""
    with translation.override("tk"):
        assert agency_a.name == "General Prosecutor's Office"
