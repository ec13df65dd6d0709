"""The terminology check: find the deprecated variants of the termbase in texts.

A variant matches as a whole word (or phrase), ignoring case, in any script: ``(?<!\\w)`` and ``(?!\\w)``
are Unicode-aware, so «опрос» does not match inside «вопрос» and «usul» not inside «usullar». Whitespace
inside a variant matches any run of whitespace. HTML tags are dropped before matching.

This module knows the sources that live in ``content`` (legal provisions, H5P activity texts, the ru/tk
catalogues); lessons and questions add their own texts (``courses.terminology``,
``assessments.terminology``), and ``assessments.terminology.terminology_findings`` gathers them all.
"""

import html
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .h5p.services import h5p_file_path
from .models import H5PPackage, LegalProvision, Term
from .storage import package_storage

TAG = re.compile(r"<[^>]+>")
CATALOGUE_LANGUAGES = ("ru", "tk")


@dataclass(frozen=True)
class Text:
    """A text to check: what it is (``kind``), where (``location``, readable by an editor), its language."""

    kind: str
    location: str
    language: str
    text: str
    url: str = ""


@dataclass(frozen=True)
class Finding:
    kind: str
    location: str
    language: str
    variant: str
    preferred: str
    concept: str
    excerpt: str
    url: str = ""


def plain(value: str) -> str:
    """Return the text of an HTML string (tags dropped, entities decoded)."""
    return html.unescape(TAG.sub(" ", value or ""))


def strings(value, skip_keys: frozenset = frozenset()) -> Iterator[str]:
    """Yield every string inside nested lists and dicts (a StreamField's raw data, a JSON document)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key not in skip_keys:
                yield from strings(item, skip_keys)
    elif isinstance(value, Sequence):  # lists, and a StreamField's RawDataView
        for item in value:
            yield from strings(item, skip_keys)


def variant_pattern(variant: str) -> re.Pattern:
    words = [re.escape(word) for word in variant.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


class Matcher:
    """The deprecated variants of the termbase, by language, compiled once."""

    def __init__(self, terms: Iterable[Term]):
        self.patterns: dict[str, list[tuple[re.Pattern, str, Term]]] = {}
        for term in terms:
            for variant in term.deprecated_variants:
                self.patterns.setdefault(term.locale.language_code, []).append((variant_pattern(variant), variant, term))

    def find(self, text: Text) -> list[Finding]:
        body = " ".join(plain(text.text).split())
        found = []
        for pattern, variant, term in self.patterns.get(text.language, []):
            for match in pattern.finditer(body):
                start, end = max(0, match.start() - 40), match.end() + 40
                found.append(
                    Finding(
                        kind=text.kind, location=text.location, language=text.language, variant=match.group(0),
                        preferred=term.preferred, concept=term.concept,
                        excerpt=("…" if start else "") + body[start:end] + ("…" if end < len(body) else ""),
                        url=text.url,
                    )
                )
        return found


def matcher() -> Matcher:
    return Matcher(Term.objects.select_related("locale").filter(live=True).exclude(deprecated=""))


def find_in(texts: Iterable[Text], using: Matcher | None = None) -> list[Finding]:
    using = using or matcher()
    return [finding for text in texts for finding in using.find(text)]


def deprecated_terms_in(value, language: str, using: Matcher | None = None) -> list[Finding]:
    """The deprecated variants in any value (a string, or nested data such as a StreamField's raw data)."""
    text = Text(kind="", location="", language=language, text="\n".join(strings(value)))
    return find_in([text], using)


# --- the sources that live in content -----------------------------------------------------------------

PROVISION_FIELDS = ("instrument", "article", "title", "edition", "text", "notes")


def provision_texts() -> Iterator[Text]:
    for provision in LegalProvision.objects.select_related("locale").order_by("code", "locale__language_code"):
        language = provision.locale.language_code
        location = f"{provision.code} ({provision.article})"
        for name in PROVISION_FIELDS:
            yield Text("provision", f"{location}: {name}", language, getattr(provision, name) or "")
        yield Text("provision", f"{location}: parts", language, "\n".join(strings(provision.parts.raw_data)))


def h5p_texts() -> Iterator[Text]:
    """The texts of every H5P package's content.json (read from the package storage)."""
    storage = package_storage()
    for package in H5PPackage.objects.select_related("locale").order_by("title", "locale__language_code"):
        name = h5p_file_path(package=package, path="content/content.json")
        try:
            with storage.open(name) as handle:
                data = json.loads(handle.read().decode("utf-8"))
        except (OSError, ValueError):
            continue
        yield Text("h5p", f"{package.title} (content.json)", package.locale.language_code,
                   "\n".join([package.title, *strings(data)]))


def catalogue_texts(locale_dir: Path | None = None) -> Iterator[Text]:
    """The translated strings (msgstr) of the ru and tk catalogues."""
    import polib

    locale_dir = Path(locale_dir or settings.LOCALE_PATHS[0])
    for language in CATALOGUE_LANGUAGES:
        path = locale_dir / language / "LC_MESSAGES" / "django.po"
        if not path.exists():
            continue
        relative = f"locale/{language}/LC_MESSAGES/django.po"
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            translations = [entry.msgstr] if not entry.msgstr_plural else list(entry.msgstr_plural.values())
            for translation in translations:
                if translation:
                    yield Text("catalogue", f"{relative}:{entry.linenum} msgid {entry.msgid[:60]!r}", language, translation)
