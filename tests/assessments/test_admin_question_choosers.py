"""The question editor's choosers show names, not codes: the legal provision by its article, title and edition
(in the case editor and in the snippet chooser of lessons), the module by its title."""

import re

import pytest
from django.urls import reverse

from assessments.models import Question
from content.models import LegalProvision
from lms.people.roles import Role
from tests.assessments.bank import bank_load
from tests.assessments.test_question_editor import page_fields
from tests.factories import person

pytestmark = pytest.mark.django_db

CODE = "cc-129-1-2010"
NAME = "Criminal Code of Turkmenistan, Article 129-1. Trafficking in persons — 2010 text (unofficial translation)"


@pytest.fixture
def editor_user(site_home):
    return person(username="ed", roles=[Role.EDITOR], language="en")


def _case_editor(client, language="en"):
    question = Question.objects.get(key="m2-case", locale__language_code=language)
    url = reverse("wagtailsnippets_assessments_question:edit", args=[question.pk])
    page = client.get(url)
    assert page.status_code == 200
    return question, url, page.content.decode()


def test_a_provision_reads_as_its_article_title_and_edition():
    provision = LegalProvision.objects.get(code=CODE, locale__language_code="en")
    assert str(provision) == NAME


def test_the_case_editor_chooses_provisions_by_name_and_keeps_the_code(client, editor_user):
    client.force_login(editor_user)
    bank_load()
    question, url, html = _case_editor(client)
    select = re.search(r'<select name="qdata-case-case-provision"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.search(rf'<option value="{CODE}" selected>{re.escape(NAME)}</option>', select), select
    assert f">{CODE}<" not in select  # the code is the value, never the label
    assert f"Parts of {NAME}: 1, 2, 3." in html  # the help beside it names the provision too
    # saving keeps the code in the data
    response = client.post(url, page_fields(html))
    assert response.status_code == 302
    assert Question.objects.get(pk=question.pk).data["provision"] == CODE


def test_the_names_follow_the_editors_language(client, site_home):
    user = person(username="ed-ru", roles=[Role.EDITOR], language="ru")
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "ru"
    profile.save()
    client.force_login(user)
    bank_load()
    _question, _url, html = _case_editor(client, "tk")
    assert "Уголовный кодекс Туркменистана, Статья 129-1. Торговля людьми — Редакция 2010 года" in html
    assert "Модуль 2: Русский module 2" in html


def test_a_provision_deleted_since_still_shows_its_code(client, editor_user):
    client.force_login(editor_user)
    bank_load()
    Question.objects.filter(key="m2-case").update(data={"provision": "gone-1", "elements": []})
    _question, _url, html = _case_editor(client)
    assert '<option value="gone-1" selected>gone-1</option>' in html


def test_the_module_is_chosen_by_its_title(client, editor_user):
    client.force_login(editor_user)
    bank_load()
    _question, _url, html = _case_editor(client)
    select = re.search(r'<select name="module"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert '<option value="2" selected>Module 2: English module 2</option>' in select
    assert '<option value="3">Module 3</option>' in select  # a module of the bank without a page yet


def test_the_lessons_provision_chooser_lists_titles_and_editions(admin_client):
    response = admin_client.get(reverse("wagtailsnippetchoosers_content_legalprovision:choose"))
    assert response.status_code == 200
    html = response.content.decode() if not response.get("Content-Type", "").startswith("application/json") else response.json()["html"]
    assert NAME in html and CODE not in html


def test_the_case_editor_labels_each_field_and_names_its_rich_text_editors(client, editor_user):
    """The roomy case editor: every field of an element under a label of its own (no table cell cuts it),
    explanations four lines high, and each Draftail editor named by its field's label (axe)."""
    client.force_login(editor_user)
    bank_load()
    _question, _url, html = _case_editor(client)
    for name in ("key", "label", "select", "weight", "explanation"):
        assert f'<label class="qe-field-caption" for="id_qdata-case-elements-0-{name}">' in html, name
    assert re.search(r'<textarea name="qdata-case-elements-0-explanation"[^>]*rows="4"', html)
    for field_id in ("id_prompt", "id_feedback", "id_qdata-case-case-scenario"):
        assert f"&quot;ariaLabelledBy&quot;: &quot;{field_id}-label&quot;" in html, field_id
        assert f'id="{field_id}-label"' in html, field_id
