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
