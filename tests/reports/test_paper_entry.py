"""Trainers print paper forms and enter answer sheets of their own agency's learners; results feed the reports."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Assessment, AssessmentItem, Attempt, PaperForm, Question
from lms.people.roles import Role
from lms.reports.selectors import Filters, scoped_attempts
from tests.assessments.bank import bank_load
from tests.factories import person

pytestmark = pytest.mark.django_db

KEYS = ["m1-single", "m1-multiple", "m1-truefalse", "m1-short", "m2-matching", "m2-ordering"]


@pytest.fixture
def test(site_home):
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
def form(client, test, trainer_a):
    client.force_login(trainer_a)
    response = client.post(reverse("cascade:paper_forms"), {"assessment": test.pk, "language": "ru"})
    assert response.status_code == 302
    return PaperForm.objects.get()


def test_a_trainer_prints_a_form_and_enters_sheets_that_reach_the_reports(client, form, agency_a, coordinator_a):
    learner = person(username="amy", agency=agency_a)
    page = client.get(reverse("cascade:paper_forms"))
    assert form.code in page.content.decode()
    pdf = client.get(reverse("cascade:paper_form_pdf", args=[form.code]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    url = reverse("cascade:paper_enter", args=[form.code])
    grid = client.get(url)
    assert grid.status_code == 200 and len(grid.context["grid"]) == 10
    cells = {f"cell-1-{position}": value for position, value in enumerate(["B", "AC", "F", "", "AB", "ABC"], start=1)}
    assert client.post(url, {"rows": "10", "username-1": "amy", **cells}).status_code == 302
    attempt = Attempt.objects.get(user=learner)
    assert (attempt.source, attempt.form_code, str(attempt.score)) == ("paper", form.code, "6.00")
    assert list(scoped_attempts(user=coordinator_a, filters=Filters())) == [attempt]


def test_errors_are_listed_by_row_and_column_and_nothing_is_saved(client, form, agency_a):
    person(username="amy", agency=agency_a)
    url = reverse("cascade:paper_enter", args=[form.code])
    data = {"rows": "10", "username-1": "amy", "cell-1-1": "B", "username-2": "ghost", "cell-2-1": "Z"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert {(2, "username"), (2, "1")} <= {(row, column) for row, column, _m in response.context["problems"]}
    assert not Attempt.objects.exists()


def test_a_csv_upload_goes_through_the_same_checks(client, form, agency_a):
    person(username="amy", agency=agency_a)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerows([["username", "1", "2"], ["amy", "B", "AC"]])
    url = reverse("cascade:paper_enter", args=[form.code])
    upload = SimpleUploadedFile("r.csv", text.getvalue().encode("utf-8"), content_type="text/csv")
    assert client.post(url, {"file": upload}).status_code == 302
    assert Attempt.objects.get().score == 3


def test_a_trainee_gets_403(client, form, agency_a):
    client.force_login(person(username="t", roles=[Role.TRAINEE], agency=agency_a))
    assert client.get(reverse("cascade:paper_forms")).status_code == 403
    assert client.get(reverse("cascade:paper_form_pdf", args=[form.code])).status_code == 403
    assert client.post(reverse("cascade:paper_enter", args=[form.code]), {"username-1": "t"}).status_code == 403


def test_a_trainer_of_agency_b_cannot_enter_a_learner_of_agency_a(client, form, test, agency_a, agency_b):
    person(username="amy", agency=agency_a)
    client.force_login(person(username="trainer.b", roles=[Role.TRAINER], agency=agency_b))
    # agency A's form is not theirs to print or fill in
    assert client.get(reverse("cascade:paper_form_pdf", args=[form.code])).status_code == 404
    assert client.post(reverse("cascade:paper_enter", args=[form.code]), {"username-1": "amy"}).status_code == 404
    assert form.code not in client.get(reverse("cascade:paper_forms")).content.decode()
    # nor can they enter agency A's learner on a form of their own
    client.post(reverse("cascade:paper_forms"), {"assessment": test.pk, "language": "en"})
    own = PaperForm.objects.exclude(pk=form.pk).get()
    url = reverse("cascade:paper_enter", args=[own.code])
    assert "amy" not in [learner.username for learner in client.get(url).context["learners"]]
    response = client.post(url, {"rows": "10", "username-1": "amy", "cell-1-1": "B"})
    assert response.status_code == 400
    assert [(row, column) for row, column, _m in response.context["problems"]] == [(1, "username")]
    assert not Attempt.objects.exists()


def test_the_page_lists_the_sheets_entered_and_who_entered_them(client, form, agency_a, trainer_a):
    person(username="amy", agency=agency_a)
    url = reverse("cascade:paper_enter", args=[form.code])
    client.post(url, {"rows": "10", "username-1": "amy", "cell-1-1": "B"})
    page = client.get(url)
    assert [(a.user.username, a.entered_by) for a in page.context["entered"]] == [("amy", trainer_a)]
    assert (trainer_a.get_full_name() or "trainer.a") in page.content.decode().split('id="paper-entered"')[1]
