"""The admin's question bank lists one row per question, with its translations' state per language."""

import pytest
from django.urls import reverse

from assessments.models import Question
from tests.assessments.bank import bank_load

pytestmark = pytest.mark.django_db


def test_one_row_per_question_with_the_state_of_each_language(admin_client):
    bank_load()
    english = Question.objects.filter(locale__language_code="en")
    assert Question.objects.count() > english.count()  # the bank holds ru and tk versions too
    listing = admin_client.get(reverse("wagtailsnippets_assessments_question:list"))
    assert listing.status_code == 200
    rows = list(listing.context["object_list"])
    assert len(rows) == min(english.count(), 20) and {row.locale.language_code for row in rows} == {"en"}
    html = listing.content.decode()
    assert "Türkmençe: " in html and "Русский: " in html
    # a language chosen in the filter lists that language's versions
    russian = admin_client.get(reverse("wagtailsnippets_assessments_question:list") + "?locale=ru")
    assert {row.locale.language_code for row in russian.context["object_list"]} == {"ru"}


def test_the_translations_column_costs_the_same_queries_for_one_question_or_a_full_page(admin_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("wagtailsnippets_assessments_question:list")
    bank_load()
    keep = Question.objects.filter(locale__language_code="en").order_by("pk").first()
    admin_client.get(url)  # warm the admin's caches
    with CaptureQueriesContext(connection) as full:
        page = admin_client.get(url)
    assert len(page.context["object_list"]) > 5
    Question.objects.exclude(translation_key=keep.translation_key).delete()
    with CaptureQueriesContext(connection) as one:
        page = admin_client.get(url)
    assert len(page.context["object_list"]) == 1
    # the whole page (wagtail-localize's row buttons come from one batch too: content.localize_buttons)
    assert len(full.captured_queries) == len(one.captured_queries)
    # the column's own reads (sources, syncs, the versions of each question)
    def column_queries(captured):
        marks = ('FROM "wagtail_localize_translationsource"', 'FROM "wagtail_localize_translation"',
                 '"assessments_question"."translation_key" IN')
        return [query for query in captured.captured_queries if any(mark in query["sql"] for mark in marks)]

    assert len(column_queries(full)) == len(column_queries(one))
