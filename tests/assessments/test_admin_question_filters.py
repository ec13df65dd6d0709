"""The filters of the admin's question list: module, type, parallel form, test and translation state narrow
the list in the database, show names rather than codes, and cost the same queries for any size of bank."""

from datetime import timedelta

import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Locale

from assessments.models import Assessment, AssessmentItem, Blueprint, BlueprintRule, Question
from assessments.question_filters import QuestionFilterSet
from content.translation_state import MISSING, OUTDATED, UP_TO_DATE, translation_states
from tests.assessments.bank import bank_load

pytestmark = pytest.mark.django_db

URL = "wagtailsnippets_assessments_question:list"


def listed(client, query):
    response = client.get(reverse(URL) + query)
    assert response.status_code == 200
    return sorted(question.key for question in response.context["object_list"])


def option(html, name, value) -> str:
    """The label of a filter's option (a radio button in the filters' drawer)."""
    found = re.search(rf'<input type="radio" name="{name}" value="{value}"[^>]*>\s*([^<]*?)\s*</label>', html)
    assert found, (name, value)
    return found.group(1)


def english_keys(**filters):
    return sorted(Question.objects.filter(locale__language_code="en", **filters).values_list("key", flat=True))


def test_module_type_and_form_narrow_the_list(admin_client):
    bank_load()
    assert listed(admin_client, "?module=2") == english_keys(module=2) == [
        "m2-case", "m2-matching", "m2-ordering", "m2-rubric"]
    assert listed(admin_client, "?kind=case") == ["m2-case"]
    # form A: the items of form A and those of any form (form B's items are left out)
    assert listed(admin_client, "?form=A") == [
        "m1-short", "m1-single", "m1-truefalse", "m2-case", "m2-matching", "m2-rubric", "m3-cloze", "m3-numerical"]
    assert listed(admin_client, "?module=2&form=B") == ["m2-case", "m2-ordering", "m2-rubric"]
    # a bad value changes nothing and says so (no 500)
    response = admin_client.get(reverse(URL) + "?module=99")
    assert response.status_code == 200
    assert len(response.context["object_list"]) == len(english_keys())


def test_the_options_are_names_in_the_editors_language(admin_client, admin_user):
    bank_load()
    html = admin_client.get(reverse(URL)).content.decode()
    assert option(html, "module", "2") == "Module 2: English module 2"
    assert option(html, "form", "A") == "Form A"
    assert "Русский: missing" in html and "Türkmençe: source changed since the last sync" in html
    # the Module column names the module too
    assert "Module 1: English module 1" in html
    # in the editor's own language
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "ru"
    profile.save()
    html = admin_client.get(reverse(URL)).content.decode()
    assert "Модуль 2: Русский module 2" in html and "Русский: отсутствует" in html and "Вариант A" in html


def test_the_test_filter_lists_what_a_test_may_show(admin_client):
    bank_load()
    english = {question.key: question for question in Question.objects.filter(locale__language_code="en")}
    fixed = Assessment.objects.create(slug="fixed", title_en="Fixed check", purpose=Assessment.Purpose.CHECK)
    for position, key in enumerate(["m1-single", "m3-numerical"]):
        AssessmentItem.objects.create(assessment=fixed, question_key=english[key].translation_key, position=position)
    blueprint = Blueprint.objects.create(name="Module 2 and one objective")
    BlueprintRule.objects.create(blueprint=blueprint, module=2, count=1)
    BlueprintRule.objects.create(blueprint=blueprint, objective="m1-objective", count=1)
    drawn = Assessment.objects.create(
        slug="drawn", title_en="Post-test", purpose=Assessment.Purpose.POST, blueprint=blueprint, form="B"
    )
    Question.objects.filter(key="m1-short").update(active=False)  # a retired item is never drawn
    assert listed(admin_client, f"?test={fixed.pk}") == ["m1-single", "m3-numerical"]
    assert listed(admin_client, f"?test={drawn.pk}") == [
        "m1-multiple", "m1-truefalse", "m2-case", "m2-ordering", "m2-rubric"]
    html = admin_client.get(reverse(URL)).content.decode()
    assert option(html, "test", drawn.pk) == "Post-test (form B)"  # the title, not the slug


def _make_outdated(question, language):
    """Sync the English ``question`` to ``language`` and let its source change after that sync."""
    from wagtail_localize.models import Translation, TranslationSource

    source, _created = TranslationSource.get_or_create_from_instance(question)
    translation_ = Translation.objects.create(
        source=source, target_locale=Locale.objects.get(language_code=language), enabled=True
    )
    Translation.objects.filter(pk=translation_.pk).update(
        destination_last_updated_at=source.last_updated_at - timedelta(minutes=5)
    )
    return source


def test_the_translation_state_filter_agrees_with_the_translations_column(admin_client):
    bank_load()
    Question.objects.get(key="m1-single", locale__language_code="tk").delete()
    _make_outdated(Question.objects.get(key="m2-case", locale__language_code="en"), "ru")
    assert listed(admin_client, "?translations=tk:missing") == ["m1-single"]
    assert listed(admin_client, "?translations=ru:missing") == []
    assert listed(admin_client, "?translations=ru:outdated") == ["m2-case"]
    assert listed(admin_client, "?translations=any:missing") == ["m1-single"]
    assert listed(admin_client, "?translations=any:outdated") == ["m2-case"]
    everything = english_keys()
    assert listed(admin_client, "?translations=all:up_to_date") == sorted(set(everything) - {"m1-single", "m2-case"})
    assert "m2-case" in listed(admin_client, "?translations=tk:up_to_date")
    # any language version answers the same: the Russian list, filtered
    assert listed(admin_client, "?locale=ru&translations=ru:outdated") == ["m2-case"]
    # every row of every filter has the state the Translations column shows
    for language in ("ru", "tk"):
        for state in (MISSING, OUTDATED, UP_TO_DATE):
            keys = listed(admin_client, f"?translations={language}:{state}")
            expected = sorted(
                question.key
                for question in Question.objects.filter(locale__language_code="en")
                if {entry.language: entry.state for entry in translation_states(question)}[language] == state
            )
            assert keys == expected, (language, state)


def _filter_queries(query):
    request = RequestFactory().get("/" + query)
    with CaptureQueriesContext(connection) as captured:
        filters = QuestionFilterSet(data=request.GET, queryset=Question.objects.all(), request=request)
        assert filters.is_valid(), filters.errors
        rows = list(filters.qs)
        str(filters.form)  # the options
    return len(captured.captured_queries), rows


@pytest.mark.parametrize(
    "query",
    ["?module=2&kind=case&form=A", "?translations=any:outdated", "?translations=all:up_to_date",
     "?translations=ru:missing", "?test={test}"],
)
def test_the_filters_cost_the_same_queries_for_one_question_or_the_whole_bank(query):
    bank_load()
    blueprint = Blueprint.objects.create(name="All")
    BlueprintRule.objects.create(blueprint=blueprint, count=1)
    test = Assessment.objects.create(slug="t", title_en="T", purpose=Assessment.Purpose.PRE, blueprint=blueprint, form="A")
    query = query.format(test=test.pk)
    _filter_queries(query)  # warm the caches (content types)
    full, _rows = _filter_queries(query)
    keep = Question.objects.get(key="m2-case", locale__language_code="en")
    Question.objects.exclude(translation_key=keep.translation_key).delete()
    one, _rows = _filter_queries(query)
    assert full == one
