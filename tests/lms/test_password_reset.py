"""Password reset by e-mail: in the user's language, a working link, no user enumeration, a rate limit."""

import re

import pytest
from django.core import mail

from tests.factories import person

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/accounts/password-reset/\S+/\S+/")


@pytest.fixture(autouse=True)
def _mailbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _reset_and_log_in(client, *, username, email, language, page_language):
    response = client.post(f"/{page_language}/accounts/password-reset/", {"email": email})
    assert response.status_code == 302
    assert response["Location"] == f"/{page_language}/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [email]
    link = LINK.search(message.body).group(0)
    assert f"/{language}/accounts/password-reset/" in link
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get(f"/{path}", follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Kaskad-2026-new!", "new_password2": "Kaskad-2026-new!"})
    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/password-reset/complete/")
    client.logout()
    response = client.post(f"/{page_language}/accounts/login/", {"username": username, "password": "Kaskad-2026-new!"})
    assert response.status_code == 302, "the new password logs in"
    assert response.wsgi_request.user.username == username
    return message


def test_turkmen_user_gets_the_mail_in_turkmen(client):
    person(username="aman", email="aman@example.tm", language="tk", first_name="Aman")
    message = _reset_and_log_in(client, username="aman", email="aman@example.tm", language="tk", page_language="en")
    assert "täze paroly" in message.subject
    assert "Salam, Aman" in message.body and "Ulanyjy adyňyz: aman" in message.body


def test_russian_user_gets_the_mail_in_russian(client):
    person(username="olga", email="olga@example.tm", language="ru", first_name="Ольга")
    message = _reset_and_log_in(client, username="olga", email="olga@example.tm", language="ru", page_language="tk")
    assert "новый пароль" in message.subject
    assert "Здравствуйте, Ольга" in message.body


def test_a_used_link_does_not_work_twice(client):
    person(username="merdan", email="merdan@example.tm", language="en")
    _reset_and_log_in(client, username="merdan", email="merdan@example.tm", language="en", page_language="en")
    client.logout()
    link = LINK.search(mail.outbox[0].body).group(0)
    response = client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    assert "This link does not work any more" in response.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    person(username="known", email="known@example.tm")
    unknown = client.post("/en/accounts/password-reset/", {"email": "nobody@example.tm"})
    known = client.post("/en/accounts/password-reset/", {"email": "known@example.tm"})
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert [message.to for message in mail.outbox] == [["known@example.tm"]]


def test_a_few_requests_a_minute_per_address(client, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = 2
    person(username="busy", email="busy@example.tm", language="ru")
    for _ in range(2):
        assert client.post("/ru/accounts/password-reset/", {"email": "busy@example.tm"}).status_code == 302
    response = client.post("/ru/accounts/password-reset/", {"email": "BUSY@example.tm"})
    assert response.status_code == 429
    assert "Слишком много запросов ссылки" in response.content.decode()
    assert len(mail.outbox) == 2
    # the same answer for an address without an account: the limit tells nothing about accounts
    for _ in range(2):
        client.post("/ru/accounts/password-reset/", {"email": "ghost@example.tm"})
    assert client.post("/ru/accounts/password-reset/", {"email": "ghost@example.tm"}).status_code == 429


def test_a_bad_address_gets_a_message_not_an_error(client):
    response = client.post("/tk/accounts/password-reset/", {"email": "not an address"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode() or "errorlist" in response.content.decode() or "error" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("language", ["en", "ru", "tk"])
def test_the_login_page_links_to_the_reset(client, language):
    html = client.get(f"/{language}/accounts/login/").content.decode()
    assert f'href="/{language}/accounts/password-reset/"' in html
    assert client.get(f"/{language}/accounts/password-reset/").status_code == 200


def test_the_reset_page_is_in_turkmen(client):
    html = client.get("/tk/accounts/password-reset/").content.decode()
    assert "Paroly dikeltmek" in html
    assert "E-poçta" in html
