"""Trainers print paper forms and enter the answer sheets of their sessions' participants (a coordinator: of
anyone of their agency); results feed the reports."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Assessment, AssessmentItem, Attempt, PaperForm, Question
from lms.cascade.models import CascadeSession, SessionParticipant
from lms.people.roles import Role
from lms.reports.selectors import Filters, scoped_attempts
from tests.assessments.bank import bank_load
from tests.factories import person
from tests.grading.conftest import taught

pytestmark = pytest.mark.django_db

KEYS = ["m1-single", "m1-multiple", "m1-truefalse", "m1-short", "m2-matching", "m2-ordering"]


@pytest.fixture
def pre_test(site_home):
    """A published pre-test of the questions of KEYS, in that order."""
    bank_load()
    test = Assessment.objects.create(slug="pre", title_en="Pre-test", purpose="pre", published=True, shuffle_items=False)
    for position, key in enumerate(KEYS, start=1):
        question = Question.objects.get(key=key, locale__language_code="en")
        AssessmentItem.objects.create(assessment=test, question_key=question.translation_key, position=position)
    return test


@pytest.fixture
def trainer_a(agency_a):
    return person(username="trainer.a", roles=[Role.TRAINER], agency=agency_a)


@pytest.fixture
def amy(agency_a, trainer_a):
    """A learner of agency A on a session that trainer A leads."""
    learner = person(username="amy", agency=agency_a)
    taught(trainer_a, learner)
    return learner


@pytest.fixture
def form(client, pre_test, trainer_a):
    client.force_login(trainer_a)
    response = client.post(reverse("grading:paper_forms"), {"assessment": pre_test.pk, "language": "ru"})
    assert response.status_code == 302
    return PaperForm.objects.get()


def test_a_trainer_prints_a_form_and_enters_sheets_that_reach_the_reports(client, form, amy, coordinator_a):
    learner = amy
    page = client.get(reverse("grading:paper_forms"))
    assert form.code in page.content.decode()
    pdf = client.get(reverse("grading:paper_form_pdf", args=[form.code]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    url = reverse("grading:paper_enter", args=[form.code])
    grid = client.get(url)
    assert grid.status_code == 200 and len(grid.context["grid"]) == 10
    cells = {f"cell-1-{position}": value for position, value in enumerate(["B", "AC", "F", "", "AB", "ABC"], start=1)}
    assert client.post(url, {"rows": "10", "username-1": "amy", **cells}).status_code == 302
    attempt = Attempt.objects.get(user=learner)
    assert (attempt.source, attempt.form_code, str(attempt.score)) == ("paper", form.code, "6.00")
    assert list(scoped_attempts(user=coordinator_a, filters=Filters())) == [attempt]


def test_errors_are_listed_by_row_and_column_and_nothing_is_saved(client, form, amy):
    url = reverse("grading:paper_enter", args=[form.code])
    data = {"rows": "10", "username-1": "amy", "cell-1-1": "B", "username-2": "ghost", "cell-2-1": "Z"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert {(2, "username"), (2, "1")} <= {(row, column) for row, column, _m in response.context["problems"]}
    assert not Attempt.objects.exists()


def test_a_csv_upload_goes_through_the_same_checks(client, form, amy):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerows([["username", "1", "2"], ["amy", "B", "AC"]])
    url = reverse("grading:paper_enter", args=[form.code])
    upload = SimpleUploadedFile("r.csv", text.getvalue().encode("utf-8"), content_type="text/csv")
    assert client.post(url, {"file": upload}).status_code == 302
    assert Attempt.objects.get().score == 3


def test_a_trainee_gets_403(client, form, agency_a):
    client.force_login(person(username="t", roles=[Role.TRAINEE], agency=agency_a))
    assert client.get(reverse("grading:paper_forms")).status_code == 403
    assert client.get(reverse("grading:paper_form_pdf", args=[form.code])).status_code == 403
    assert client.post(reverse("grading:paper_enter", args=[form.code]), {"username-1": "t"}).status_code == 403


def test_a_trainer_of_agency_b_cannot_enter_a_learner_of_agency_a(client, form, pre_test, amy, agency_b):
    client.force_login(person(username="trainer.b", roles=[Role.TRAINER], agency=agency_b))
    # agency A's form is not theirs to print or fill in
    assert client.get(reverse("grading:paper_form_pdf", args=[form.code])).status_code == 404
    assert client.post(reverse("grading:paper_enter", args=[form.code]), {"username-1": "amy"}).status_code == 404
    assert form.code not in client.get(reverse("grading:paper_forms")).content.decode()
    # nor can they enter agency A's learner on a form of their own
    client.post(reverse("grading:paper_forms"), {"assessment": pre_test.pk, "language": "en"})
    own = PaperForm.objects.exclude(pk=form.pk).get()
    url = reverse("grading:paper_enter", args=[own.code])
    assert "amy" not in [learner.username for learner in client.get(url).context["learners"]]
    response = client.post(url, {"rows": "10", "username-1": "amy", "cell-1-1": "B"})
    assert response.status_code == 400
    assert [(row, column) for row, column, _m in response.context["problems"]] == [(1, "username")]
    assert not Attempt.objects.exists()


def test_the_page_lists_the_sheets_entered_and_who_entered_them(client, form, amy, trainer_a):
    url = reverse("grading:paper_enter", args=[form.code])
    client.post(url, {"rows": "10", "username-1": "amy", "cell-1-1": "B"})
    page = client.get(url)
    assert [(a.user.username, a.entered_by) for a in page.context["entered"]] == [("amy", trainer_a)]
    assert (trainer_a.get_full_name() or "trainer.a") in page.content.decode().split('id="paper-entered"')[1]


# --- a trainer enters their sessions' participants; a coordinator anyone of the agency -----------------


def _sheet(client, code, username):
    return client.post(reverse("grading:paper_enter", args=[code]), {"rows": "10", "username-1": username, "cell-1-1": "B"})


def test_a_trainer_cannot_enter_a_colleague_who_is_not_on_one_of_their_sessions(client, form, agency_a, trainer_a):
    other_trainer = person(username="trainer.other", roles=[Role.TRAINER], agency=agency_a)
    bob = person(username="bob", agency=agency_a)  # of the agency, on no session of trainer A
    carl = person(username="carl", agency=agency_a)  # on another trainer's session
    dina = person(username="dina", agency=agency_a)  # only on a cancelled session of trainer A
    erik = person(username="erik", agency=agency_a)  # only on trainer A's waiting list
    taught(other_trainer, carl)
    taught(trainer_a, dina, state=CascadeSession.State.CANCELLED)
    taught(trainer_a, erik, status=SessionParticipant.Status.WAITLISTED)
    url = reverse("grading:paper_enter", args=[form.code])
    assert client.get(url).context["learners"].count() == 0
    for learner in (bob, carl, dina, erik):
        response = _sheet(client, form.code, learner.username)
        assert response.status_code == 400
        assert [(row, column) for row, column, _m in response.context["problems"]] == [(1, "username")]
    assert not Attempt.objects.exists()


def test_a_co_trainer_enters_the_participants_of_the_session_they_co_lead(client, form, agency_a, trainer_a):
    co_trainer = person(username="co.trainer", roles=[Role.TRAINER], agency=agency_a)
    learner = person(username="fern", agency=agency_a)
    session = taught(trainer_a, learner)
    session.co_trainers.add(co_trainer)
    session.paper_forms.add(form)
    client.force_login(co_trainer)
    # the form is theirs to fill in because it belongs to a session they co-lead
    assert list(client.get(reverse("grading:paper_forms")).context["forms"]) == [form]
    assert _sheet(client, form.code, "fern").status_code == 302
    assert Attempt.objects.get().user == learner
    # a colleague of the same agency who does not run the session has neither the form nor the learner
    client.force_login(person(username="colleague", roles=[Role.TRAINER], agency=agency_a))
    assert list(client.get(reverse("grading:paper_forms")).context["forms"]) == []
    assert client.get(reverse("grading:paper_enter", args=[form.code])).status_code == 404


def test_a_coordinator_enters_anyone_of_their_agency_on_the_forms_of_their_agency(client, form, agency_a, coordinator_a):
    bob = person(username="bob", agency=agency_a)  # on no session at all
    client.force_login(coordinator_a)
    # trainer A's form is made by someone of the coordinator's agency
    assert list(client.get(reverse("grading:paper_forms")).context["forms"]) == [form]
    assert _sheet(client, form.code, "bob").status_code == 302
    assert Attempt.objects.get().user == bob


def test_a_coordinator_of_another_agency_sees_neither_the_form_nor_the_learners(client, form, amy, coordinator_b):
    client.force_login(coordinator_b)
    assert list(client.get(reverse("grading:paper_forms")).context["forms"]) == []
    assert _sheet(client, form.code, "amy").status_code == 404


def test_the_forms_language_reads_as_its_name_not_its_code(client, form):
    """The paper-entry page and the list of forms name the form's language (Русский), never "ru"."""
    for url in (reverse("grading:paper_enter", args=[form.code]), reverse("grading:paper_forms")):
        html = client.get(url).content.decode()
        assert '<span lang="ru">Русский</span>' in html or '<td lang="ru">Русский</td>' in html
        assert "· ru</p>" not in html and "<td>ru</td>" not in html
