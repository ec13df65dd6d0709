"""Matching: items, each paired with one of the choices (several items may share a choice).

``{"items": [...], "choices": [...], "correct": {"1": "b", "2": "a"}, "shuffle": true}``
"""

from __future__ import annotations

from fractions import Fraction

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.interchange import common as c

from .base import BLANK_MARKS, ONE, ZERO, Kind, ResponseError, keyed_list, keys_of, letters_of, msg, nfc, ordered, pick, shuffle_flag, texts
from .editing import CHOICE_REMOVED, CHOOSE_PAIR, EditorForm, ItemForm, KindEditor, make, row_formset

BAD_MATCHING_LENGTH = _("Write one letter for each of the %(count)s items (a dash for an item left blank).")


def _check_matching(data, problems):
    items = keyed_list(data, "items", problems)
    choices = keyed_list(data, "choices", problems)
    shuffle_flag(data, problems)
    correct = data.get("correct")
    if not isinstance(correct, dict):
        problems.append(_("“correct” must map every item to its choice."))
        return
    for item, choice in correct.items():
        if item not in items:
            problems.append(msg(_("“correct” names item “%(item)s”, which the question does not have."), item=item))
        elif not isinstance(choice, str) or choice not in choices:
            problems.append(
                msg(
                    _("The correct choice “%(choice)s” for item “%(item)s” is not one of the choices."),
                    choice=choice,
                    item=item,
                )
            )
    for item in items:
        if item not in correct:
            problems.append(msg(_("Item “%(item)s” has no correct choice."), item=item))


def _validate_matching(data, response):
    if not isinstance(response, dict):
        raise ResponseError(_("The answer must pair items with choices."))
    items = keys_of(data.get("items"))
    choices = keys_of(data.get("choices"))
    pairs = {}
    for item, choice in response.items():
        item = nfc(item)
        if item not in items:
            raise ResponseError(msg(_("The question has no item “%(key)s”."), key=item))
        if choice is None or choice == "":
            continue
        if not isinstance(choice, str):
            raise ResponseError(_("The answer must pair items with choices."))
        choice = nfc(choice)
        if choice not in choices:
            raise ResponseError(msg(_("The question has no choice “%(key)s”."), key=choice))
        pairs[item] = choice
    if not pairs:
        return None
    return {item: pairs[item] for item in items if item in pairs}


def _score_matching(data, response):
    if not isinstance(response, dict):
        return None
    correct = data.get("correct") if isinstance(data.get("correct"), dict) else {}
    items = keys_of(data.get("items")) or list(correct)
    parts = {item: ONE if item in correct and response.get(item) == correct[item] else ZERO for item in items}
    value = Fraction(sum(parts.values()), len(items)) if items else ZERO
    return value, parts


# --- the editor ----------------------------------------------------------------------------------------


class RowChoiceField(forms.ChoiceField):
    """A row number of another list; rows added in the browser are valid too (checked by the editor)."""

    def valid_value(self, value):
        text = str(value)
        return text.isascii() and text.isdigit() and len(text) < 10  # "²".isdigit() is true too


class PairForm(ItemForm):
    choice = RowChoiceField(label=_("Matches"), required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [("", "—"), *choices]


ChoiceFormSet = row_formset(ItemForm, list_name="choices", key_style="letters")
PairFormSet = row_formset(PairForm, list_name="items")


class MatchingEditor(KindEditor):
    """Choices, then items each paired with one choice (several items may share a choice)."""

    kind = "matching"
    template_name = "assessments/admin/editor/matching.html"

    def setup(self):
        original = self.original
        choices = [choice for choice in original.get("choices") or [] if isinstance(choice, dict)]
        self.choices = make(
            ChoiceFormSet,
            data=self.data,
            prefix=self.name("choices"),
            initial=[{"key": choice.get("key", ""), "text": choice.get("text", "")} for choice in choices],
            blank=3,
        )
        # an item names its choice by the row number, so a choice added in the same edit can be paired
        position = {choice.get("key"): str(number) for number, choice in enumerate(choices)}
        correct = original.get("correct") if isinstance(original.get("correct"), dict) else {}
        initial = [
            {"key": item.get("key", ""), "text": item.get("text", ""), "choice": position.get(correct.get(item.get("key")), "")}
            for item in original.get("items") or []
            if isinstance(item, dict)
        ]
        self.pairs = make(
            PairFormSet, data=self.data, prefix=self.name("pairs"), initial=initial, blank=3, form_kwargs={"choices": self.choice_labels()}
        )
        self.settings = type("MatchingSettings", (EditorForm,), {"shuffle": forms.BooleanField(label=_("Shuffle the choices"), required=False)})(
            data=self.data, prefix=self.name("settings"), initial={"shuffle": original.get("shuffle", True)}
        )

    def choice_labels(self):
        labels = []
        for number, form in enumerate(self.choices.forms):
            text = form["text"].value() or "—"
            labels.append((str(number), f"{number + 1}. {text}"[:80]))
        return labels

    def parts(self):
        return [self.settings, self.choices, self.pairs]

    def check(self):
        kept = {self.choices.forms.index(form) for form in self.choices.rows()}
        for form in self.pairs.rows():
            choice = form.cleaned_data.get("choice")
            if choice in ("", None):
                form.add_error("choice", CHOOSE_PAIR)
            elif int(choice) not in kept:
                form.add_error("choice", CHOICE_REMOVED)

    def build(self):
        choice_rows = self.choices.keyed_forms()
        key_of = {str(self.choices.forms.index(form)): key for key, form in choice_rows}
        items = self.pairs.keyed_rows()
        result = {
            "items": [{"key": key, "text": row["text"]} for key, row in items],
            "choices": [{"key": key, "text": form.cleaned_data["text"]} for key, form in choice_rows],
            "correct": {key: key_of[row["choice"]] for key, row in items},
        }
        shuffle = self.settings.cleaned_data["shuffle"]
        if "shuffle" in self.original or not shuffle:
            result["shuffle"] = shuffle
        return result


# --- Moodle XML and GIFT ---------------------------------------------------------------------------------


def matching_data(report: c.QuestionReport, pairs: list[tuple[str, str]], *, shuffle: bool):
    """``data`` of a matching question from (item, choice) pairs in file order; an empty item is a distractor.

    Items get keys "1", "2", …; choices "a", "b", … in order of first appearance, the same text once.
    """
    items: list[dict] = []
    choices: list[dict] = []
    correct: dict[str, str] = {}
    keys_by_text: dict[str, str] = {}
    for item, choice in pairs:
        if not choice:
            if item:
                report.error(c.ITEM_WITHOUT_MATCH, code="item_without_match", item=c.shorten(item, c.SHOWN_TEXT_CHARS))
            continue
        key = keys_by_text.get(choice)
        if key is None:
            key = keys_by_text[choice] = c.letter_key(len(choices))
            choices.append({"key": key, "text": choice})
        if item:
            item_key = str(len(items) + 1)
            items.append({"key": item_key, "text": item})
            correct[item_key] = key
    if report.failed:
        return None
    if not items and not choices:
        report.error(c.NO_ANSWERS, code="no_answers")
        return None
    if len(items) < 2:
        report.error(c.TOO_FEW_PAIRS, code="too_few_pairs", count=len(items))
        return None
    if len(choices) < 2:
        report.error(c.TOO_FEW_CHOICES, code="too_few_choices", count=len(choices))
        return None
    return {"items": items, "choices": choices, "correct": correct, "shuffle": shuffle}


def matching_pairs_for_export(data: dict) -> list[tuple[str, str]]:
    """(item, choice) pairs: every item with its choice, then every unused choice as a distractor ("", choice)."""
    texts = {choice["key"]: choice.get("text", "") for choice in data["choices"]}
    pairs = [(item.get("text", ""), texts[data["correct"][item["key"]]]) for item in data["items"]]
    used = {data["correct"][item["key"]] for item in data["items"]}
    pairs += [("", choice.get("text", "")) for choice in data["choices"] if choice["key"] not in used]
    return pairs


class Matching(Kind):
    name = "matching"
    label = _("Matching")
    editor = MatchingEditor
    paper = True
    moodle_type = "matching"

    def check_data(self, data, problems):
        _check_matching(data, problems)

    def validate_response(self, data, response):
        return _validate_matching(data, response)

    def score(self, data, response, awards=None):
        return _score_matching(data, response)

    def public(self, data, seed):
        return {
            "items": texts(data.get("items"), "text"),
            "choices": ordered(texts(data.get("choices"), "text"), seed if data.get("shuffle", True) else ""),
        }

    def key_view(self, data):
        choices = {choice["key"]: choice.get("text", "") for choice in data.get("choices") or []}
        return {"correct": {item: choices.get(choice, "") for item, choice in (data.get("correct") or {}).items()}}

    def from_post(self, *, item, post, name):
        pairs = {entry["key"]: post.get(f"{name}-{entry['key']}") for entry in item.public["items"]}
        pairs = {key: value for key, value in pairs.items() if value}
        return pairs or None

    def cell_response(self, data, text):
        letters = letters_of(text)
        items = data.get("items") or []
        if len(letters) != len(items):
            raise ValueError(str(BAD_MATCHING_LENGTH) % {"count": len(items)})
        return {
            item["key"]: pick(letter, data.get("choices") or [])
            for item, letter in zip(items, letters, strict=True)
            if letter not in BLANK_MARKS
        }

    def key_summary(self, data):
        correct = data.get("correct") if isinstance(data.get("correct"), dict) else {}
        return ", ".join(f"{item} → {choice}" for item, choice in sorted(correct.items()))

    def response_example(self, data, *, right, rng):
        choices = [choice["key"] for choice in data["choices"]]
        return {item: (choice if right else rng.choice(choices)) for item, choice in data["correct"].items()}

    def export_problem(self, data):
        items, choices, correct = data.get("items"), data.get("choices"), data.get("correct")
        if not isinstance(items, list) or not items:
            return "items"
        if not isinstance(choices, list) or not choices:
            return "choices"
        choice_keys = {choice.get("key") for choice in choices if isinstance(choice, dict)}
        if not isinstance(correct, dict) or any(correct.get(item.get("key")) not in choice_keys for item in items):
            return "correct"
        return None


KIND = Matching()
