"""The termbase (content.Term), its seed, and the terminology check (manage.py check_terms)."""

import pytest
from wagtail.models import Locale, Revision

from content.models import Term
from content.seed import loader
from content.services import termbase_seed

pytestmark = pytest.mark.django_db

REQUIRED_CONCEPTS = {
    "act", "means", "purpose", "consent", "servitude", "practices-similar-to-slavery", "forced-labour",
    "exploitation", "victim", "trafficker", "case-study", "interview", "witness", "smuggling-of-migrants",
    "aggravating-circumstance", "central-authority", "mla-request", "extradition", "national-referral-mechanism",
    "non-punishment-principle", "indicators", "identification", "referral", "recruitment", "transportation",
    "harbouring", "abuse-of-vulnerability", "debt-bondage", "organ-removal", "child", "palermo-protocol",
    "training-film",
}


def locales():
    return {locale.language_code: locale for locale in Locale.objects.all()}


def test_the_seed_termbase_names_every_concept_of_the_course_in_three_languages():
    concepts = {entry["concept"]: entry for entry in loader.termbase()}
    assert REQUIRED_CONCEPTS <= set(concepts)
    assert concepts["interview"]["ru"]["preferred"] == "допрос"
    assert "опрос" in concepts["interview"]["ru"]["deprecated"]
    assert concepts["means"]["tk"]["preferred"] == "täsir ediş serişdesi"


def test_termbase_seed_makes_translated_terms_and_is_idempotent():
    count = termbase_seed(locales=locales())
    assert count >= 30
    assert Term.objects.filter(locale__language_code="en").count() == count
    means = Term.objects.get(concept="means", locale__language_code="tk")
    english = Term.objects.get(concept="means", locale__language_code="en")
    assert means.translation_key == english.translation_key
    assert means.get_translation(Locale.objects.get(language_code="ru")).preferred == "способ"
    assert means.deprecated_variants == ["serişde"]
    terms, revisions = Term.objects.count(), Revision.objects.count()
    assert termbase_seed(locales=locales()) == count
    assert (Term.objects.count(), Revision.objects.count()) == (terms, revisions)
