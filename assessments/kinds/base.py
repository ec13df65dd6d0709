"""What every question kind shares: the ``Kind`` interface, the errors and the checking helpers.

A kind (``assessments/kinds/<kind>.py``) is one object with the kind's rules: the shape of its data
(``check_data``), of a response (``validate_response``), its score (``score``), what a learner sees
(``public``) and reviews (``key_view``), how a form post and a paper cell become a response, its editor in
the admin and its GIFT/Moodle XML mapping. ``assessments.kinds`` registers them; ``scoring``,
``admin_forms``, ``selectors``, ``forms``, ``paper`` and ``interchange`` dispatch to them. Pure Python: no
database here (editors read the legal provisions, and live in the kind modules).

The readings of ``assessments/FORMAT.md`` these helpers make are in ``assessments/scoring.py``'s docstring.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

KEY_PATTERN = re.compile(r"[\w.-]{1,40}")
SCORING_RULES = ("all_or_nothing", "right_minus_wrong", "per_option")
ORDERING_RULES = ("all_or_nothing", "positions", "adjacent_pairs")
SELECTS = ("single", "multiple")
SHORT_MAX_CHARS = 500
RUBRIC_MAX_CHARS = 20000
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CENT = Decimal("0.01")
PART = Decimal("0.0001")
ONE = Fraction(1)
ZERO = Fraction(0)
PENDING = "pending"  # a score that waits for a grader (rubric)


def _format(template, params):
    return str(template) % params


_format_lazy = lazy(_format, str)


def msg(template, **params):
    """A lazy message: ``template`` filled with ``params`` in the language active when it is shown."""
    return _format_lazy(template, {name: _shown(value) for name, value in params.items()})


def _shown(value):
    if isinstance(value, str):
        return value[:80]
    return str(value)[:80]


class QuestionDataError(Exception):
    """The data of a question does not have the documented shape; ``messages`` lists every problem."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__(self.messages)

    def __str__(self):
        return " ".join(str(message) for message in self.messages)


class ResponseError(Exception):
    """A response (or a trainer's awards) refused; ``message`` says why in the user's language."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)

    def __str__(self):
        return str(self.message)


@dataclass(frozen=True)
class Score:
    score: Decimal
    fraction: Decimal
    parts: dict = field(default_factory=dict)
    needs_grading: bool = False


# --- small helpers -------------------------------------------------------------------------------------


def round_to(value: Fraction, step: Decimal) -> Decimal:
    """``value`` rounded half up (away from zero; values here are >= 0) to a multiple of ``step``."""
    step_fraction = Fraction(step)
    units = value / step_fraction
    whole = (abs(units.numerator) * 2 + units.denominator) // (units.denominator * 2)
    if units < 0:
        whole = -whole
    return Decimal(whole) * step


def tidy(value: Fraction) -> Decimal:
    """A part or fraction: rounded half up to 4 places, without trailing zeros."""
    rounded = round_to(value, PART)
    if rounded == rounded.to_integral_value():
        return rounded.quantize(Decimal(1))
    return rounded.normalize()


def is_key(value) -> bool:
    return isinstance(value, str) and KEY_PATTERN.fullmatch(value) is not None


def nfc(value):
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def keys_of(entries) -> list:
    if not isinstance(entries, list):
        return []
    return [entry.get("key") for entry in entries if isinstance(entry, dict) and isinstance(entry.get("key"), str)]


def is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def number(value) -> Fraction | None:
    """A JSON number (or decimal string) as an exact fraction; None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        result = Fraction(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return result


def name_or_number(value, position):
    return value if isinstance(value, str) and value else f"#{position}"


def options_order(*, keys: list[str], seed: str) -> list[str]:
    """``keys`` in an order fixed by ``seed``: sorted by sha256(seed, NUL, key), ties by the key itself.

    The same seed always gives the same order (a resumed attempt shows what it showed before); each key's
    place depends only on the seed and the key, so translations with the same keys are shuffled alike.
    """

    def rank(key):
        return hashlib.sha256(f"{seed}\x00{key}".encode()).hexdigest(), key

    return sorted(keys, key=rank)


def ordered(options, seed):
    """Entries in the order of ``options_order`` (as stored when ``seed`` is empty)."""
    if not seed:
        return options
    by_key = {option["key"]: option for option in options}
    return [by_key[key] for key in options_order(keys=list(by_key), seed=seed)]


def texts(entries, *names):
    """Whitelisted copies of keyed entries: the key and the fields ``names`` only."""
    return [{name: entry.get(name, "") for name in ("key", *names)} for entry in entries or []]


# --- question data -------------------------------------------------------------------------------------

_MESSAGES_KEYED = {
    # field: (duplicate key, no text)
    "options": (_("Option key “%(key)s” appears twice."), _("Option “%(key)s” has no text.")),
    "items": (_("Item key “%(key)s” appears twice."), _("Item “%(key)s” has no text.")),
    "choices": (_("Choice key “%(key)s” appears twice."), _("Choice “%(key)s” has no text.")),
    "elements": (_("Element key “%(key)s” appears twice."), _("Element “%(key)s” has no label.")),
    "criteria": (_("Criterion key “%(key)s” appears twice."), _("Criterion “%(key)s” has no text.")),
}
_MESSAGES_TOO_FEW = {
    "options": _("Add at least two options."),
    "items": _("Add at least two items."),
    "choices": _("Add at least two choices."),
    "elements": _("Add at least one element."),
    "criteria": _("Add at least one criterion."),
}
_MINIMUM = {"options": 2, "items": 2, "choices": 2, "elements": 1, "criteria": 1}


def keyed_list(data, field_name, problems, *, text="text", element=None) -> list:
    """Check a list of ``{"key": …, text: …}`` entries; return the valid, unique keys in order."""
    entries = data.get(field_name)
    if not isinstance(entries, list):
        if element is None:
            problems.append(msg(_("“%(field)s” must be a list."), field=field_name))
        else:
            problems.append(
                msg(_("Element “%(element)s”: “%(field)s” must be a list."), element=element, field=field_name)
            )
        return []
    keys = []
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            if element is None:
                problems.append(
                    msg(_("Entry %(number)s of “%(field)s” must be an object."), number=position, field=field_name)
                )
            else:
                problems.append(
                    msg(
                        _("Element “%(element)s”: entry %(number)s of “%(field)s” must be an object."),
                        element=element,
                        number=position,
                        field=field_name,
                    )
                )
            continue
        key = entry.get("key")
        if not is_key(key):
            if key is None or key == "":
                if element is None:
                    problems.append(
                        msg(_("Entry %(number)s of “%(field)s” has no key."), number=position, field=field_name)
                    )
                else:
                    problems.append(
                        msg(
                            _("Element “%(element)s”: entry %(number)s of “%(field)s” has no key."),
                            element=element,
                            number=position,
                            field=field_name,
                        )
                    )
            else:
                problems.append(
                    msg(_("The key “%(key)s” is not valid: use 1 to 40 letters, digits, “.”, “-” or “_”."), key=key)
                )
            continue
        if key in keys:
            if element is None:
                problems.append(msg(_MESSAGES_KEYED[field_name][0], key=key))
            else:
                problems.append(
                    msg(_("Element “%(element)s”: option key “%(key)s” appears twice."), element=element, key=key)
                )
            continue
        keys.append(key)
        value = entry.get(text)
        if not isinstance(value, str) or not value.strip():
            if element is None:
                problems.append(msg(_MESSAGES_KEYED[field_name][1], key=key))
            else:
                problems.append(msg(_("Element “%(element)s”: option “%(key)s” has no text."), element=element, key=key))
    if len(entries) < _MINIMUM[field_name]:
        if element is None:
            problems.append(_MESSAGES_TOO_FEW[field_name])
        else:
            problems.append(msg(_("Element “%(element)s”: add at least two options."), element=element))
    return keys


def shuffle_flag(data, problems):
    if "shuffle" in data and not isinstance(data["shuffle"], bool):
        problems.append(_("“shuffle” must be true or false."))


def rule_check(data, rules, problems):
    rule = data.get("scoring")
    if rule is None:
        problems.append(msg(_("Choose a scoring rule: %(rules)s."), rules=", ".join(rules)))
    elif rule not in rules:
        problems.append(
            msg(_("Unknown scoring rule “%(rule)s”; use one of: %(rules)s."), rule=rule, rules=", ".join(rules))
        )


def correct_list(correct, keys, problems, *, element=None) -> list:
    """Check a list of correct option keys; return the valid ones."""
    if not isinstance(correct, list) or not all(isinstance(key, str) for key in correct):
        if element is None:
            problems.append(_("“correct” must be a list of option keys."))
        else:
            problems.append(msg(_("Element “%(element)s”: “correct” must be a list of option keys."), element=element))
        return []
    seen = []
    for key in correct:
        if key in seen:
            if element is None:
                problems.append(msg(_("The correct option “%(key)s” is listed twice."), key=key))
            else:
                problems.append(
                    msg(_("Element “%(element)s”: the correct option “%(key)s” is listed twice."), element=element, key=key)
                )
            continue
        seen.append(key)
        if key not in keys:
            if element is None:
                problems.append(msg(_("The correct option “%(key)s” is not one of the options."), key=key))
            else:
                problems.append(
                    msg(
                        _("Element “%(element)s”: the correct option “%(key)s” is not one of its options."),
                        element=element,
                        key=key,
                    )
                )
    return seen


# --- responses and scores ------------------------------------------------------------------------------


def text_validate(response, limit):
    """A typed answer, stripped; None when blank; ``ResponseError`` when not text or over ``limit``."""
    if not isinstance(response, str):
        raise ResponseError(_("The answer must be text."))
    text = response.strip()
    if not text:
        return None
    if len(text) > limit:
        raise ResponseError(
            msg(
                _("The answer is too long: %(count)s characters; at most %(limit)s are allowed."),
                count=len(text),
                limit=limit,
            )
        )
    return text


def judged_options(options, correct, chosen):
    return {key: ONE if (key in chosen) == (key in correct) else ZERO for key in options}


def right_minus_wrong(options, correct, chosen) -> Fraction:
    """max(0, c/C − w/W); with C = 0 choosing nothing scores 1 and choosing anything 0."""
    wrong = [key for key in options if key not in correct]
    c = len(chosen & correct)
    w = len(chosen - correct)
    if not correct:
        return ONE if not chosen else ZERO
    value = Fraction(c, len(correct)) - (Fraction(w, len(wrong)) if wrong else ZERO)
    return max(ZERO, value)


# --- the interface -------------------------------------------------------------------------------------


class Kind:
    """One question kind. Subclasses override what their kind needs; the defaults suit a kind without keys.

    ``paper``: the kind can be answered on a paper answer sheet (``cell_response``). ``editor``: the
    ``KindEditor`` class of the admin. The kind's GIFT and Moodle XML mapping (its data from a file's answers
    and grades, and back) are functions of its module, which ``interchange.gift`` and ``moodle_xml`` call
    after reading the syntax of the file.
    ``moodle_type``: the Moodle question type the kind is written as. ``graded_by_hand``: a trainer scores
it (a lesson's knowledge check never asks it).
    """

    name = ""
    label = ""
    editor = None
    paper = False
    graded_by_hand = False
    moodle_type = ""

    def check_data(self, data: dict, problems: list) -> None:
        """Append to ``problems`` every way ``data`` differs from the kind's shape."""

    def validate_response(self, data: dict, response):
        """The response to store (``response`` is not None), None for "not answered"; else ``ResponseError``."""
        raise NotImplementedError

    def score(self, data: dict, response, awards=None):
        """``(fraction, parts)`` as exact fractions, None when not answered, or ``PENDING``."""
        raise NotImplementedError

    def check_awards(self, data: dict, awards):
        """Trainer's awards, checked (only kinds graded by hand have any)."""
        return {}

    def public(self, data: dict, seed: str) -> dict:
        """What a learner may see while answering: texts and keys, never the key."""
        return {}

    def key_view(self, data: dict) -> dict:
        """The key, for review after the test allows it (``feedback`` is added by the caller)."""
        return {}

    def from_post(self, *, item, post, name: str):
        """The response in a form post (field ``name``, and ``name-<key>`` per entry), or None."""
        return None

    def feedback(self, data: dict, response, parts: dict) -> list:
        """Feedback texts for this response (never the key itself)."""
        return []

    def cell_response(self, data: dict, text: str):
        """The response a non-empty paper cell stands for; ``ValueError`` with a message for the trainer."""
        raise NotImplementedError

    def key_summary(self, data: dict) -> str:
        """The key without its texts, the same in every language when the versions agree."""
        return ""

    def response_example(self, data: dict, *, right: bool, rng):
        """A response a learner could give (demo data): the key when ``right``."""
        return None

    def prompt_problems(self, prompt: str, data: dict) -> list:
        """How the question text disagrees with ``data`` (a kind whose text holds its answers' places)."""
        return []

    def points_problem(self, data: dict, points):
        """Why ``points`` do not suit ``data`` (a message), or None."""
        return None

    def export_problem(self, data: dict) -> str | None:
        """The first field that makes ``data`` impossible to write to a file, or None."""
        return None


# --- paper cells ---------------------------------------------------------------------------------------

BLANK_MARKS = {"-", "_", "?"}
_LOOKALIKES = str.maketrans("АВСЕНКМОРТХавсенкмортх", "ABCEHKMOPTXABCEHKMOPTX")
_SEPARATORS = re.compile(r"[\s,;/.]+")
BAD_LETTER = _("“%(letter)s” is not one of the letters of this item (A–%(last)s).")
ONE_LETTER = _("Write one letter.")


def letters_of(text: str) -> str:
    """A cell's letters: Cyrillic look-alikes read as Latin, separators dropped, upper case."""
    return _SEPARATORS.sub("", text.translate(_LOOKALIKES)).upper()


def pick(letter: str, entries: list):
    """The key of the entry lettered ``letter``; ``ValueError`` with a message when there is none."""
    index = LETTERS.find(letter) if len(letter) == 1 else -1
    if index < 0 or index >= len(entries):
        raise ValueError(str(BAD_LETTER) % {"letter": letter, "last": LETTERS[len(entries) - 1]})
    return entries[index]["key"]
