"""The edit views of translatable snippets show, in a side panel, each language's state (source, up to
date, outdated, missing) with the link to the translation editor, as page edit views do."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, TranslatableMixin
from wagtail.snippets.models import get_snippet_models

from content import side_panels
from content.models import LegalProvision, Term
from content.services import termbase_seed
from content.side_panels import TranslationStateEditViewMixin

pytestmark = pytest.mark.django_db


def test_every_translatable_snippet_of_the_admin_has_the_panel():
    translatable = [model for model in get_snippet_models() if issubclass(model, TranslatableMixin)]
    names = {model.__name__ for model in translatable}
    assert {"LegalProvision", "Term", "Question", "H5PPackage", "ScormPackage"} <= names
    for model in translatable:
        assert issubclass(model.snippet_viewset.edit_view_class, TranslationStateEditViewMixin), model


def _edit(client, instance):
    response = client.get(reverse(instance.snippet_viewset.get_url_name("edit"), args=[instance.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def provision():
    return LegalProvision.objects.filter(locale__language_code="en").order_by("pk").first()


def test_a_provisions_edit_view_shows_each_language_and_counts_what_needs_work(admin_client, provision):
    html = _edit(admin_client, provision)
    assert 'data-side-panel="translations"' in html and 'data-side-panel-toggle="translations"' in html
    assert 'data-language="en" data-state="source"' in html
    assert 'data-language="ru" data-state="up_to_date"' in html
    assert 'data-language="tk" data-state="up_to_date"' in html
    ru = provision.get_translation(Locale.objects.get(language_code="ru"))
    assert f"/admin/snippets/content/legalprovision/edit/{ru.pk}/" in html
    # the Turkmen version deleted: missing, with the link that starts it again; the toggle counts it
    provision.get_translation(Locale.objects.get(language_code="tk")).delete()
    html = _edit(admin_client, provision)
    assert 'data-language="tk" data-state="missing"' in html
    assert f"/admin/localize/submit/snippet/content/legalprovision/{provision.pk}/" in html
    counter = html.split('data-side-panel-toggle="translations"', 1)[1].split("data-side-panel-toggle-counter", 1)[1]
    attributes, text = counter.split(">", 1)
    assert "hidden" not in attributes and text.split("<", 1)[0].strip() == "1"


def test_an_edit_of_the_source_after_the_last_sync_shows_the_translations_outdated(admin_client, provision):
    provision.save_revision()
    provision.latest_revision.__class__.objects.filter(pk=provision.latest_revision.pk).update(
        created_at=timezone.now() + timedelta(minutes=5)
    )
    provision.refresh_from_db()
    html = _edit(admin_client, provision)
    assert 'data-language="ru" data-state="outdated"' in html and 'data-language="tk" data-state="outdated"' in html
    # its link opens wagtail-localize's translation editor
    ru = provision.get_translation(Locale.objects.get(language_code="ru"))
    assert "translation-editor" in _edit(admin_client, ru)


def test_a_terms_edit_view_has_the_panel_and_reads_the_states_once(admin_client, monkeypatch):
    termbase_seed(locales={locale.language_code: locale for locale in Locale.objects.all()})
    term = Term.objects.get(concept="means", locale__language_code="en")
    calls = []
    real = side_panels.translation_states
    monkeypatch.setattr(side_panels, "translation_states", lambda instance: calls.append(instance) or real(instance))
    html = _edit(admin_client, term)
    assert 'data-language="ru" data-state="up_to_date"' in html and 'data-language="tk" data-state="up_to_date"' in html
    assert len(calls) == 1  # the counter and the table share one reading (a fixed number of queries)


def test_the_panel_reads_the_states_in_the_same_number_of_queries_whatever_is_missing(provision, rf, admin_user):
    def count(instance):
        request = rf.get("/")
        request.user = admin_user
        with CaptureQueriesContext(connection) as queries:
            panel = side_panels.TranslationStateSidePanel(instance, request)
            assert panel.states and panel.needing_work is not None
        return len(queries)

    full = count(provision)
    provision.get_translation(Locale.objects.get(language_code="tk")).delete()
    provision.get_translation(Locale.objects.get(language_code="ru")).delete()
    assert count(LegalProvision.objects.get(pk=provision.pk)) <= full
