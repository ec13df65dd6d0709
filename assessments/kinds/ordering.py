"""Ordering: items to put in the right order, with a scoring rule (``all_or_nothing``, ``positions``,
``adjacent_pairs``). ``{"items": [...] (as shown), "correct": ["c", "a", "b"], "scoring": "positions"}``
"""

from __future__ import annotations

from fractions import Fraction

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.exceptions import BadResponse
from assessments.interchange import common as c

from .base import ONE, ORDERING_RULES, ZERO, Kind, ResponseError, keyed_list, keys_of, letters_of, msg, nfc, options_order, ordered, pick, rule_check, texts
from .editing import POSITION_TWICE, SCORING_LABELS, TEXT_TWICE, EditorForm, ItemForm, KindEditor, make, row_formset


def _check_ordering(data, problems):
    items = keyed_list(data, "items", problems)
    rule_check(data, ORDERING_RULES, problems)
    correct = data.get("correct")
    if not isinstance(correct, list) or not all(isinstance(key, str) for key in correct):
        problems.append(_("“correct” must list the item keys in the right order."))
        return
    seen = []
    for key in correct:
        if key in seen:
            problems.append(msg(_("The correct order lists item “%(key)s” twice."), key=key))
        elif key not in items:
            problems.append(msg(_("The correct order names item “%(key)s”, which is not one of the items."), key=key))
        seen.append(key)
    for key in items:
        if key not in seen:
            problems.append(msg(_("The correct order leaves out item “%(key)s”."), key=key))


def _validate_ordering(data, response):
    if not isinstance(response, (list, tuple)) or not all(isinstance(key, str) for key in response):
        raise ResponseError(_("The answer must list the items in order."))
    if not response:
        return None
    items = keys_of(data.get("items"))
    order = []
    for key in response:
        key = nfc(key)
        if key not in items:
            raise ResponseError(msg(_("The question has no item “%(key)s”."), key=key))
        if key in order:
            raise ResponseError(msg(_("Item “%(key)s” appears twice in the order."), key=key))
        order.append(key)
    if len(order) != len(items):
        raise ResponseError(_("The order must list every item exactly once."))
    return order


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


ORDER_INCOMPLETE = _("Give every item of the ordering question a different position.")


# --- the editor ----------------------------------------------------------------------------------------


class OrderingItemForm(ItemForm):
    shown = forms.IntegerField(
        label=_("Shown as"),
        required=False,
        min_value=1,
        help_text=_("Its place in the list learners see and on paper; empty: after the others."),
    )


OrderingFormSet = row_formset(OrderingItemForm, list_name="items", can_order=True)


class OrderingEditor(KindEditor):
    """Items listed in the right order (“Order” numbers move them), each with its place as shown."""

    kind = "ordering"
    template_name = "assessments/admin/editor/ordering.html"

    def setup(self):
        original = self.original
        items = {item.get("key"): item for item in original.get("items") or [] if isinstance(item, dict)}
        shown = {key: number for number, key in enumerate(items, start=1)}
        order = [key for key in original.get("correct") or [] if key in items]
        order += [key for key in items if key not in order]
        initial = [{"key": key, "text": items[key].get("text", ""), "shown": shown[key]} for key in order]
        self.items = make(OrderingFormSet, data=self.data, prefix=self.name("items"), initial=initial, blank=4)
        self.settings = type(
            "OrderingSettings",
            (EditorForm,),
            {"scoring": forms.ChoiceField(label=_("Partial credit"), choices=[(rule, SCORING_LABELS[rule]) for rule in ORDERING_RULES])},
        )(data=self.data, prefix=self.name("settings"), initial={"scoring": original.get("scoring", "positions")})

    def parts(self):
        return [self.settings, self.items]

    def check(self):
        texts, orders, shown = {}, {}, {}
        for number, form in enumerate(self.items.rows(), start=1):
            text = " ".join(form.cleaned_data["text"].split()).casefold()
            if text in texts:
                form.add_error("text", ValidationError(TEXT_TWICE, params={"number": texts[text]}))
            texts.setdefault(text, number)
            for name, seen in (("ORDER", orders), ("shown", shown)):
                value = form.cleaned_data.get(name)
                if value is None:
                    continue
                if value in seen:
                    form.add_error(name, POSITION_TWICE)
                seen[value] = form

    def build(self):
        rows = self.items.rows()
        ordered = sorted(rows, key=lambda form: (form.cleaned_data.get("ORDER") is None, form.cleaned_data.get("ORDER") or 0, rows.index(form)))
        keyed = {form: key for key, form in self.items.keyed_forms()}
        correct = [keyed[form] for form in ordered]
        if all(form.cleaned_data.get("shown") is None for form in rows):
            # a new list: learners and the printed sheet must not see the right order
            shown = options_order(keys=correct, seed="|".join(correct))
            if shown == correct and len(correct) > 1:
                shown = shown[1:] + shown[:1]
        else:
            shown = [
                keyed[form]
                for form in sorted(rows, key=lambda form: (form.cleaned_data.get("shown") is None, form.cleaned_data.get("shown") or 0, rows.index(form)))
            ]
        texts = {keyed[form]: form.cleaned_data["text"] for form in rows}
        return {"items": [{"key": key, "text": texts[key]} for key in shown], "correct": correct, "scoring": self.settings.cleaned_data["scoring"]}


# --- Moodle XML and GIFT ---------------------------------------------------------------------------------


# Moodle qtype_ordering grading types, by name and by their old numeric codes.
ORDERING_GRADING_NAMES = {
    "-1": "ALL_OR_NOTHING",
    "0": "ABSOLUTE_POSITION",
    "1": "RELATIVE_NEXT_EXCLUDE_LAST",
    "2": "RELATIVE_NEXT_INCLUDE_LAST",
    "3": "RELATIVE_ONE_PREVIOUS_AND_NEXT",
    "4": "RELATIVE_ALL_PREVIOUS_AND_NEXT",
    "5": "LONGEST_ORDERED_SUBSET",
    "6": "LONGEST_CONTIGUOUS_SUBSET",
    "7": "RELATIVE_TO_CORRECT",
    "ABS": "ABSOLUTE_POSITION",
    "ABSOLUTE": "ABSOLUTE_POSITION",
    "REL": "RELATIVE_NEXT_EXCLUDE_LAST",
    "RELATIVE": "RELATIVE_NEXT_EXCLUDE_LAST",
}
ORDERING_FROM_MOODLE = {  # exact equivalents
    "ALL_OR_NOTHING": "all_or_nothing",
    "ABSOLUTE_POSITION": "positions",
    "RELATIVE_NEXT_EXCLUDE_LAST": "adjacent_pairs",
}
ORDERING_NEAREST = {  # no equivalent: the nearest, with a warning
    "RELATIVE_NEXT_INCLUDE_LAST": "adjacent_pairs",
    "RELATIVE_ONE_PREVIOUS_AND_NEXT": "adjacent_pairs",
    "RELATIVE_ALL_PREVIOUS_AND_NEXT": "adjacent_pairs",
    "LONGEST_ORDERED_SUBSET": "positions",
    "LONGEST_CONTIGUOUS_SUBSET": "positions",
    "RELATIVE_TO_CORRECT": "positions",
}
ORDERING_TO_MOODLE = {ours: moodle for moodle, ours in ORDERING_FROM_MOODLE.items()}


def ordering_scoring_from_moodle(report: c.QuestionReport, raw: str | None) -> str:
    """Our ordering scoring for a Moodle grading type; the plugin's default (relative to next) when absent."""
    name = (raw or "").strip().upper()
    name = ORDERING_GRADING_NAMES.get(name, name) or "RELATIVE_NEXT_EXCLUDE_LAST"
    if name in ORDERING_FROM_MOODLE:
        return ORDERING_FROM_MOODLE[name]
    scoring = ORDERING_NEAREST.get(name, "positions")
    report.warn(c.ORDERING_GRADING, code="ordering_grading", grading=c.shorten(name, 40), scoring=c.SCORING_LABELS[scoring])
    return scoring


def ordering_data(report: c.QuestionReport, texts: list[str], *, scoring: str):
    """``data`` of an ordering question from its items in the right order."""
    texts = [text for text in texts if text]
    if not texts:
        report.error(c.NO_ANSWERS, code="no_answers")
        return None
    if len(texts) < 2:
        report.error(c.TOO_FEW_ITEMS, code="too_few_items", count=len(texts))
        return None
    keys = c.letter_keys(len(texts))
    return {
        "items": [{"key": k, "text": t} for k, t in zip(keys, texts, strict=True)],
        "correct": keys,
        "scoring": scoring,
    }


def ordering_texts_for_export(data: dict) -> list[str]:
    texts = {item["key"]: item.get("text", "") for item in data["items"]}
    return [texts[key] for key in data["correct"]]


def ordering_subset_warning(report: c.QuestionReport, select: str | None, count: str | None, total: int) -> None:
    """Moodle may show a random or contiguous subset of the items; here all are shown."""
    select = (select or "").strip().upper()
    if select not in ("RANDOM", "REL", "CONTIGUOUS", "CONTIG", "1", "2"):
        return
    try:
        shown = int((count or "").strip())
    except ValueError:
        return
    if 0 < shown < total:
        report.warn(c.ORDERING_SUBSET, code="ordering_subset", count=shown)


class Ordering(Kind):
    name = "ordering"
    label = _("Ordering")
    editor = OrderingEditor
    paper = True
    moodle_type = "ordering"

    def check_data(self, data, problems):
        _check_ordering(data, problems)

    def validate_response(self, data, response):
        return _validate_ordering(data, response)

    def score(self, data, response, awards=None):
        return _score_ordering(data, response)

    def public(self, data, seed):
        return {"items": ordered(texts(data.get("items"), "text"), seed or "order")}

    def key_view(self, data):
        texts_by_key = {item["key"]: item.get("text", "") for item in data.get("items") or []}
        return {"correct": [texts_by_key.get(key, "") for key in data.get("correct") or []]}

    def from_post(self, *, item, post, name):
        positions = {}
        for entry in item.public["items"]:
            value = post.get(f"{name}-{entry['key']}")
            if value:
                try:
                    positions[entry["key"]] = int(value)
                except ValueError:
                    raise BadResponse(ORDER_INCOMPLETE) from None
        if not positions:
            return None
        if len(positions) != len(item.public["items"]) or sorted(positions.values()) != list(range(1, len(positions) + 1)):
            raise BadResponse(ORDER_INCOMPLETE)
        return sorted(positions, key=positions.get)

    def cell_response(self, data, text):
        # the item letters in the order the learner gave
        return [pick(letter, data.get("items") or []) for letter in letters_of(text)]

    def key_summary(self, data):
        return f"{' → '.join(data.get('correct') or [])} ({data.get('scoring', '')})"

    def response_example(self, data, *, right, rng):
        order = list(data["correct"])
        if not right:
            rng.shuffle(order)
        return order

    def export_problem(self, data):
        items, correct = data.get("items"), data.get("correct")
        if not isinstance(items, list) or len(items) < 2:
            return "items"
        if not isinstance(correct, list) or sorted(correct) != sorted(item.get("key") for item in items):
            return "correct"
        return None


KIND = Ordering()
