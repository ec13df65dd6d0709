"""The trainer kit: a real PDF in the session's language with the agenda, module outlines and trainer notes,
an attendance sheet per day, the paper forms in paper mode; only for those who run the session."""

from datetime import time, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, translation

from assessments import services as assessment_services
from lms.cascade import kit, services
from lms.cascade.models import CascadeSession
from lms.cascade.services import Day
from lms.people.roles import Role
from lms.trainers.models import CertificationProgramme
from tests.assessments.bank import bank_load
from tests.assessments.helpers import PAPER_KEYS, paper_test
from tests.cascade.conftest import SOON, certified
from tests.factories import person
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

DAYS = [Day(SOON, time(9), time(13)), Day(SOON + timedelta(days=1), time(9, 30), time(12))]


@pytest.fixture
def programme(curriculum):
    """A programme over the seeded small course (modules 1 and 2, with trainer notes in every lesson)."""
    return CertificationProgramme.objects.create(
        code="tot-kit", name_en="Certified trainer", course_key=curriculum["tot"].translation_key, modules=[1, 2]
    )


def _session(trainer, programme, *, language="en", days=DAYS, **overrides) -> CascadeSession:
    values = {
        "title": "Victim-sensitive interviewing", "course_key": programme.course_key, "modules": [1, 2],
        "days": days, "venue": "Dashoguz regional prosecutor's office", "capacity": 12, "language": language,
    }
    values.update(overrides)
    return services.session_schedule(actor=trainer, **values)


def _participants(session, trainer, agency, count, *, start=0):
    people = [
        person(username=f"p{number}", agency=agency, first_name="Bägül", last_name=f"Annaýewa{number}")
        for number in range(start, start + count)
    ]
    for user in people:
        services.participant_add(actor=trainer, session=session, user=user)
    return people


def _visible(session):
    """The session as the views read it (``selectors.session_list`` joins agency, unit, region, trainer)."""
    return CascadeSession.objects.select_related("lead_trainer", "agency", "unit", "region").get(pk=session.pk)


def test_the_kit_is_a_real_pdf_with_agenda_outlines_notes_and_an_attendance_sheet(trainer, programme, agency_a):
    session = _session(trainer, programme)
    people = _participants(session, trainer, agency_a, 3)
    text, pages = pdf_text(kit.session_kit_pdf(session=_visible(session), base_url="http://testserver"))
    with translation.override("en"):
        for day in DAYS:
            assert formats.date_format(day.date, "DATE_FORMAT") in text
        assert "Agenda" in text and "Attendance sheet" in text
    assert "English module 2" in text  # a module title
    assert "English lesson interviewing two" in text  # a lesson of module 2
    assert "English objective" in text  # the module's learning objectives
    assert "English one step one" in text  # a TrainerNotesBlock step
    assert "English one secret facilitation note." in text  # a case study's trainer notes
    for user in people:
        assert user.last_name in text
    # cover, agenda, module outlines, then one attendance sheet per day
    assert pages >= 5


def test_the_agenda_spreads_the_modules_over_the_days_in_order():
    assert kit.agenda(["d1", "d2"], [1, 2, 3]) == [("d1", [1, 2]), ("d2", [3])]
    assert kit.agenda(["d1", "d2", "d3"], [1]) == [("d1", [1]), ("d2", []), ("d3", [])]
    assert kit.agenda(["d1"], [1, 2]) == [("d1", [1, 2])]
    assert kit.agenda([], [1]) == []


def test_a_russian_session_gets_a_russian_kit(trainer, programme, agency_a):
    session = _session(trainer, programme, language="ru")
    _participants(session, trainer, agency_a, 1)
    text, _pages = pdf_text(kit.session_kit_pdf(session=_visible(session), base_url="http://testserver"))
    for heading in ("Ведомство", "Место проведения", "Ведущий тренер", "Цели обучения", "Уроки", "Должность"):
        assert heading in text, heading
    assert "Русский module 1" in text  # the module title in the session's language
    assert "Русский one step one" in text  # and the trainer notes of the Russian lesson
    assert "Agency" not in text and "English module 1" not in text


def test_paper_mode_appends_the_forms_and_says_where_to_make_them(trainer, programme, agency_a, site_home):
    bank_load()
    session = _session(trainer, programme, test_mode=CascadeSession.TestMode.PAPER)
    _participants(session, trainer, agency_a, 2)
    text, without = pdf_text(kit.session_kit_pdf(session=_visible(session), base_url="http://testserver"))
    assert "no paper form is attached" in text
    assert f"http://testserver/en/training/sessions/{session.pk}/tests/" in text  # where to make one
    form = assessment_services.paper_form_create(assessment=paper_test("pre", PAPER_KEYS), language="en", user=trainer)
    session.paper_forms.add(form)
    text, pages = pdf_text(kit.session_kit_pdf(session=_visible(session), base_url="http://testserver"))
    assert pages >= without + 2  # the form's items and its answer sheet
    assert form.code in text and "Answer sheet" in text
    assert "no paper form is attached" not in text
    # an online session never carries the forms
    session.test_mode = CascadeSession.TestMode.ONLINE
    session.save(update_fields=["test_mode"])
    assert pdf_text(kit.session_kit_pdf(session=_visible(session), base_url="http://testserver"))[1] == without


def test_the_kit_reads_in_a_bounded_number_of_queries(trainer, programme, agency_a):
    session = _session(trainer, programme)
    _participants(session, trainer, agency_a, 2)

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            kit.kit_context(session=_visible(session), base_url="http://testserver")
        return len(queries)

    few = count()
    _participants(session, trainer, agency_a, 8, start=10)
    assert count() == few


# --- who gets it -----------------------------------------------------------------------------------------


@pytest.fixture
def fake_pdf(monkeypatch):
    """Skip WeasyPrint where only who gets the kit matters."""
    monkeypatch.setattr(kit, "session_kit_pdf", lambda **kwargs: b"%PDF-1.7 fake")


def test_the_lead_and_the_agencys_coordinator_download_it(client, trainer, programme, coordinator_a, manager, fake_pdf):
    session = _session(trainer, programme)
    url = reverse("cascade:session_kit", args=[session.pk])
    for user in (trainer, coordinator_a, manager):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/pdf"
        assert f'filename="kit-{session.pk}-Victim-sensitive-interviewing-en.pdf"' in response["Content-Disposition"]
    client.force_login(trainer)
    page = client.get(reverse("cascade:session_detail", args=[session.pk]))
    assert url in page.content.decode()


def test_other_agencies_get_a_404_and_participants_a_403(client, trainer, programme, agency_a, agency_b, coordinator_b, fake_pdf):
    session = _session(trainer, programme)
    (participant,) = _participants(session, trainer, agency_a, 1)
    other_trainer = person(username="b.trainer", roles=[Role.TRAINER], agency=agency_b)
    certified(other_trainer, programme, number="TOT-B")
    url = reverse("cascade:session_kit", args=[session.pk])
    for user in (other_trainer, coordinator_b):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(participant)
    assert client.get(url).status_code == 403
    page = client.get(reverse("cascade:session_detail", args=[session.pk]))
    assert url not in page.content.decode()
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
