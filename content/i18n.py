"""Language helpers that every app may use: localised field lookup and Turkmen collation."""

from django.utils import translation

LANGUAGE_CODES = ("en", "ru", "tk")

# Turkmen Latin alphabet order (CURRICULUM.md §9): ç after c, ä after e, ž after j, ň after n,
# ö after o, ş after s, ü after u, ý after y. Turkmen uses the ordinary dotted/dotless I rules of
# English, not Turkish ones.
TURKMEN_ALPHABET = "abcçdeäfghijžklmnňoöprsştuüwyýz"
_TK_ORDER = {letter: index for index, letter in enumerate(TURKMEN_ALPHABET)}


def localized_value(obj, field: str, language: str | None = None) -> str:
    """Return ``obj.<field>_<language>``, falling back to English when that one is blank."""
    language = (language or translation.get_language() or "en")[:2]
    if language not in LANGUAGE_CODES:
        language = "en"
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_en", "")


def turkmen_sort_key(text: str) -> tuple:
    """Return a key that sorts Turkmen text in the order of its alphabet.

    Letters outside the alphabet (Cyrillic, digits, punctuation) sort after it by code point, so a
    mixed list stays stable.
    """
    key = []
    for char in text.casefold():
        position = _TK_ORDER.get(char)
        key.append((0, position) if position is not None else (1, ord(char)))
    return tuple(key)


def sort_key_for(language: str | None = None):
    """Return a sort key function suited to the language (Turkmen collation for ``tk``)."""
    language = (language or translation.get_language() or "en")[:2]
    if language == "tk":
        return turkmen_sort_key
    return str.casefold
