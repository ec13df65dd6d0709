"""Issue 17: a file where only some questions can be imported waits for the editor's choice (import the
supported ones and skip the rest, or nothing); embedded files become Wagtail images and documents."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale

from assessments.interchange import questions_from_moodle_xml
from assessments.models import Question
from content.sanitize import render_richtext
from lms.people.roles import Role
from tests.factories import person

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
MIXED = """::Elements::Which element is not required for a child victim? {=the means ~the act ~the purpose}

::Year::The Protocol was adopted in {=2000 ~1990} and signed in {=Palermo ~Vienna}.

// [id:M4-CONSENT] [tag:m4-consent]
::Consent::The consent of an adult victim is irrelevant once a means was used. {T}

::Broken::What is missing here? {=one ~two
"""


@pytest.fixture
def editor(site_home):
    return person(username="ed", roles=[Role.EDITOR])


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def upload(client, content, *, name="bank.gift.txt", format_name="gift", language="ru"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        reverse("assessments_question_import"),
        {
            "file": SimpleUploadedFile(name, data, content_type="text/plain"),
            "format": format_name,
            "locale": Locale.objects.get(language_code=language).pk,
            "module": 4,
        },
    )


def confirm(client, response, button="confirm"):
    return client.post(reverse("assessments_question_import"), {"token": response.context["token"], button: "1"})


def test_a_partly_supported_file_lists_what_it_skips_and_writes_nothing_before_confirmation(client, editor):
    client.force_login(editor)
    page = upload(client, MIXED)
    assert page.status_code == 200
    assert not Question.objects.exists()
    assert page.context["count"] == 2 and page.context["skipped"] == 2
    assert [(issue.index, issue.code) for issue in page.context["errors"]] == [
        (2, "gift_several_parts"),
        (4, "gift_unterminated"),
    ]
    html = page.content.decode()
    assert "Import the 2 supported questions and skip 2" in html
    assert "Question 2 “Year” (line 3): it has more than one answer part" in html
    assert "Question 4 “Broken” (line 8): the answer part opened with {" in html
    assert "Import nothing" in html

    done = confirm(client, page)
    assert done.status_code == 302
    questions = {q.key: q for q in Question.objects.all()}
    assert set(questions) == {"elements", "m4-consent"}  # the file's id is the key
    assert questions["m4-consent"].objective == "m4-consent" and questions["m4-consent"].module == 4
    texts = [str(m) for m in done.wsgi_request._messages]
    assert "2 questions imported." in texts and "2 questions were skipped." in texts
    # the token is used up: a second confirmation imports nothing more
    again = confirm(client, page)
    assert again.status_code == 302 and Question.objects.count() == 2


def test_import_nothing_on_the_confirmation_page(client, editor):
    client.force_login(editor)
    page = upload(client, MIXED)
    response = confirm(client, page, button="cancel")
    assert response.status_code == 302 and not Question.objects.exists()
    assert confirm(client, page).status_code == 302 and not Question.objects.exists()


def test_the_confirmation_page_speaks_the_editors_language(client, editor):
    client.force_login(editor)
    page = client.post(
        reverse("assessments_question_import"),
        {
            "file": SimpleUploadedFile("bank.gift.txt", MIXED.encode()),
            "format": "gift",
            "locale": Locale.objects.get(language_code="ru").pk,
        },
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    html = page.content.decode()
    assert "Вопрос 2 «Year» (строка 3)" in html


def test_another_editor_cannot_confirm_someone_elses_import(client, editor):
    client.force_login(editor)
    page = upload(client, MIXED)
    client.force_login(person(username="ed2", roles=[Role.EDITOR]))
    assert confirm(client, page).status_code == 302
    assert not Question.objects.exists()


def test_a_file_whose_questions_all_fail_is_refused_and_writes_nothing(client, editor):
    client.force_login(editor)
    response = upload(client, "::Year::When {=2000 ~1990} and where {=Palermo ~Vienna}?\n\n::Broken::What? {=one ~two\n")
    assert response.status_code == 400 and "token" not in response.context
    assert not Question.objects.exists()


def test_a_moodle_file_with_embedded_files_imports_images_and_documents(client, editor):
    client.force_login(editor)
    page = upload(client, (FILES / "moodle_features.xml").read_bytes(), name="bank.xml", format_name="moodle")
    assert page.status_code == 200
    assert [issue.code for issue in page.context["errors"]] == ["unsupported_type"]
    html = page.content.decode()
    assert "calculatedmulti" in html
    assert "tool.exe" in html  # the refused type is among the warnings
    assert not get_image_model().objects.exists()  # nothing stored before confirmation
    confirm(client, page)
    room = Question.objects.get(title="Room in a photograph")
    assert room.key == "m4-ind-7" and room.objective == "m4-indicators"
    image = get_image_model().objects.get(title="room photo.png")
    document = get_document_model().objects.get(title="guide.pdf")
    soup = BeautifulSoup(room.prompt, "html.parser")
    assert soup.find("embed").attrs == {
        "embedtype": "image",
        "id": str(image.pk),
        "format": "fullwidth",
        "alt": "A locked room",
    }
    link = soup.find("a")
    assert link.attrs == {"linktype": "document", "id": str(document.pk)} and link.text == "the guide"
    assert "@@PLUGINFILE@@" not in room.prompt and "tool.exe" not in room.prompt and "the tool" in room.prompt
    assert image.width == 4 and image.height == 3 and image.file_size == len(image.file.read())
    rendered = render_richtext(room.prompt)
    assert "<img" in rendered and 'alt="A locked room"' in rendered and document.url in rendered
    old = Question.objects.get(title="Old image")
    assert "<embed" in old.prompt and get_image_model().objects.filter(title="passport.gif").exists()
    assert "<strong>freedom of movement</strong>" in room.feedback


def test_an_exported_bank_carries_its_images_and_comes_back(client, editor):
    client.force_login(editor)
    page = upload(client, (FILES / "moodle_features.xml").read_bytes(), name="bank.xml", format_name="moodle")
    confirm(client, page)
    ru = Locale.objects.get(language_code="ru")
    body = client.get(
        reverse("assessments_question_export"), {"format": "moodle", "locale": ru.pk, "download": "1"}
    ).content
    text = body.decode()
    assert "<idnumber>m4-ind-7</idnumber>" in text
    assert '<file name="room photo.png" path="/" encoding="base64">' in text or "room_photo" in text
    again = questions_from_moodle_xml(body)
    room = next(q for q in again.questions if q["name"] == "Room in a photograph")
    assert [item["kind"] for item in room["files"]] == ["image", "document"]
    assert "@@PLUGINFILE@@/" in room["prompt"]
    gift = client.get(reverse("assessments_question_export"), {"format": "gift", "locale": ru.pk}).content.decode()
    assert "GIFT cannot hold embedded files" in gift


def test_an_infected_embedded_file_is_not_stored(client, editor, monkeypatch):
    from content import virusscan

    def infected(upload):
        if upload.name.endswith(".png"):
            raise virusscan.UploadRefused("Eicar-Test-Signature found", code="virus_found")

    monkeypatch.setattr(virusscan, "upload_scan", infected)
    client.force_login(editor)
    page = upload(client, (FILES / "moodle_features.xml").read_bytes(), name="bank.xml", format_name="moodle")
    assert "Eicar-Test-Signature" in page.content.decode()
    confirm(client, page)
    assert not get_image_model().objects.filter(title="room photo.png").exists()
    assert "<embed" not in Question.objects.get(title="Room in a photograph").prompt
