"""Editors import questions from Moodle XML or GIFT in the admin; a file with errors imports nothing."""

import pytest
from django.urls import reverse
from wagtail.models import Locale

from assessments.models import Question
from lms.people.roles import Role
from tests.assessments.helpers import upload
from tests.factories import person

pytestmark = pytest.mark.django_db

GOOD = """// two questions
::Elements::Which element does the Palermo Protocol not require for a child victim? {=the means ~the act ~the purpose}

::Consent::The consent of an adult victim is irrelevant once one of the means was used. {T}
"""
BROKEN = GOOD + "\n\n::Broken::What is missing here? {=one ~two\n"


@pytest.fixture
def editor(site_home):
    return person(username="ed", roles=[Role.EDITOR])


def test_a_gift_file_is_imported_in_the_chosen_language(client, editor):
    client.force_login(editor)
    response = upload(client, GOOD)
    assert response.status_code == 302
    questions = {question.key: question for question in Question.objects.all()}
    assert set(questions) == {"elements", "consent"}
    assert questions["elements"].kind == "single" and questions["elements"].module == 1
    assert questions["elements"].locale.language_code == "ru"
    assert questions["consent"].data["correct"] is True
    # a second import of the same file gets new keys instead of overwriting
    upload(client, GOOD)
    assert Question.objects.filter(key="elements-2").exists()


def test_a_file_with_one_bad_question_imports_nothing_until_confirmed_and_says_why(client, editor):
    client.force_login(editor)
    response = upload(client, BROKEN)
    assert response.status_code == 200  # the confirmation page (tests/assessments/test_question_import_partial.py)
    assert not Question.objects.exists()
    errors = [str(issue.message) for issue in response.context["errors"]]
    assert len(errors) == 1 and "Broken" in errors[0]


def test_script_in_an_imported_question_is_removed(client, editor):
    client.force_login(editor)
    upload(client, "::X::[html]<p onclick='x()'>Which?<script>alert(1)</script></p> {=a ~b}\n")
    prompt = Question.objects.get().prompt
    assert "script" not in prompt and "onclick" not in prompt and "Which?" in prompt


def test_trainees_cannot_import(client, site_home, agency_a):
    client.force_login(person(username="t", roles=[Role.TRAINEE], agency=agency_a))
    response = upload(client, GOOD)
    assert response.status_code in (302, 403)
    assert not Question.objects.exists()


def test_the_bank_exports_to_moodle_xml(client, editor):
    client.force_login(editor)
    upload(client, GOOD)
    response = client.get(
        reverse("assessments_question_export"),
        {"format": "moodle", "locale": Locale.objects.get(language_code="ru").pk, "download": "1"},
    )
    assert response["Content-Type"] == "application/xml"
    body = response.content.decode()
    assert "<quiz>" in body and "Palermo Protocol" in body


def test_the_export_page_lists_per_question_what_the_format_loses_before_the_download(client, editor):
    client.force_login(editor)
    upload(client, GOOD)
    ru = Locale.objects.get(language_code="ru")
    elements = Question.objects.get(key="elements")
    elements.points = 3
    elements.save()
    Question.objects.create(
        key="case-a", title="Case of A.", kind=Question.Kind.CASE, locale=ru, prompt="<p>Qualify.</p>", points=6,
        data={"scenario": "<p>…</p>", "provision": "cc-129", "elements": []},
    )
    query = {"format": "gift", "locale": ru.pk}
    page = client.get(reverse("assessments_question_export"), query)
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    losses = [(issue.code, issue.name) for issue in page.context["losses"]]
    assert ("export_points", "Elements") in losses and ("export_case", "Case of A.") in losses
    html = page.content.decode()
    assert "Case of A." in html and "GIFT has no points" in html
    assert 'name="download"' in html
    # the download carries the same losses in its header comment and leaves the case question out
    text = client.get(reverse("assessments_question_export"), {**query, "download": "1"}).content.decode()
    assert text.startswith("// GIFT cannot hold everything in this bank.")
    assert "// Question " in text and "“Case of A.”: a case-qualification question" in text
    assert "Qualify." not in text
    russian = client.get(reverse("assessments_question_export"), query, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "в GIFT нет баллов" in russian
    russian = client.get(reverse("assessments_question_export"), {**query, "download": "1"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert "в GIFT нет баллов" in russian.content.decode()


def test_an_export_that_loses_nothing_says_so(client, editor):
    client.force_login(editor)
    upload(client, "::Consent::The consent of an adult victim is irrelevant. {T}\n")
    page = client.get(reverse("assessments_question_export"), {"format": "moodle", "locale": Locale.objects.get(language_code="ru").pk})
    assert page.context["losses"] == []
    assert "nothing is lost" in page.content.decode()
