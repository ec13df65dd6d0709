"""Reads about content records."""

from wagtail.models import ReferenceIndex

from .i18n import sort_key_for
from .models import LegalProvision, Term


def provisions_superseded() -> list[LegalProvision]:
    """Return provisions that a newer edition replaces (in every language)."""
    return list(
        LegalProvision.objects.filter(superseded_by__isnull=False).distinct().select_related("locale")
    )


def provision_review_list() -> list[dict]:
    """For each superseded provision, the pages and records that still reference it.

    Lessons keep pointing at the edition they were written for: when an editor adds a new edition,
    this list tells them which lessons to review and re-point.
    """
    rows = []
    for provision in provisions_superseded():
        references = ReferenceIndex.get_references_to(provision).group_by_source_object()
        # the newer edition refers to the old one through ``supersedes``: that is not a use
        sources = [
            source
            for source, _references in references
            if source is not None and not isinstance(source, LegalProvision)
        ]
        rows.append(
            {
                "provision": provision,
                "newer": list(provision.superseded_by.all()),
                "sources": sources,
            }
        )
    return rows


def glossary(language: str) -> list:
    """The terms of the termbase in one language, in that language's alphabetical order."""
    key = sort_key_for(language)
    terms = Term.objects.filter(locale__language_code=language, live=True)  # drafts wait for review
    return sorted(terms, key=lambda term: key(term.preferred.strip("«»“”\"' ")))
