"""The question bank's preview: each language version as a learner sees it, the key only for editors."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from assessments import kinds
from assessments.models import Question
from lms.people.roles import Role
from tests.assessments.bank import SECRET, bank_load
from tests.factories import person

pytestmark = pytest.mark.django_db

KIND_KEYS = {
    "single": "m1-single", "multiple": "m1-multiple", "truefalse": "m1-truefalse", "short": "m1-short",
    "matching": "m2-matching", "ordering": "m2-ordering", "case": "m2-case", "rubric": "m2-rubric",
    "numerical": "m3-numerical", "cloze": "m3-cloze",
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def bank(site_home):
    return bank_load()


@pytest.fixture
def editor(site_home):
    return person(username="ed", roles=[Role.EDITOR], language="en")


def preview_url(pk):
    return reverse("wagtailsnippets_assessments_question:preview_languages", args=[pk])


def parts(html):
    """The learner parts and the editors' parts of the page, each joined."""
    learner = re.findall(r"data-learner-view>(.*?)data-editors-part", html, re.S)
    editors = re.findall(r"data-editors-part>(.*?)</section>", html, re.S)
    return "".join(learner), "".join(editors)


def test_every_kind_is_in_the_bank():
    assert set(KIND_KEYS) == set(kinds.names())


@pytest.mark.parametrize("kind", kinds.names())
def test_each_language_shows_prompt_and_learner_inputs_and_key_only_for_editors(client, bank, editor, kind):
    client.force_login(editor)
    question = Question.objects.get(key=KIND_KEYS[kind], locale__language_code="en")
    response = client.get(preview_url(question.pk))
    assert response.status_code == 200
    html = response.content.decode()
    for language, name in (("en", "English"), ("ru", "Русский"), ("tk", "Türkmençe")):
        assert f'id="preview-{language}"' in html
        assert f"{language} prompt of {KIND_KEYS[kind]}" in html
        assert f">{name}</h2>" in html  # named by name, not code
    assert "<form" not in html.split('id="question-preview"')[1]
    assert "<fieldset disabled>" in html
    learner, editors = parts(html)
    assert learner.count("test-item__prompt") == 3
    if kind not in ("short", "rubric"):
        assert 'name="q1' in learner
    assert SECRET not in learner
    assert "{#" not in html  # the learner templates' comments stay comments
    assert SECRET in editors  # the general feedback of every kind carries it
    assert "For editors" in html


def test_the_learner_part_is_what_the_test_page_renders(client, bank, editor):
    """The same template and public data as taking a test: the options, in the version's language."""
    client.force_login(editor)
    question = Question.objects.get(key="m1-single", locale__language_code="ru")
    html = client.get(preview_url(question.pk)).content.decode()
    learner, editors = parts(html)
    for language in ("en", "ru", "tk"):
        assert f"{language} option B" in learner
    assert 'type="radio"' in learner
    assert "why B" not in learner and "why B" in editors
    assert "correct" in editors


def test_a_missing_language_says_so_with_a_link_to_translate(client, bank, editor):
    client.force_login(editor)
    Question.objects.filter(key="m1-single", locale__language_code="tk").delete()
    question = Question.objects.get(key="m1-single", locale__language_code="en")
    html = client.get(preview_url(question.pk)).content.decode()
    assert "There is no Türkmençe version of this question yet." in html
    assert "tk prompt of m1-single" not in html
    assert reverse("wagtail_localize:submit_snippet_translation", args=["assessments", "question", question.pk]) in html


def test_a_trainee_may_not_preview(client, bank, agency_a):
    client.force_login(person(username="learner", roles=[Role.TRAINEE], agency=agency_a, language="en"))
    question = Question.objects.get(key="m1-single", locale__language_code="en")
    response = client.get(preview_url(question.pk))
    assert response.status_code in (302, 403)
    assert SECRET not in response.content.decode()


def test_an_unknown_question_is_a_404(client, editor):
    client.force_login(editor)
    assert client.get(preview_url(999999), follow=True).status_code == 404


def test_the_listing_and_the_editor_link_to_the_preview(client, bank, editor):
    client.force_login(editor)
    question = Question.objects.get(key="m1-single", locale__language_code="en")
    listing = client.get(reverse("wagtailsnippets_assessments_question:list")).content.decode()
    assert preview_url(question.pk) in listing
    edit = client.get(reverse("wagtailsnippets_assessments_question:edit", args=[question.pk])).content.decode()
    assert preview_url(question.pk) in edit
