"""Login, logout, password change, and throttling of failed logins (django-axes)."""

import pytest
from django.urls import reverse
from django.utils import translation

from lms.people.roles import Role
from tests.factories import person

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-9"


@pytest.fixture
def trainee(agency_a):
    return person(username="learner", roles=[Role.TRAINEE], agency=agency_a)


def login(client, language, username, password):
    return client.post(
        f"/{language}/accounts/login/", {"username": username, "password": password}
    )


def test_login_leads_to_the_dashboard_in_the_same_language(client, site_home, trainee):
    response = login(client, "ru", "learner", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/ru/dashboard/"
    dashboard = client.get(response["Location"])
    assert dashboard.status_code == 200
    assert '<html lang="ru">' in dashboard.content.decode()


def test_wrong_password_says_so_and_does_not_log_in(client, site_home, trainee):
    response = login(client, "en", "learner", "wrong")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_the_session(client, site_home, trainee):
    client.force_login(trainee)
    assert client.get("/en/accounts/logout/").status_code == 405
    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client, site_home, trainee):
    client.force_login(trainee)
    response = client.post(
        "/tk/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Täze-parol-2026!", "new_password2": "Täze-parol-2026!"},
    )
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.check_password("Täze-parol-2026!")


def test_failed_logins_are_throttled_in_the_users_language(client, site_home, trainee, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "ru", "learner", "wrong").status_code == 200
    locked = login(client, "ru", "learner", "wrong")
    assert locked.status_code == 429
    with translation.override("ru"):
        expected = translation.gettext("Too many failed logins")
    assert expected != "Too many failed logins"
    assert expected in locked.content.decode()
    # even the right password is refused while the lock lasts
    assert login(client, "ru", "learner", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lock_is_per_username_and_address(client, site_home, trainee, agency_a, settings):
    other = person(username="colleague", agency=agency_a)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, "en", "learner", "wrong")
    response = login(client, "en", "colleague", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_dashboard_requires_login(client, site_home):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
