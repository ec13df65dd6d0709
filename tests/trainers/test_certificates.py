"""Certificates: the PDFs (fonts, QR address, one page), who may download them, the holder's list, the
course certificate issued once, and the public verification page with its rate limit."""

import re
from datetime import date, timedelta
from types import SimpleNamespace
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import translation

from courses.models import CourseCompletion
from lms.people.roles import Role
from lms.trainers import certificates
from lms.trainers.exceptions import COURSE_NOT_COMPLETED
from lms.trainers.models import Certification, CompletionCertificate
from content import ratelimit
from tests.factories import person
from tests.pdf import pdf_text
from tests.trainers.helpers import TODAY, TURKMEN_PROGRAMME, make_certification

pytestmark = pytest.mark.django_db

@pytest.fixture
def fake_pdf(monkeypatch):
    """Skip WeasyPrint where only who gets a PDF matters."""
    monkeypatch.setattr(certificates, "certification_pdf", lambda **kwargs: b"%PDF-1.7 fake")
    monkeypatch.setattr(certificates, "completion_pdf", lambda **kwargs: b"%PDF-1.7 fake")


# --- the PDFs ------------------------------------------------------------------------------------------


def test_the_trainer_downloads_their_certificate_in_turkmen(client, certified):
    client.force_login(certified.user)
    response = client.get(reverse("trainers:certification_pdf", args=[certified.pk]) + "?lang=tk")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="certificate-TOT-2025-0001-tk.pdf"' in response["Content-Disposition"]
    text, pages = pdf_text(response.content)
    assert pages == 1
    assert "TOT-2025-0001" in text
    assert "http://testserver/tk/verify/Tk-code_0001/" in text
    assert "Goňşyýewa" in text, text[:400]
    assert "garşy göreş" in text, text[:400]


def test_a_seventy_letter_name_and_a_long_programme_fit_on_one_page(agency_a, programme):
    name_first, name_last = "Ogulşirin-Aýnagözel Gülälek", "Goňşyýewa-Myratberdiýewa Bägül Ýazmuhammet"
    long_name = person(
        username="long", roles=[Role.TRAINER], agency=agency_a, first_name=name_first, last_name=name_last
    )
    assert len(long_name.get_full_name()) == 70
    certification = make_certification(long_name, programme, number="TOT-2025-0002", code="Ru-code_0002")
    assert certificates.fitted_size(long_name.get_full_name(), largest=30, smallest=13, line_mm=235) < 30
    data = certificates.certification_pdf(
        certification=certification, language="ru", base_url="https://lms.example.tm/"
    )
    text, pages = pdf_text(data)
    assert pages == 1
    assert "TOT-2025-0002" in text
    assert "https://lms.example.tm/ru/verify/Ru-code_0002/" in text
    assert "Goňşyýewa-Myratberdiýewa" in text and "правоохранительных органов" in text, text[:400]


def test_the_font_size_falls_with_the_length_between_its_bounds():
    assert certificates.fitted_size("Aýna Orazowa", largest=30, smallest=13, line_mm=235) == 30
    assert certificates.fitted_size("x" * 70, largest=30, smallest=13, line_mm=235) < 20
    assert certificates.fitted_size("x" * 500, largest=30, smallest=13, line_mm=235) == 13


# --- who may download --------------------------------------------------------------------------------------


def test_a_trainee_of_the_same_agency_gets_a_404_for_someone_elses(client, certified, agency_a, fake_pdf):
    client.force_login(person(username="colleague", roles=[Role.TRAINEE], agency=agency_a))
    assert client.get(reverse("trainers:certification_pdf", args=[certified.pk])).status_code == 404


def test_the_coordinator_of_another_agency_gets_a_404(client, certified, coordinator_b, fake_pdf):
    client.force_login(coordinator_b)
    assert client.get(reverse("trainers:certification_pdf", args=[certified.pk])).status_code == 404


@pytest.mark.parametrize("who", ["manager", "coordinator_a"])
def test_the_manager_and_the_agencys_coordinator_may(client, certified, who, request, fake_pdf):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("trainers:certification_pdf", args=[certified.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_anonymous_people_are_sent_to_log_in(client, certified):
    response = client.get(reverse("trainers:certification_pdf", args=[certified.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("status", ["candidate", "revoked"])
def test_candidates_and_revoked_trainers_have_no_certificate(client, trainer, programme, status, fake_pdf):
    certification = make_certification(trainer, programme, status=status)
    client.force_login(trainer)
    assert client.get(reverse("trainers:certification_pdf", args=[certification.pk])).status_code == 404


@pytest.mark.parametrize("status", ["expired", "suspended"])
def test_expired_and_suspended_trainers_still_have_theirs(client, trainer, programme, status, fake_pdf):
    certification = make_certification(trainer, programme, status=status)
    client.force_login(trainer)
    assert client.get(reverse("trainers:certification_pdf", args=[certification.pk])).status_code == 200


# --- the holder's list and the course certificate -----------------------------------------------------


def test_my_certificates_lists_certifications_and_completed_courses(client, certified, curriculum):
    tot = curriculum["tot"]
    CourseCompletion.objects.create(user=certified.user, course_key=tot.translation_key)
    client.force_login(certified.user)
    response = client.get(reverse("trainers:my_certificates"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "TOT-2025-0001" in page
    for language in ("tk", "ru", "en"):
        assert reverse("trainers:certification_pdf", args=[certified.pk]) + f"?lang={language}" in page
    assert reverse("trainers:course_certificate_pdf", args=[tot.translation_key]) in page
    assert tot.title in page


def test_the_course_certificate_is_refused_before_completion_and_issued_once_after(client, trainer, curriculum):
    tot = curriculum["tot"]
    client.force_login(trainer)
    with translation.override("ru"):
        url = reverse("trainers:course_certificate_pdf", args=[tot.translation_key])
        mine = reverse("trainers:my_certificates")
    assert url.startswith("/ru/")

    response = client.get(url, follow=True)
    assert response.redirect_chain == [(mine, 302)]
    with translation.override("ru"):
        refusal = str(COURSE_NOT_COMPLETED)
    assert refusal in response.content.decode()
    assert not CompletionCertificate.objects.exists()

    CourseCompletion.objects.create(user=trainer, course_key=tot.translation_key)
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    certificate = CompletionCertificate.objects.get(user=trainer)
    assert certificate.title_ru and certificate.title_en == tot.title
    assert f"certificate-{certificate.number}-ru.pdf" in first["Content-Disposition"]
    text, pages = pdf_text(first.content)
    assert pages == 1
    assert certificate.number in text
    assert f"http://testserver/ru/verify/{certificate.code}/" in text

    second = client.get(url)
    assert second.status_code == 200
    assert CompletionCertificate.objects.get(user=trainer).number == certificate.number
    assert f"certificate-{certificate.number}-ru.pdf" in second["Content-Disposition"]


# --- verification ---------------------------------------------------------------------------------------


def _verify(client, code, language="en"):
    with translation.override(language):
        return client.get(reverse("verify", args=[code]))


@pytest.mark.parametrize(
    "status, valid_until, shown",
    [
        ("certified", TODAY + timedelta(days=30), "Valid"),
        ("certified", TODAY, "Valid"),
        ("expired", TODAY - timedelta(days=3), "Expired"),
        ("certified", TODAY - timedelta(days=1), "Expired"),  # before the daily job marks it
        ("suspended", TODAY + timedelta(days=30), "Suspended"),
        ("revoked", TODAY + timedelta(days=30), "Revoked"),
    ],
)
def test_the_verification_page_shows_the_status_and_nothing_private(client, certified, status, valid_until, shown):
    Certification.objects.filter(pk=certified.pk).update(status=status, valid_until=valid_until)
    response = _verify(client, certified.code)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(rf'id="verification-status"><strong>{shown}</strong>', page), page
    assert "Aýşirin Goňşyýewa" in page
    assert "TOT-2025-0001" in page
    assert "Training of trainers on combating trafficking in persons" in page
    assert valid_until.strftime("%-d %b %Y") in page  # the English short date: "6 Jan 2027"
    assert '<meta name="robots" content="noindex">' in page
    assert response["X-Robots-Tag"] == "noindex"
    for private in ("Prosecutor", "Baş prokuratura", "aysirin@example.org", "aysirin"):
        assert private not in page.replace("Aýşirin", "")


def test_the_verification_page_speaks_the_language_of_the_address(client, certified):
    page = _verify(client, certified.code, language="tk").content.decode()
    assert TURKMEN_PROGRAMME in page


def test_a_candidate_code_and_an_unknown_code_are_not_found(client, trainer, programme):
    Certification.objects.create(user=trainer, programme=programme, code="candidate-code")
    for code in ("candidate-code", "no-such-code"):
        response = _verify(client, code)
        assert response.status_code == 404
        page = response.content.decode()
        assert "No certificate has this code" in page
        assert "Aýşirin" not in page
        assert '<meta name="robots" content="noindex">' in page


def test_a_certificate_of_completion_is_verified_too(client, trainer):
    certificate = CompletionCertificate.objects.create(
        user=trainer, course_key=uuid4(), title_en="Basic course", title_ru="Базовый курс", number="C-2025-00001",
        code="completion-code", issued_on=date(2025, 3, 1),
    )
    page = _verify(client, certificate.code, language="ru").content.decode()
    assert "Базовый курс" in page and "C-2025-00001" in page and "01.03.2025" in page
    certificate.revoked = True
    certificate.save()
    with translation.override("ru"):
        revoked = str(Certification.Status.REVOKED.label)
    assert revoked in _verify(client, certificate.code, language="ru").content.decode()


def test_checks_are_rate_limited_per_address(client, settings, monkeypatch):
    settings.VERIFY_RATE_LIMIT = 3
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_000.0))
    for _ in range(3):
        assert _verify(client, "no-such-code").status_code == 404
    limited = _verify(client, "no-such-code")
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"
    assert "Too many checks from your address" in limited.content.decode()
    # another address is counted on its own
    with translation.override("en"):
        url = reverse("verify", args=["no-such-code"])
    assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 404
