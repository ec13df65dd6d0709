"""Rich text the admin's editor cannot map is normalised on import and on save, and its edit page opens.

Wagtail's Draftail converter fails on an ``<li>`` outside a list, on a ``<br>`` that is not self-closed
inside a paragraph and on a paragraph inside bold or a link; such a question's edit page was a server error.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.models import Locale

from assessments.interchange import questions_from_gift, questions_from_moodle_xml
from assessments.models import Question
from content.models import LegalProvision
from content.sanitize import normalise_richtext, sanitize_stored_richtext
from lms.people.roles import Role
from tests.assessments.helpers import upload
from tests.factories import person

FEATURES = ["bold", "italic", "ol", "ul", "link"]
UNMAPPABLE = [
    "<li>x</li>",
    "<li>one</li> <li>two</li>tail<li>three</li>",
    "<p>a<br>b</p>",
    "<p><b>a<br>b</b></p>",
    "<b><p>bold paragraph</p></b>",
    '<a href="https://example.org/"><p>linked paragraph</p><li>item</li></a>',
    "<b><i><ul><li>w</li></ul></i></b>",
    "<span><li>z</li></span>",
    "<blockquote><li>q</li></blockquote>",
    "<li><li>nested</li></li>",
]


def opens_in_the_editor(html: str) -> bool:
    try:
        ContentstateConverter(FEATURES).from_database_format(html)
    except Exception:  # noqa: BLE001 - the converter asserts
        return False
    return True


@pytest.mark.parametrize("html", UNMAPPABLE)
def test_saved_markup_opens_in_the_editor(html):
    assert not opens_in_the_editor(html)  # the converter refuses the raw markup
    stored = sanitize_stored_richtext(html)
    assert opens_in_the_editor(stored), stored


def test_normalising_keeps_text_formatting_and_attributes():
    assert normalise_richtext("<li>x</li>") == "<ul><li>x</li></ul>"
    assert normalise_richtext("<li>a</li>\n<li>b</li> <p>c</p>") == "<ul><li>a</li>\n<li>b</li></ul> <p>c</p>"
    assert normalise_richtext("<p>a<br>b &amp; &lt;c&gt;</p>") == "<p>a<br/>b &amp; &lt;c&gt;</p>"
    assert normalise_richtext("<b><p>x</p></b><p><b>y</b></p>") == "<p>x</p><p><b>y</b></p>"
    assert normalise_richtext('<p><a linktype="page" id="3">x</a></p>') == '<p><a linktype="page" id="3">x</a></p>'
    assert normalise_richtext("<ol><li>kept</li></ol>") == "<ol><li>kept</li></ol>"
    assert normalise_richtext("plain") == "plain"


# --- the admin -----------------------------------------------------------------------------------------


@pytest.fixture
def editor(site_home):
    return person(username="ed.markup", roles=[Role.EDITOR], language="en")


def _edit_page(client, question):
    with translation.override("en"):
        return client.get(reverse("wagtailsnippets_assessments_question:edit", args=[question.pk]))


@pytest.mark.django_db
def test_a_question_saved_with_an_orphan_item_is_stored_in_a_list(site_home):
    question = Question.objects.create(
        key="li", kind="short", title="Li", prompt="<li>x</li>", data={"answers": ["x"]}, locale=Locale.get_default()
    )
    assert Question.objects.get(pk=question.pk).prompt == "<ul><li>x</li></ul>"


@pytest.mark.django_db
@pytest.mark.parametrize("html", ["<li>x</li>", "<p>a<br>b</p>", "<b><p>bold paragraph</p></b>"])
def test_the_edit_page_of_a_row_written_past_save_opens(client, editor, html):
    question = Question.objects.create(
        key="raw", kind="short", title="Raw", prompt="<p>ok</p>", data={"answers": ["x"]}, locale=Locale.get_default()
    )
    Question.objects.filter(pk=question.pk).update(prompt=html, feedback=html)  # as an old row or a fixture
    client.force_login(editor)
    response = _edit_page(client, question)
    assert response.status_code == 200
    assert ("x" if html == "<li>x</li>" else "b") in response.content.decode()


@pytest.mark.django_db
def test_a_legal_provision_with_unmappable_notes_opens_too(client, editor, curriculum):
    provision = curriculum["provisions"]["cc-129-1-2010"]
    LegalProvision.objects.filter(pk=provision.pk).update(text="<li>orphan</li>", notes="<b><p>bold</p></b>")
    client.force_login(editor)
    with translation.override("en"):
        response = client.get(reverse("wagtailsnippets_content_legalprovision:edit", args=[provision.pk]))
    assert response.status_code == 200


# --- import -------------------------------------------------------------------------------------------

MOODLE_LI = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz><question type="shortanswer"><name><text>Items</text></name>
<questiontext format="html"><text><![CDATA[<p>Name it:</p><li>first</li><li>second</li>]]></text></questiontext>
<generalfeedback format="html"><text><![CDATA[<p>Yes<br>indeed</p>]]></text></generalfeedback>
<answer fraction="100"><text>x</text></answer></question></quiz>"""


def test_imported_html_is_normalised_for_the_editor():
    moodle = questions_from_moodle_xml(MOODLE_LI).questions[0]
    assert moodle["prompt"] == "<p>Name it:</p><ul><li>first</li><li>second</li></ul>"
    assert moodle["feedback"] == "<p>Yes<br/>indeed</p>"
    gift = questions_from_gift("::Items::[html]<li>first</li><li>second</li> {=x}\n").questions[0]
    assert gift["prompt"] == "<ul><li>first</li><li>second</li></ul>"
    plain = questions_from_gift("::Lines::First line\\nsecond line {=x}\n").questions[0]
    assert opens_in_the_editor(plain["prompt"]), plain["prompt"]


@pytest.mark.django_db
def test_an_imported_question_with_an_orphan_item_opens_in_the_admin(client, editor):
    client.force_login(editor)
    assert upload(client, "::Items::[html]<li>first</li><li>second</li> {=x}\n").status_code == 302
    question = Question.objects.get()
    assert question.prompt == "<ul><li>first</li><li>second</li></ul>"
    assert _edit_page(client, question).status_code == 200
