"""The QR code on a certificate and the links in reminders point at the public base URL, in the right
language; in the embedded default (no base URL set) the QR code points at the host the site was reached by."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from content.urls import EMBEDDED_BASE_URL
from lms.trainers import certificates, services
from lms.trainers.models import CompletionCertificate

pytestmark = pytest.mark.django_db

BASE = "https://lms.example.tm"


@pytest.fixture
def qr_payloads(monkeypatch):
    """The text each QR code is generated from (the PDF itself is not rendered)."""
    payloads = []
    real = certificates.qr_svg

    def spy(text):
        payloads.append(text)
        return real(text)

    monkeypatch.setattr(certificates, "qr_svg", spy)
    monkeypatch.setattr(certificates, "_render", lambda template, context, *, language: b"%PDF-1.7 fake")
    return payloads


@override_settings(WAGTAILADMIN_BASE_URL=BASE)
def test_a_certification_qr_code_points_at_the_public_base_url(client, certified, qr_payloads):
    client.force_login(certified.user)
    response = client.get(reverse("trainers:certification_pdf", args=[certified.pk]) + "?lang=tk", HTTP_HOST="10.0.0.5:8001")
    assert response.status_code == 200
    assert qr_payloads == [f"{BASE}/tk/verify/{certified.code}/"]


@override_settings(WAGTAILADMIN_BASE_URL=EMBEDDED_BASE_URL, ALLOWED_HOSTS=["*"])
def test_without_a_base_url_the_qr_code_points_at_the_host_in_use(client, trainer, qr_payloads):
    certificate = CompletionCertificate.objects.create(
        user=trainer, kind="session", session_id=12, title_en="Victim-sensitive interviewing",
        number="C-2026-00001", code="session-code", issued_on=date(2026, 3, 1),
    )
    client.force_login(trainer)
    url = reverse("trainers:completion_certificate_pdf", args=[certificate.pk]) + "?lang=ru"
    assert client.get(url, HTTP_HOST="127.0.0.1:8001").status_code == 200
    assert qr_payloads == ["http://127.0.0.1:8001/ru/verify/session-code/"]


@override_settings(WAGTAILADMIN_BASE_URL=BASE)
def test_a_reminder_to_a_turkmen_reader_links_to_tk(certified):
    assert certified.user.profile.language == "tk"
    services.expiry_reminders_send(today=certified.valid_until - timedelta(days=30))
    [message] = mail.outbox
    assert f"{BASE}/tk/trainers/certifications/{certified.pk}/" in message.body

