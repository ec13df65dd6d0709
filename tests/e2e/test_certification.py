"""A programme manager certifies a candidate whose requirements are met; the new trainer downloads the
certificate and its QR address verifies it."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from assessments.models import Assessment, Attempt
from courses.models import CourseCompletion
from lms.trainers import services
from lms.trainers.models import Certification, CertificationProgramme, ToTCohort
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "tot-demo-2026"


@pytest.fixture
def candidate_server(live_server):
    call_command("seed_demo", "--without-curriculum", verbosity=0)
    User = get_user_model()
    today = timezone.localdate()
    programme = CertificationProgramme.objects.create(
        code="tot-cjs", name_en="Certified trainer: anti-trafficking", name_tk="Ygtyýarly tälimçi: adam söwdasyna garşy göreş",
        name_ru="Сертифицированный тренер: противодействие торговле людьми", course_key=uuid.uuid4(),
    )
    post = Assessment.objects.create(slug="tot-post", title_en="ToT post-test", purpose="post", pass_mark=70)
    master = User.objects.get(username="trainer.mia")
    cohort = ToTCohort.objects.create(
        code="tot-e2e", title="ToT Daşoguz", programme=programme, starts_on=today - timedelta(days=5),
        ends_on=today, language="tk", post_test=post,
    )
    cohort.master_trainers.add(master)
    trainee = User.objects.get(username="trainee")
    candidate = services.candidate_nominate(actor=User.objects.get(username="coordinator"), cohort=cohort, user=trainee)
    CourseCompletion.objects.create(user=trainee, course_key=programme.course_key)
    Attempt.objects.create(
        assessment=post, user=trainee, state=Attempt.State.SUBMITTED, language="tk", submitted_at=timezone.now(),
        score=Decimal(9), max_score=Decimal(10), passed=True,
    )
    live_server.candidate = candidate
    live_server.master = master
    return live_server


def _login(page, server, username, language):
    page.goto(f"{server.url}/{language}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()


def test_a_manager_certifies_and_the_trainer_downloads_the_certificate(candidate_server, browser, screenshot, page, axe_check):
    candidate = candidate_server.candidate
    # the programme manager, in Russian
    _login(page, candidate_server, "manager", "ru")
    page.goto(f"{candidate_server.url}/ru/trainers/certifications/{candidate.pk}/")
    # the practice teaching is not evaluated yet: "Certify" is disabled, the missing requirement beside it
    assert page.locator("#requirements [data-met=no]").count() == 1
    assert page.locator("#decision button[value=grant]").is_disabled()
    assert "Ещё не выполнено" in page.locator("#unmet-requirements").inner_text()
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page, f"certification page at {width} px")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(f"40-certify-blocked-ru-{width}")
    # the manager records the master trainer's evaluation, naming them from a list of names
    page.locator("a[href$='/evaluate/']").click()
    page.wait_for_load_state()
    master = candidate_server.master
    options = page.locator("#id_evaluator option").all_inner_texts()
    assert any(option.startswith(master.get_full_name()) for option in options), options
    page.select_option("#id_evaluator", str(master.pk))
    for name, score in {"content_accuracy": 4, "victim_centred_language": 5, "facilitation": 4, "time_management": 4, "use_of_manual": 4}.items():
        page.check(f"input[name={name}][value='{score}']")
    page.fill("#id_topic", "Модуль 3")
    page.fill("#id_feedback", "Чётко, с ориентацией на потерпевших.")
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        axe_check(page, f"evaluation form at {width} px")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(f"40-evaluate-ru-{width}")
    with page.expect_navigation():
        page.locator("#evaluation button[type=submit]").click()
    assert candidate.evaluations.get().evaluator == master
    assert page.locator("#requirements [data-met=no]").count() == 0
    with page.expect_navigation():
        page.locator("#decision button[value=grant]").click()
    assert page.locator("[data-status]").get_attribute("data-status") == "certified"
    certification = Certification.objects.get(pk=candidate.pk)
    assert certification.number and certification.valid_until > timezone.localdate()
    message = page.locator(".messages, [role=status]").first.inner_text()
    assert f"Сертифицирован: {certification.number}, действителен до" in message, message
    screenshot("40-certified-ru")

    # the new trainer, in Turkmen, in a browser of their own
    context = browser.new_context(locale="tk-TM", accept_downloads=True)
    trainer_page = context.new_page()
    trainer_page.set_default_timeout(15_000)
    try:
        _login(trainer_page, candidate_server, "trainee", "tk")
        trainer_page.goto(f"{candidate_server.url}/tk/trainers/certificates/")
        assert certification.number in trainer_page.locator("main").inner_text()
        with trainer_page.expect_download() as download_info:
            trainer_page.locator(f"a[href*='/certifications/{certification.pk}/certificate.pdf'][href*='lang=tk']").first.click()
        pdf = open(download_info.value.path(), "rb").read()
    finally:
        context.close()
    assert pdf.startswith(b"%PDF-")
    text, pages = pdf_text(pdf)
    assert pages == 1
    verify_path = f"/tk/verify/{certification.code}/"
    assert certification.number in text and verify_path in text.replace(" ", "")

    # the address in the QR code answers to anyone, without a login
    page.context.clear_cookies()
    page.goto(candidate_server.url + verify_path)
    assert certification.number in page.locator("main").inner_text()
    screenshot("41-verify-tk")

