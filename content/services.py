"""Writes to content records that are not pages: the termbase."""

from django.db import transaction
from wagtail.models import Locale

from .models import Term
from .seed import loader

SOURCE_LANGUAGE = "en"


def _term_fields(entry: dict, language: str) -> dict:
    texts = entry[language]
    return {
        "preferred": texts["preferred"],
        "deprecated": "\n".join(texts.get("deprecated", [])),
        "note": texts.get("note", ""),
        "source": entry.get("source", ""),
    }


@transaction.atomic
def termbase_seed(*, locales: dict[str, Locale], data: list | None = None) -> int:
    """Create or update one term per concept and language (safe to re-run); return the number of concepts.

    The English term is the source; the ru and tk terms are its translations (same ``translation_key``).
    A term whose text already matches is left alone, so a second run saves nothing. The seed's terms are
    published at once (the reviewed termbase of the course); editors' later changes go through review.
    """
    entries = data if data is not None else loader.termbase()
    for entry in entries:
        source = None
        for language in [SOURCE_LANGUAGE] + [code for code in locales if code != SOURCE_LANGUAGE]:
            if language not in entry or language not in locales:
                continue
            fields = _term_fields(entry, language)
            term = Term.objects.filter(concept=entry["concept"], locale=locales[language]).first()
            if term is None:
                term = Term(concept=entry["concept"], locale=locales[language], **fields)
                if source is not None:
                    term.translation_key = source.translation_key
                term.save()
                term.save_revision().publish()
            elif any(getattr(term, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(term, name, value)
                term.save()
                term.save_revision().publish()
            if language == SOURCE_LANGUAGE:
                source = term
    return len(entries)
