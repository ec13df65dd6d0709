"""Multiple response: options, any number correct, a scoring rule (``all_or_nothing``, ``right_minus_wrong``,
``per_option``). Options, the editor and the Moodle/GIFT grade mapping are shared with ``single``.
"""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from .base import (
    ONE,
    SCORING_RULES,
    ZERO,
    Kind,
    ResponseError,
    correct_list,
    judged_options,
    keyed_list,
    keys_of,
    letters_of,
    msg,
    nfc,
    pick,
    right_minus_wrong,
    rule_check,
    shuffle_flag,
)
from .single import ChoiceEditor, options_feedback, options_key_view, options_problem, options_public


def _check_multiple(data, problems):
    keys = keyed_list(data, "options", problems)
    shuffle_flag(data, problems)
    rule_check(data, SCORING_RULES, problems)
    correct = data.get("correct")
    correct_list(correct, keys, problems)
    if isinstance(correct, list) and not correct:
        problems.append(_("Choose at least one correct option."))


def _validate_multiple(data, response):
    if not isinstance(response, (list, tuple)) or not all(isinstance(key, str) for key in response):
        raise ResponseError(_("The answer must be a list of options."))
    keys = keys_of(data.get("options"))
    chosen = sorted({nfc(key) for key in response})
    for key in chosen:
        if key not in keys:
            raise ResponseError(msg(_("The question has no option “%(key)s”."), key=key))
    return chosen


def _score_multiple(data, response):
    if not isinstance(response, (list, tuple)):
        return None
    options = keys_of(data.get("options"))
    correct = {key for key in data.get("correct") or [] if key in options}
    chosen = {key for key in response if isinstance(key, str) and key in options}
    rule = data.get("scoring") or "all_or_nothing"
    parts = judged_options(options, correct, chosen)
    if rule == "right_minus_wrong":
        value = right_minus_wrong(options, correct, chosen)
    elif rule == "per_option":
        value = Fraction(sum(parts.values()), len(options)) if options else ZERO
    else:
        value = ONE if chosen == correct else ZERO
    return value, parts


class MultipleEditor(ChoiceEditor):
    kind = "multiple"
    multiple = True


class Multiple(Kind):
    name = "multiple"
    label = _("Multiple response")
    editor = MultipleEditor
    paper = True
    moodle_type = "multichoice"

    def check_data(self, data, problems):
        _check_multiple(data, problems)

    def validate_response(self, data, response):
        return _validate_multiple(data, response)

    def score(self, data, response, awards=None):
        return _score_multiple(data, response)

    def public(self, data, seed):
        return options_public(data, seed)

    def key_view(self, data):
        return options_key_view(data)

    def from_post(self, *, item, post, name):
        return [value for value in post.getlist(name) if value] or None

    def feedback(self, data, response, parts):
        return options_feedback(data, response)

    def cell_response(self, data, text):
        return sorted({pick(letter, data.get("options") or []) for letter in letters_of(text)})

    def key_summary(self, data):
        return f"{', '.join(sorted(data.get('correct') or []))} ({data.get('scoring', '')})"

    def response_example(self, data, *, right, rng):
        keys = [option["key"] for option in data["options"]]
        if right:
            return sorted(data["correct"])
        return sorted(rng.sample(keys, rng.randint(1, len(keys))))

    def export_problem(self, data):
        return options_problem(data, single=False)


KIND = Multiple()
