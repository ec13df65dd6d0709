"""Checking question data and responses, and scoring responses: pure functions, no database.

The rules of each kind live in its module (``assessments/kinds/``); this module dispatches to them and
keeps what every kind shares: unknown kinds refused, the score rounded, the points applied.

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
    - rubric: every criterion: awarded / criterion points (empty while awaiting grading);
    - numerical: ``{"answer": weight of the best answer the number falls within}``;
    - cloze: every gap: its fraction (the best answer's weight; a multiple choice's chosen weights added up).

Rubric
    Without awards (``None`` or ``{}``) an answered rubric scores 0 and needs grading; an unanswered one
    scores 0 and needs none. Awards are whole numbers (``int``, or a string of digits as a form posts it)
    from 0 to the criterion's points, for criteria the question has; a criterion left out of the awards
    counts as 0 awarded. Anything else raises ``ResponseError`` (also for an unanswered response).
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from . import kinds
from .kinds.base import (
    CENT,
    KEY_PATTERN,
    ONE,
    ORDERING_RULES,
    PENDING,
    SCORING_RULES,
    ZERO,
    QuestionDataError,
    ResponseError,
    Score,
    msg,
    options_order,
    round_to,
    tidy,
)
from .normalise import answer_normalise

__all__ = [
    "KEY_PATTERN",
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

KINDS = kinds.names()


def _unknown(kind):
    return msg(_("Unknown question type “%(kind)s”."), kind=kind)


def question_data_validate(*, kind: str, data: dict) -> None:
    """Raise ``QuestionDataError`` listing every way ``data`` differs from the shape of ``kind``."""
    rules = kinds.get(kind)
    if rules is None:
        raise QuestionDataError([_unknown(kind)])
    if not isinstance(data, dict):
        raise QuestionDataError([_("The question data must be a JSON object.")])
    problems = []
    rules.check_data(data, problems)
    if problems:
        raise QuestionDataError(problems)


def response_validate(*, kind: str, data: dict, response) -> object:
    """The response to store, normalised (see the module docstring), or None for "not answered".

    Raises ``ResponseError`` for a response of the wrong shape or naming a key the question lacks.
    """
    rules = kinds.get(kind)
    if rules is None:
        raise ResponseError(_unknown(kind))
    if response is None:
        return None
    return rules.validate_response(data if isinstance(data, dict) else {}, response)


def response_score(*, kind: str, data: dict, points, response, rubric_awards: dict | None = None) -> Score:
    """Score ``response`` to a question of ``kind`` with ``data`` worth ``points``; see the module docstring.

    Raises ``ResponseError`` only for rubric awards out of range or for criteria the question lacks.
    """
    rules = kinds.get(kind)
    if rules is None:
        raise ResponseError(_unknown(kind))
    data = data if isinstance(data, dict) else {}
    maximum = Fraction(Decimal(str(points)))
    zero = Score(score=Decimal("0.00"), fraction=Decimal(0), parts={}, needs_grading=False)
    awards = rules.check_awards(data, rubric_awards) if rubric_awards is not None else {}
    result = rules.score(data, response, awards)
    if result == PENDING:
        return Score(score=Decimal("0.00"), fraction=Decimal(0), parts={}, needs_grading=True)
    if result is None or maximum <= 0:
        return zero
    value, parts = result
    value = min(ONE, max(ZERO, value))
    score = min(round_to(value * maximum, CENT), Decimal(str(points)))
    return Score(
        score=score.quantize(CENT, rounding=ROUND_HALF_UP),  # round_to made it exact cents
        fraction=tidy(value),
        parts={key: tidy(part) for key, part in parts.items()},
        needs_grading=False,
    )
