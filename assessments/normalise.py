"""Normalising short answers before they are compared (``assessments/FORMAT.md``, kind ``short``).

Steps, in this order:

1. Unicode NFC, so "ş" typed as ``s`` + U+0327 equals the precomposed "ş".
2. Case folding with ``str.casefold``, which is not locale-aware, so no Turkish rules apply: "I" folds to
   "i" (Turkmen uses ordinary I/i) and "ı" (dotless i) stays "ı". "İ" (capital I with dot, as a Turkish
   keyboard types it) folds to "i" + U+0307; the combining dot above after "i" or "j" is dropped, so "İ"
   equals "I" and "i". Turkmen letters stay letters of their own: "ş" ≠ "s", "ý" ≠ "y", "Ý" = "ý".
3. The punctuation ``. , ; : ! ? " « » ' ’ ( )`` is dropped (removed, not replaced by a space).
4. Whitespace (any Unicode space, including no-break space) is collapsed to one space and trimmed.
5. Look-alike letters are unified by script. The Cyrillic letters а е о р с у х і ј ѕ (capitals fold to
   them in step 2) look like the Latin a e o p c y x i j s. The script of each word (a run of
   non-space characters) is decided by its letters that are *not* look-alikes: more Latin ones make the
   word Latin and its Cyrillic look-alikes become Latin; more Cyrillic ones make it Cyrillic and its Latin
   look-alikes become Cyrillic. A word made only of look-alikes (or with a tie) takes the script of the
   whole answer, decided the same way over all its words; when that is undecided too, ``script_hint``
   decides ("latin"/"cyrillic", or a language code: "en" and "tk" are Latin, "ru" Cyrillic); without a
   hint the word is left as it is.
"""

import re
import unicodedata

LATIN = "latin"
CYRILLIC = "cyrillic"

PUNCTUATION = ".,;:!?\"«»'’()"
_DROP = str.maketrans("", "", PUNCTUATION)
_DOT_ABOVE = re.compile("(?<=[ij])\u0307")

CYRILLIC_TO_LATIN = {
    "а": "a",
    "е": "e",
    "о": "o",
    "р": "p",
    "с": "c",
    "у": "y",
    "х": "x",
    "і": "i",
    "ј": "j",
    "ѕ": "s",
}
CYRILLIC_TO_LATIN.update({cyr.upper(): lat.upper() for cyr, lat in list(CYRILLIC_TO_LATIN.items())})
LATIN_TO_CYRILLIC = {lat: cyr for cyr, lat in CYRILLIC_TO_LATIN.items()}
_TO_LATIN = str.maketrans(CYRILLIC_TO_LATIN)
_TO_CYRILLIC = str.maketrans(LATIN_TO_CYRILLIC)

_HINTS = {LATIN: LATIN, "en": LATIN, "tk": LATIN, CYRILLIC: CYRILLIC, "ru": CYRILLIC}


def _letter_script(char: str) -> str | None:
    """LATIN or CYRILLIC for a letter that is not a look-alike; None otherwise."""
    if char in CYRILLIC_TO_LATIN or char in LATIN_TO_CYRILLIC or not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    if name.startswith("LATIN"):
        return LATIN
    if name.startswith("CYRILLIC"):
        return CYRILLIC
    return None


def _majority(text: str) -> str | None:
    latin = cyrillic = 0
    for char in text:
        script = _letter_script(char)
        if script == LATIN:
            latin += 1
        elif script == CYRILLIC:
            cyrillic += 1
    if latin > cyrillic:
        return LATIN
    if cyrillic > latin:
        return CYRILLIC
    return None


def text_script(text: str) -> str | None:
    """The script (LATIN, CYRILLIC or None when undecided) of a text, by its non-look-alike letters."""
    return _majority(unicodedata.normalize("NFC", text).casefold())


def answer_normalise(text: str, *, script_hint: str | None = None) -> str:
    """The comparable form of a short answer; see the module docstring for the rules."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = _DOT_ABOVE.sub("", text)
    text = " ".join(text.translate(_DROP).split())
    fallback = _majority(text) or _HINTS.get((script_hint or "").lower())
    words = []
    for word in text.split(" "):
        script = _majority(word) or fallback
        if script == LATIN:
            word = word.translate(_TO_LATIN)
        elif script == CYRILLIC:
            word = word.translate(_TO_CYRILLIC)
        words.append(word)
    return unicodedata.normalize("NFC", " ".join(words))
