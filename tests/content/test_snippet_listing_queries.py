"""The translatable snippet lists (questions, terms, legal provisions, H5P and SCORM packages) cost the same
SQL queries for a short page as for a long one: wagtail-localize's "Translate" / "Sync translated snippets"
row buttons come from one batch per page (``content.localize_buttons``), and they are the buttons its own
hook would give."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.wagtail_hooks import register_snippet_listing_buttons as localize_hook

from assessments.bank import question_bank_load
from assessments.models import Question
from content.models import H5PPackage, LegalProvision, ScormPackage, Term
from lms.people.roles import Role
from tests.assessments.bank import _question
from tests.factories import person

pytestmark = pytest.mark.django_db


def _questions(n, en):
    entries = [_question(f"q{i}", "truefalse", 1, {"correct": True}) for i in range(n)]
    return question_bank_load(entries={"en": entries}, locales={"en": en})


LISTS = {
    "question": (Question, _questions),
    "term": (Term, lambda n, en: [Term.objects.create(concept=f"c{i}", preferred=f"term {i}", locale=en) for i in range(n)]),
    "legalprovision": (LegalProvision, lambda n, en: [
        LegalProvision.objects.create(code=f"p-{i}", instrument="Code", article=f"{i}", title=f"t{i}", edition="2010", locale=en)
        for i in range(n)
    ]),
    "h5ppackage": (H5PPackage, lambda n, en: [
        H5PPackage.objects.create(title=f"a{i}", main_library="LMS.Sample", main_library_version="1.0", storage_prefix=f"h{i}", locale=en)
        for i in range(n)
    ]),
    "scormpackage": (ScormPackage, lambda n, en: [
        ScormPackage.objects.create(title=f"s{i}", version="1.2", storage_prefix=f"s{i}", locale=en) for i in range(n)
    ]),
}


def _make(name, n):
    """``n`` rows in English: every other one translated into Russian, every third the source of a sync."""
    model, create = LISTS[name]
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    rows = create(n, locales["en"])
    for index, row in enumerate(rows):
        if index % 2 == 0:
            row.copy_for_translation(locales["ru"]).save()
        if index % 3 == 0:
            source, _created = TranslationSource.get_or_create_from_instance(row)
            Translation.objects.create(source=source, target_locale=locales["tk"], enabled=True)
    return model, {row.translation_key for row in rows}


def _url(name):
    app = "assessments" if name == "question" else "content"
    return reverse(f"wagtailsnippets_{app}_{name}:list")


def _queries(client, name):
    client.get(_url(name))  # warm the admin's caches
    with CaptureQueriesContext(connection) as captured:
        page = client.get(_url(name))
    assert page.status_code == 200
    return page, len(captured.captured_queries)


@pytest.mark.parametrize("name", list(LISTS))
def test_a_list_costs_the_same_queries_for_3_or_15_rows(admin_client, name):
    model, keys = _make(name, 3)
    _few, few = _queries(admin_client, name)
    model.objects.filter(translation_key__in=keys).delete()
    _make(name, 15)
    many_page, many = _queries(admin_client, name)
    assert len(many_page.context["object_list"]) >= 15
    assert many == few


@pytest.mark.parametrize("name", list(LISTS))
def test_the_rows_keep_wagtail_localizes_buttons(admin_client, admin_user, name):
    _make(name, 6)
    page = admin_client.get(_url(name))
    html = page.content.decode()
    batched = page.context["view"]._localize_buttons
    kinds = set()
    for row in page.context["object_list"]:
        expected = [(str(button.label), button.url) for button in localize_hook(row, admin_user, _url(name))]
        assert [(str(button.label), button.url) for button in batched[row.pk]] == expected
        for _label, url in expected:
            assert url.replace("&", "&amp;") in html
        kinds |= {label for label, _url in expected}
    assert kinds == {"Translate", "Sync translated snippets"}


def test_an_editor_gets_translate_and_sync_on_the_question_list(client, site_home):
    _make("question", 4)
    client.force_login(person(username="ed", roles=[Role.EDITOR], language="en"))
    html = client.get(_url("question")).content.decode()
    english = Question.objects.filter(locale__language_code="en").order_by("pk")
    for question in english:  # none has every language: each may be translated
        assert reverse("wagtail_localize:submit_snippet_translation", args=["assessments", "question", question.pk]) in html
    synced = TranslationSource.objects.get(object_id=english[0].translation_key)
    assert reverse("wagtail_localize:update_translations", args=[synced.pk]) in html


def test_without_the_translation_permission_a_row_has_no_translate_button(client, site_home):
    from django.contrib.auth.models import Permission

    _make("term", 2)
    user = person(username="viewer", roles=[], language="en")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", "view_term", "change_term"]))
    client.force_login(user)
    html = client.get(_url("term")).content.decode()
    assert "submit/snippet/" not in html and "wagtail-localize-language" not in html
