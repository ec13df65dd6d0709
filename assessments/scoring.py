"""Checking question data and responses, and scoring responses: pure functions, no database.

The shapes are documented in ``assessments/FORMAT.md``. Readings of that document this module makes:

Keys
    A key is a string that fully matches ``[\\w.-]{1,40}`` with Python's Unicode ``\\w`` (letters and
    digits of any script, and ``_``), so aggravation keys like ``2.ç`` are valid. Combining marks are not
    ``\\w``, so a key must be written in NFC (``ç`` as one character). Keys in responses are compared
    after NFC normalisation.

Question data (``question_data_validate``)
    Options, items, choices, elements and criteria need a valid, unique key and a non-empty text (an
    element a label). At least two options (single, multiple, each case element), two items (matching,
    ordering), two choices (matching), one element (case), one criterion (rubric), one accepted answer
    (short). ``scoring`` is required for multiple and ordering (``response_score`` falls back to
    ``all_or_nothing`` for data saved without it). In matching, several items may share a choice. A case
    element's ``weight`` is optional (default 1) and must be a number > 0; ``select`` is required. A rubric
    ``max_words`` is optional (no word limit but the 20,000 characters), else a whole number > 0.

Responses (``response_validate``)
    ``None`` is "not answered", and so are: ``""`` for single; a blank (whitespace-only) text for short
    and rubric; a matching response that pairs no item (pairs with a ``None`` or ``""`` choice are
    unanswered items and dropped); an empty ordering list; a case response ``{}`` that names no element.
    An empty multiple list ``[]`` is an answer (nothing chosen), and so is a case response naming
    elements with empty lists ("none of these applies"): both can score. Truefalse takes JSON booleans
    only. Short and rubric texts are stored stripped; the limits apply to the stripped text, and words are
    runs of non-space characters.

Scoring (``response_score``)
    Scoring never refuses a stored response: data may have changed since the response was saved (a key
    corrected and regraded), so keys the question no longer has are ignored and a response of the wrong
    shape scores as not answered. Arithmetic is exact (``fractions.Fraction``); ``score`` is rounded half
    up to 0.01 and ``fraction`` and ``parts`` half up to 4 places (shown without trailing zeros: ``1``,
    ``0.5``, ``0.3333``). ``fraction`` is the exact fraction rounded, not ``score / points``.

    ``parts`` by kind (empty when not answered):

    - single: ``{chosen option: 1 or 0}``; truefalse: ``{"true" or "false": 1 or 0}`` (the choice made);
    - multiple: every option: 1 when judged right (chosen and correct, or not chosen and wrong), else 0,
      whatever the scoring rule;
    - matching: every item: 1 when matched to its correct choice, else 0 (also when unanswered);
    - ordering: ``all_or_nothing`` and ``positions``: every item: 1 when at its right position;
      ``adjacent_pairs``: every item of ``correct`` but the last: 1 when its successor in ``correct``
      directly follows it in the response (the item names the pair it starts);
    - short: ``{"answer": 1 or 0}``;
    - case: every element: its fraction;
    - rubric: every criterion: awarded / criterion points (empty while awaiting grading).

Rubric
    Without awards (``None`` or ``{}``) an answered rubric scores 0 and needs grading; an unanswered one
    scores 0 and needs none. Awards are whole numbers (``int``, or a string of digits as a form posts it)
    from 0 to the criterion's points, for criteria the question has; a criterion left out of the awards
    counts as 0 awarded. Anything else raises ``ResponseError`` (also for an unanswered response).
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .normalise import answer_normalise, text_script

__all__ = [
    "KINDS",
    "SCORING_RULES",
    "ORDERING_RULES",
    "QuestionDataError",
    "ResponseError",
    "Score",
    "answer_normalise",
    "options_order",
    "question_data_validate",
    "response_score",
    "response_validate",
]

KINDS = ("single", "multiple", "truefalse", "matching", "ordering", "short", "case", "rubric")
SCORING_RULES = ("all_or_nothing", "right_minus_wrong", "per_option")
ORDERING_RULES = ("all_or_nothing", "positions", "adjacent_pairs")
SELECTS = ("single", "multiple")
KEY_PATTERN = re.compile(r"[\w.-]{1,40}")
SHORT_MAX_CHARS = 500
RUBRIC_MAX_CHARS = 20000

CENT = Decimal("0.01")
PART = Decimal("0.0001")


def _format(template, params):
    return str(template) % params


_format_lazy = lazy(_format, str)


def _msg(template, **params):
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


def _round(value: Fraction, step: Decimal) -> Decimal:
    """``value`` rounded half up (away from zero; values here are >= 0) to a multiple of ``step``."""
    step_fraction = Fraction(step)
    units = value / step_fraction
    whole = (abs(units.numerator) * 2 + units.denominator) // (units.denominator * 2)
    if units < 0:
        whole = -whole
    return Decimal(whole) * step


def _tidy(value: Fraction) -> Decimal:
    """A part or fraction: rounded half up to 4 places, without trailing zeros."""
    rounded = _round(value, PART)
    if rounded == rounded.to_integral_value():
        return rounded.quantize(Decimal(1))
    return rounded.normalize()


def _is_key(value) -> bool:
    return isinstance(value, str) and KEY_PATTERN.fullmatch(value) is not None


def _nfc(value):
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _keys(entries) -> list:
    if not isinstance(entries, list):
        return []
    return [entry.get("key") for entry in entries if isinstance(entry, dict) and isinstance(entry.get("key"), str)]


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value) -> Fraction | None:
    """A JSON number (or decimal string) as an exact fraction; None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        result = Fraction(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return result


def _name(value, number):
    return value if isinstance(value, str) and value else f"#{number}"


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


def _keyed_list(data, field_name, problems, *, text="text", element=None) -> list:
    """Check a list of ``{"key": …, text: …}`` entries; return the valid, unique keys in order."""
    entries = data.get(field_name)
    if not isinstance(entries, list):
        if element is None:
            problems.append(_msg(_("“%(field)s” must be a list."), field=field_name))
        else:
            problems.append(
                _msg(_("Element “%(element)s”: “%(field)s” must be a list."), element=element, field=field_name)
            )
        return []
    keys = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            if element is None:
                problems.append(
                    _msg(_("Entry %(number)s of “%(field)s” must be an object."), number=number, field=field_name)
                )
            else:
                problems.append(
                    _msg(
                        _("Element “%(element)s”: entry %(number)s of “%(field)s” must be an object."),
                        element=element,
                        number=number,
                        field=field_name,
                    )
                )
            continue
        key = entry.get("key")
        if not _is_key(key):
            if key is None or key == "":
                if element is None:
                    problems.append(
                        _msg(_("Entry %(number)s of “%(field)s” has no key."), number=number, field=field_name)
                    )
                else:
                    problems.append(
                        _msg(
                            _("Element “%(element)s”: entry %(number)s of “%(field)s” has no key."),
                            element=element,
                            number=number,
                            field=field_name,
                        )
                    )
            else:
                problems.append(
                    _msg(
                        _("The key “%(key)s” is not valid: use 1 to 40 letters, digits, “.”, “-” or “_”."), key=key
                    )
                )
            continue
        if key in keys:
            if element is None:
                problems.append(_msg(_MESSAGES_KEYED[field_name][0], key=key))
            else:
                problems.append(
                    _msg(_("Element “%(element)s”: option key “%(key)s” appears twice."), element=element, key=key)
                )
            continue
        keys.append(key)
        value = entry.get(text)
        if not isinstance(value, str) or not value.strip():
            if element is None:
                problems.append(_msg(_MESSAGES_KEYED[field_name][1], key=key))
            else:
                problems.append(
                    _msg(_("Element “%(element)s”: option “%(key)s” has no text."), element=element, key=key)
                )
    if len(entries) < _MINIMUM[field_name]:
        if element is None:
            problems.append(_MESSAGES_TOO_FEW[field_name])
        else:
            problems.append(_msg(_("Element “%(element)s”: add at least two options."), element=element))
    return keys


def _shuffle_flag(data, problems):
    if "shuffle" in data and not isinstance(data["shuffle"], bool):
        problems.append(_("“shuffle” must be true or false."))


def _rule(data, rules, problems):
    rule = data.get("scoring")
    if rule is None:
        problems.append(_msg(_("Choose a scoring rule: %(rules)s."), rules=", ".join(rules)))
    elif rule not in rules:
        problems.append(
            _msg(_("Unknown scoring rule “%(rule)s”; use one of: %(rules)s."), rule=rule, rules=", ".join(rules))
        )


def _correct_list(correct, keys, problems, *, element=None) -> list:
    """Check a list of correct option keys; return the valid ones."""
    if not isinstance(correct, list) or not all(isinstance(key, str) for key in correct):
        if element is None:
            problems.append(_("“correct” must be a list of option keys."))
        else:
            problems.append(_msg(_("Element “%(element)s”: “correct” must be a list of option keys."), element=element))
        return []
    seen = []
    for key in correct:
        if key in seen:
            if element is None:
                problems.append(_msg(_("The correct option “%(key)s” is listed twice."), key=key))
            else:
                problems.append(
                    _msg(
                        _("Element “%(element)s”: the correct option “%(key)s” is listed twice."),
                        element=element,
                        key=key,
                    )
                )
            continue
        seen.append(key)
        if key not in keys:
            if element is None:
                problems.append(_msg(_("The correct option “%(key)s” is not one of the options."), key=key))
            else:
                problems.append(
                    _msg(
                        _("Element “%(element)s”: the correct option “%(key)s” is not one of its options."),
                        element=element,
                        key=key,
                    )
                )
    return seen


def _check_single(data, problems):
    keys = _keyed_list(data, "options", problems)
    _shuffle_flag(data, problems)
    correct = data.get("correct")
    if not isinstance(correct, str) or not correct:
        problems.append(_("Choose the correct option."))
    elif correct not in keys:
        problems.append(_msg(_("The correct option “%(key)s” is not one of the options."), key=correct))


def _check_multiple(data, problems):
    keys = _keyed_list(data, "options", problems)
    _shuffle_flag(data, problems)
    _rule(data, SCORING_RULES, problems)
    correct = data.get("correct")
    _correct_list(correct, keys, problems)
    if isinstance(correct, list) and not correct:
        problems.append(_("Choose at least one correct option."))


def _check_truefalse(data, problems):
    if not isinstance(data.get("correct"), bool):
        problems.append(_("“correct” must be true or false."))


def _check_matching(data, problems):
    items = _keyed_list(data, "items", problems)
    choices = _keyed_list(data, "choices", problems)
    _shuffle_flag(data, problems)
    correct = data.get("correct")
    if not isinstance(correct, dict):
        problems.append(_("“correct” must map every item to its choice."))
        return
    for item, choice in correct.items():
        if item not in items:
            problems.append(_msg(_("“correct” names item “%(item)s”, which the question does not have."), item=item))
        elif not isinstance(choice, str) or choice not in choices:
            problems.append(
                _msg(
                    _("The correct choice “%(choice)s” for item “%(item)s” is not one of the choices."),
                    choice=choice,
                    item=item,
                )
            )
    for item in items:
        if item not in correct:
            problems.append(_msg(_("Item “%(item)s” has no correct choice."), item=item))


def _check_ordering(data, problems):
    items = _keyed_list(data, "items", problems)
    _rule(data, ORDERING_RULES, problems)
    correct = data.get("correct")
    if not isinstance(correct, list) or not all(isinstance(key, str) for key in correct):
        problems.append(_("“correct” must list the item keys in the right order."))
        return
    seen = []
    for key in correct:
        if key in seen:
            problems.append(_msg(_("The correct order lists item “%(key)s” twice."), key=key))
        elif key not in items:
            problems.append(_msg(_("The correct order names item “%(key)s”, which is not one of the items."), key=key))
        seen.append(key)
    for key in items:
        if key not in seen:
            problems.append(_msg(_("The correct order leaves out item “%(key)s”."), key=key))


def _check_short(data, problems):
    accepted = data.get("accepted")
    if not isinstance(accepted, list):
        problems.append(_msg(_("“%(field)s” must be a list."), field="accepted"))
        return
    if not accepted:
        problems.append(_("Add at least one accepted answer."))
    for number, answer in enumerate(accepted, start=1):
        if not isinstance(answer, str) or not answer_normalise(answer):
            problems.append(
                _msg(_("Accepted answer %(number)s is empty (spaces and punctuation do not count)."), number=number)
            )
        elif len(answer.strip()) > SHORT_MAX_CHARS:
            problems.append(
                _msg(
                    _("Accepted answer %(number)s is longer than the %(limit)s characters a response may have."),
                    number=number,
                    limit=SHORT_MAX_CHARS,
                )
            )


def _check_case(data, problems):
    for name in ("scenario", "provision"):
        if name in data and not isinstance(data[name], str):
            problems.append(_msg(_("“%(field)s” must be text."), field=name))
    _keyed_list(data, "elements", problems, text="label")
    elements = data.get("elements")
    if not isinstance(elements, list):
        return
    for number, element in enumerate(elements, start=1):
        if not isinstance(element, dict):
            continue
        name = _name(element.get("key"), number)
        keys = _keyed_list(element, "options", problems, element=name)
        select = element.get("select")
        if select not in SELECTS:
            problems.append(_msg(_("Element “%(element)s”: “select” must be “single” or “multiple”."), element=name))
        correct = _correct_list(element.get("correct"), keys, problems, element=name)
        if select == "single" and isinstance(element.get("correct"), list) and len(correct) != 1:
            problems.append(
                _msg(_("Element “%(element)s” takes one option, so it needs exactly one correct option."), element=name)
            )
        if "weight" in element:
            weight = _number(element["weight"])
            if weight is None or weight <= 0:
                problems.append(
                    _msg(_("Element “%(element)s”: the weight must be a number greater than 0."), element=name)
                )


def _check_rubric(data, problems):
    _keyed_list(data, "criteria", problems)
    criteria = data.get("criteria")
    if isinstance(criteria, list):
        for number, criterion in enumerate(criteria, start=1):
            if not isinstance(criterion, dict):
                continue
            points = criterion.get("points")
            if not _is_whole(points) or points <= 0:
                problems.append(
                    _msg(
                        _("Criterion “%(key)s”: the points must be a whole number greater than 0."),
                        key=_name(criterion.get("key"), number),
                    )
                )
    max_words = data.get("max_words")
    if max_words is not None and (not _is_whole(max_words) or max_words <= 0):
        problems.append(_("“max_words” must be a whole number greater than 0."))


_CHECKS = {
    "single": _check_single,
    "multiple": _check_multiple,
    "truefalse": _check_truefalse,
    "matching": _check_matching,
    "ordering": _check_ordering,
    "short": _check_short,
    "case": _check_case,
    "rubric": _check_rubric,
}


def question_data_validate(*, kind: str, data: dict) -> None:
    """Raise ``QuestionDataError`` listing every way ``data`` differs from the shape of ``kind``."""
    if kind not in _CHECKS:
        raise QuestionDataError([_msg(_("Unknown question type “%(kind)s”."), kind=kind)])
    if not isinstance(data, dict):
        raise QuestionDataError([_("The question data must be a JSON object.")])
    problems = []
    _CHECKS[kind](data, problems)
    if problems:
        raise QuestionDataError(problems)


# --- responses -----------------------------------------------------------------------------------------


def _validate_single(data, response):
    if response == "":
        return None
    if not isinstance(response, str):
        raise ResponseError(_("Choose one of the options."))
    response = _nfc(response)
    if response not in _keys(data.get("options")):
        raise ResponseError(_msg(_("The question has no option “%(key)s”."), key=response))
    return response


def _validate_multiple(data, response):
    if not isinstance(response, (list, tuple)) or not all(isinstance(key, str) for key in response):
        raise ResponseError(_("The answer must be a list of options."))
    keys = _keys(data.get("options"))
    chosen = sorted({_nfc(key) for key in response})
    for key in chosen:
        if key not in keys:
            raise ResponseError(_msg(_("The question has no option “%(key)s”."), key=key))
    return chosen


def _validate_truefalse(data, response):
    if not isinstance(response, bool):
        raise ResponseError(_("The answer must be true or false."))
    return response


def _validate_matching(data, response):
    if not isinstance(response, dict):
        raise ResponseError(_("The answer must pair items with choices."))
    items = _keys(data.get("items"))
    choices = _keys(data.get("choices"))
    pairs = {}
    for item, choice in response.items():
        item = _nfc(item)
        if item not in items:
            raise ResponseError(_msg(_("The question has no item “%(key)s”."), key=item))
        if choice is None or choice == "":
            continue
        if not isinstance(choice, str):
            raise ResponseError(_("The answer must pair items with choices."))
        choice = _nfc(choice)
        if choice not in choices:
            raise ResponseError(_msg(_("The question has no choice “%(key)s”."), key=choice))
        pairs[item] = choice
    if not pairs:
        return None
    return {item: pairs[item] for item in items if item in pairs}


def _validate_ordering(data, response):
    if not isinstance(response, (list, tuple)) or not all(isinstance(key, str) for key in response):
        raise ResponseError(_("The answer must list the items in order."))
    if not response:
        return None
    items = _keys(data.get("items"))
    order = []
    for key in response:
        key = _nfc(key)
        if key not in items:
            raise ResponseError(_msg(_("The question has no item “%(key)s”."), key=key))
        if key in order:
            raise ResponseError(_msg(_("Item “%(key)s” appears twice in the order."), key=key))
        order.append(key)
    if len(order) != len(items):
        raise ResponseError(_("The order must list every item exactly once."))
    return order


def _validate_text(response, limit):
    if not isinstance(response, str):
        raise ResponseError(_("The answer must be text."))
    text = response.strip()
    if not text:
        return None
    if len(text) > limit:
        raise ResponseError(
            _msg(
                _("The answer is too long: %(count)s characters; at most %(limit)s are allowed."),
                count=len(text),
                limit=limit,
            )
        )
    return text


def _validate_short(data, response):
    return _validate_text(response, SHORT_MAX_CHARS)


def _validate_rubric(data, response):
    text = _validate_text(response, RUBRIC_MAX_CHARS)
    max_words = data.get("max_words")
    if text is not None and _is_whole(max_words) and max_words > 0:
        words = len(text.split())
        if words > max_words:
            raise ResponseError(
                _msg(
                    _("The answer is too long: %(count)s words; at most %(limit)s are allowed."),
                    count=words,
                    limit=max_words,
                )
            )
    return text


def _case_elements(data) -> list:
    elements = data.get("elements")
    if not isinstance(elements, list):
        return []
    return [element for element in elements if isinstance(element, dict) and isinstance(element.get("key"), str)]


def _validate_case(data, response):
    if not isinstance(response, dict):
        raise ResponseError(_("The answer must choose options for the elements of the case."))
    if not response:
        return None
    elements = {element["key"]: element for element in _case_elements(data)}
    given = {}
    for key, chosen in response.items():
        key = _nfc(key)
        if key not in elements:
            raise ResponseError(_msg(_("The question has no element “%(key)s”."), key=key))
        if chosen is None:
            chosen = []
        if not isinstance(chosen, (list, tuple)) or not all(isinstance(option, str) for option in chosen):
            raise ResponseError(_msg(_("The answer for element “%(element)s” must be a list of options."), element=key))
        chosen = sorted({_nfc(option) for option in chosen})
        options = _keys(elements[key].get("options"))
        for option in chosen:
            if option not in options:
                raise ResponseError(_msg(_("Element “%(element)s” has no option “%(key)s”."), element=key, key=option))
        if elements[key].get("select") == "single" and len(chosen) > 1:
            raise ResponseError(_msg(_("Choose at most one option for element “%(element)s”."), element=key))
        given[key] = chosen
    return {key: given.get(key, []) for key in elements}


_VALIDATORS = {
    "single": _validate_single,
    "multiple": _validate_multiple,
    "truefalse": _validate_truefalse,
    "matching": _validate_matching,
    "ordering": _validate_ordering,
    "short": _validate_short,
    "case": _validate_case,
    "rubric": _validate_rubric,
}


def response_validate(*, kind: str, data: dict, response) -> object:
    """The response to store, normalised (see the module docstring), or None for "not answered".

    Raises ``ResponseError`` for a response of the wrong shape or naming a key the question lacks.
    """
    if kind not in _VALIDATORS:
        raise ResponseError(_msg(_("Unknown question type “%(kind)s”."), kind=kind))
    if response is None:
        return None
    return _VALIDATORS[kind](data if isinstance(data, dict) else {}, response)


# --- scoring -------------------------------------------------------------------------------------------

ONE = Fraction(1)
ZERO = Fraction(0)


def _score_single(data, response):
    if not isinstance(response, str) or not response:
        return None
    value = ONE if response == data.get("correct") else ZERO
    return value, {response: value}


def _judged_options(options, correct, chosen):
    return {key: ONE if (key in chosen) == (key in correct) else ZERO for key in options}


def _right_minus_wrong(options, correct, chosen) -> Fraction:
    """max(0, c/C − w/W); with C = 0 choosing nothing scores 1 and choosing anything 0."""
    wrong = [key for key in options if key not in correct]
    c = len(chosen & correct)
    w = len(chosen - correct)
    if not correct:
        return ONE if not chosen else ZERO
    value = Fraction(c, len(correct)) - (Fraction(w, len(wrong)) if wrong else ZERO)
    return max(ZERO, value)


def _score_multiple(data, response):
    if not isinstance(response, (list, tuple)):
        return None
    options = _keys(data.get("options"))
    correct = {key for key in data.get("correct") or [] if key in options}
    chosen = {key for key in response if isinstance(key, str) and key in options}
    rule = data.get("scoring") or "all_or_nothing"
    parts = _judged_options(options, correct, chosen)
    if rule == "right_minus_wrong":
        value = _right_minus_wrong(options, correct, chosen)
    elif rule == "per_option":
        value = Fraction(sum(parts.values()), len(options)) if options else ZERO
    else:
        value = ONE if chosen == correct else ZERO
    return value, parts


def _score_truefalse(data, response):
    if not isinstance(response, bool):
        return None
    value = ONE if response is data.get("correct") else ZERO
    return value, {"true" if response else "false": value}


def _score_matching(data, response):
    if not isinstance(response, dict):
        return None
    correct = data.get("correct") if isinstance(data.get("correct"), dict) else {}
    items = _keys(data.get("items")) or list(correct)
    parts = {item: ONE if item in correct and response.get(item) == correct[item] else ZERO for item in items}
    value = Fraction(sum(parts.values()), len(items)) if items else ZERO
    return value, parts


def _score_ordering(data, response):
    if not isinstance(response, (list, tuple)) or not response:
        return None
    correct = [key for key in data.get("correct") or [] if isinstance(key, str)]
    order = list(response)
    rule = data.get("scoring") or "all_or_nothing"
    if rule == "adjacent_pairs" and len(correct) > 1:
        follows = {(order[i], order[i + 1]) for i in range(len(order) - 1)}
        parts = {correct[i]: ONE if (correct[i], correct[i + 1]) in follows else ZERO for i in range(len(correct) - 1)}
        return Fraction(sum(parts.values()), len(parts)), parts
    parts = {key: ONE if i < len(order) and order[i] == key else ZERO for i, key in enumerate(correct)}
    if rule == "positions":
        value = Fraction(sum(parts.values()), len(correct)) if correct else ZERO
    else:
        value = ONE if order == correct else ZERO
    return value, parts


def _score_short(data, response):
    if not isinstance(response, str) or not response.strip():
        return None
    right = False
    for accepted in data.get("accepted") or []:
        if not isinstance(accepted, str):
            continue
        hint = text_script(accepted)
        expected = answer_normalise(accepted, script_hint=hint)
        if expected and answer_normalise(response, script_hint=hint) == expected:
            right = True
            break
    value = ONE if right else ZERO
    return value, {"answer": value}


def _score_case(data, response):
    if not isinstance(response, dict) or not response:
        return None
    total = weighted = ZERO
    parts = {}
    for element in _case_elements(data):
        key = element["key"]
        options = _keys(element.get("options"))
        correct = {option for option in element.get("correct") or [] if option in options}
        given = response.get(key)
        if not isinstance(given, (list, tuple)):
            given = []
        chosen = {option for option in given if isinstance(option, str) and option in options}
        if element.get("select") == "single":
            value = ONE if correct and chosen == correct else ZERO
        else:
            value = _right_minus_wrong(options, correct, chosen)
        weight = _number(element.get("weight", 1))
        if weight is None or weight <= 0:
            weight = ONE
        parts[key] = value
        total += weight
        weighted += weight * value
    return (weighted / total if total else ZERO), parts


def _criteria(data) -> dict:
    criteria = data.get("criteria")
    if not isinstance(criteria, list):
        return {}
    return {
        criterion["key"]: criterion.get("points")
        for criterion in criteria
        if isinstance(criterion, dict) and isinstance(criterion.get("key"), str)
    }


def _awards_check(data, awards) -> dict:
    if not isinstance(awards, dict):
        raise ResponseError(_("The grade must give points per criterion."))
    criteria = _criteria(data)
    clean = {}
    for key, awarded in awards.items():
        if key not in criteria:
            raise ResponseError(_msg(_("The question has no criterion “%(key)s”."), key=key))
        limit = criteria[key] if _is_whole(criteria[key]) else 0
        if isinstance(awarded, str) and awarded.strip().isascii() and awarded.strip().isdigit():
            awarded = int(awarded.strip())
        if not _is_whole(awarded) or not 0 <= awarded <= limit:
            raise ResponseError(
                _msg(
                    _("The points for criterion “%(key)s” must be a whole number from 0 to %(limit)s."),
                    key=key,
                    limit=limit,
                )
            )
        clean[key] = awarded
    return clean


def _score_rubric(data, response, awards):
    if not isinstance(response, str) or not response.strip():
        return None
    if not awards:
        return "pending"
    criteria = {key: points for key, points in _criteria(data).items() if _is_whole(points) and points > 0}
    total = sum(criteria.values())
    parts = {key: Fraction(awards.get(key, 0), points) for key, points in criteria.items()}
    value = Fraction(sum(awards.get(key, 0) for key in criteria), total) if total else ZERO
    return value, parts


_SCORERS = {
    "single": _score_single,
    "multiple": _score_multiple,
    "truefalse": _score_truefalse,
    "matching": _score_matching,
    "ordering": _score_ordering,
    "short": _score_short,
    "case": _score_case,
}


def response_score(*, kind: str, data: dict, points, response, rubric_awards: dict | None = None) -> Score:
    """Score ``response`` to a question of ``kind`` with ``data`` worth ``points``; see the module docstring.

    Raises ``ResponseError`` only for rubric awards out of range or for criteria the question lacks.
    """
    if kind not in KINDS:
        raise ResponseError(_msg(_("Unknown question type “%(kind)s”."), kind=kind))
    data = data if isinstance(data, dict) else {}
    maximum = Fraction(Decimal(str(points)))
    zero = Score(score=Decimal("0.00"), fraction=Decimal(0), parts={}, needs_grading=False)
    if kind == "rubric":
        awards = _awards_check(data, rubric_awards) if rubric_awards is not None else {}
        result = _score_rubric(data, response, awards)
        if result == "pending":
            return Score(score=Decimal("0.00"), fraction=Decimal(0), parts={}, needs_grading=True)
    elif response is None:
        result = None
    else:
        result = _SCORERS[kind](data, response)
    if result is None or maximum <= 0:
        return zero
    value, parts = result
    value = min(ONE, max(ZERO, value))
    score = min(_round(value * maximum, CENT), Decimal(str(points)))
    return Score(
        score=score.quantize(CENT, rounding=ROUND_HALF_UP),  # _round made it exact cents
        fraction=_tidy(value),
        parts={key: _tidy(part) for key, part in parts.items()},
        needs_grading=False,
    )


# --- shuffling -----------------------------------------------------------------------------------------


def options_order(*, keys: list[str], seed: str) -> list[str]:
    """``keys`` in an order fixed by ``seed``: sorted by sha256(seed, NUL, key), ties by the key itself.

    The same seed always gives the same order (a resumed attempt shows what it showed before); each key's
    place depends only on the seed and the key, so translations with the same keys are shuffled alike.
    """

    def rank(key):
        return hashlib.sha256(f"{seed}\x00{key}".encode()).hexdigest(), key

    return sorted(keys, key=rank)
