"""The question form of the admin: a structured editor for the answers and key (``Question.data``).

Editors fill in rows (options, items, pairs, elements, criteria) instead of writing JSON. Each kind has
an editor of plain Django forms and formsets (``KIND_EDITORS``); the form of the question's kind builds
exactly the shape ``assessments/FORMAT.md`` documents, and the result is checked by the same
``question_data_validate`` the importers and the seed use, so the admin cannot store what they refuse.

Round trip: opening and saving a question without changes leaves its data identical. Keys are kept
(responses, translations and analytics refer to them; a new row without a key gets one), optional
entries stay absent when they were absent, the order of ``correct`` lists is kept, and rich text that
the editor did not change is kept as stored (the rich-text widget would rewrite ``<strong>`` as ``<b>``).

Translations: ``data`` is not declared translatable (wagtail-localize synchronises it as one value);
this form edits the row it is given and never touches ``locale`` or ``translation_key``.

An expert may paste the JSON instead (the "JSON" toggle); it goes through the same check.
"""

import json
import string
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import Panel
from wagtail.admin.rich_text import get_rich_text_editor_widget

from content.models import LegalProvision
from content.sanitize import sanitize_stored_richtext

from .scoring import KEY_PATTERN, ORDERING_RULES, SCORING_RULES, QuestionDataError, options_order, question_data_validate

DATA_NOT_AN_OBJECT = _("The answers and key must be a JSON object (see assessments/FORMAT.md).")
KEY_HELP = _("Empty: made automatically. Answers and translations refer to it: do not change it once learners answered.")
CHECK_THE_ANSWERS = _("Check the answers and key: some entries have errors.")
NOT_JSON = _("This is not valid JSON: %(error)s")
KEY_INVALID = _("Use 1 to 40 letters, digits, “.”, “-” or “_”.")
KEY_TWICE = _("This key is used by another row.")
TEXT_TWICE = _("This text repeats row %(number)s.")
POSITION_TWICE = _("Two items have this position.")
CHOOSE_CORRECT = _("Choose the correct option.")
ONLY_ONE_CORRECT = _("Only one option can be correct.")
CHOOSE_SOME_CORRECT = _("Choose at least one correct option.")
ELEMENT_ONE_CORRECT = _("This element takes one option, so mark exactly one option as correct.")
CHOOSE_PAIR = _("Choose the matching choice.")
CHOICE_REMOVED = _("This choice is marked for removal.")
AT_LEAST = {
    "options": _("Add at least two options."),
    "items": _("Add at least two items."),
    "choices": _("Add at least two choices."),
    "elements": _("Add at least one element."),
    "criteria": _("Add at least one criterion."),
}
MINIMUM = {"options": 2, "items": 2, "choices": 2, "elements": 1, "criteria": 1}
RICH_FEATURES = ["bold", "italic", "ol", "ul"]

SCORING_LABELS = {
    "all_or_nothing": _("All or nothing"),
    "right_minus_wrong": _("Right minus wrong"),
    "per_option": _("Each option on its own"),
    "positions": _("Share of items at their right position"),
    "adjacent_pairs": _("Share of pairs in the right sequence"),
}


# --- small helpers -------------------------------------------------------------------------------------


def _number(value):
    """A Decimal from a form as a JSON number: ``1`` rather than ``1.0``."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _new_keys(taken, style):
    """Unused keys for new rows: ``a, b, …`` for options and choices, ``1, 2, …`` for the rest."""
    if style == "letters":
        candidates = list(string.ascii_lowercase) + [f"o{number}" for number in range(27, 1000)]
    elif style == "elements":
        candidates = [f"e{number}" for number in range(1, 1000)]
    elif style == "criteria":
        candidates = [f"c{number}" for number in range(1, 1000)]
    else:
        candidates = [str(number) for number in range(1, 1000)]
    return (key for key in candidates if key not in taken)


def _keep_order(keys, original):
    """``keys`` with those of ``original`` first, in its order (a saved ``correct`` list keeps its order)."""
    original = [key for key in original or [] if isinstance(key, str)]
    return sorted(keys, key=lambda key: (0, original.index(key)) if key in original else (1, keys.index(key)))


def _optional(result, name, value, original, *, empty=("", None)):
    """Set ``result[name]``: a value is kept; an empty one only when the stored data had the entry."""
    if value not in empty:
        result[name] = value
    elif name in original:
        result[name] = original[name] if original[name] in empty else value


class RichTextKeeper(forms.CharField):
    """Rich text in the Draftail editor; text the editor did not change is returned exactly as stored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", get_rich_text_editor_widget(features=RICH_FEATURES))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        # an empty editor posts an empty paragraph
        return value if strip_tags(value).strip() else ""

    def unchanged(self, value, stored):
        if not isinstance(stored, str) or not stored:
            return False
        widget = self.widget
        if not hasattr(widget, "format_value") or not hasattr(widget, "value_from_datadict"):
            return value == stored
        unchanged = widget.value_from_datadict({"x": widget.format_value(stored)}, {}, "x")
        # block keys are new on every conversion; the model's sanitiser drops them anyway
        return sanitize_stored_richtext(value or "") == sanitize_stored_richtext(unchanged or "")


# --- rows ----------------------------------------------------------------------------------------------


class EditorForm(forms.Form):
    # hidden kinds are posted too: the browser must not refuse them for an empty required field
    use_required_attribute = False


class RowForm(EditorForm):
    key = forms.CharField(
        label=_("Key"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": "qe-key", "size": 6}),
    )

    def clean_key(self):
        key = self.cleaned_data["key"].strip()
        if key and not KEY_PATTERN.fullmatch(key):
            raise ValidationError(KEY_INVALID)
        return key


class OptionForm(RowForm):
    text = forms.CharField(label=_("Text"))
    correct = forms.BooleanField(label=_("Correct"), required=False)
    feedback = forms.CharField(label=_("Feedback"), required=False, widget=forms.Textarea(attrs={"rows": 1}))


class ItemForm(RowForm):
    text = forms.CharField(label=_("Text"))


class OrderingItemForm(ItemForm):
    shown = forms.IntegerField(
        label=_("Shown as"),
        required=False,
        min_value=1,
        help_text=_("Its place in the list learners see and on paper; empty: after the others."),
    )


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


class ElementForm(RowForm):
    label = forms.CharField(label=_("Label"))
    select = forms.ChoiceField(
        label=_("Answer"),
        choices=[("single", _("one option")), ("multiple", _("any number of options"))],
        initial="multiple",
    )
    weight = forms.DecimalField(label=_("Weight"), required=False, min_value=Decimal("0.01"), max_digits=8, decimal_places=4)
    explanation = forms.CharField(label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ElementOptionForm(RowForm):
    text = forms.CharField(label=_("Text"))
    correct = forms.BooleanField(label=_("Correct"), required=False)


class CriterionForm(RowForm):
    text = forms.CharField(label=_("Criterion"))
    points = forms.IntegerField(label=_("Points"), min_value=1)


class RowFormSet(forms.BaseFormSet):
    """Rows of one list; removed and untouched empty rows drop out; keys checked for uniqueness."""

    key_style = "numbers"
    list_name = "items"

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # the column headings label the inputs of a row for the eye; screen readers get the same words
        for field in form.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))

    def rows(self):
        """The rows kept (after validation): not removed, not an untouched empty row."""
        return [form for form in self.forms if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)]

    def clean(self):
        if any(self.errors):
            return
        seen = {}
        for form in self.rows():
            key = form.cleaned_data.get("key")
            if not key:
                continue
            if key in seen:
                form.add_error("key", KEY_TWICE)
            seen[key] = form
        if len(self.rows()) < MINIMUM.get(self.list_name, 0):
            raise ValidationError(AT_LEAST[self.list_name])

    def keyed_rows(self):
        """``[(key, cleaned row)]`` of the kept rows, with a new key for rows that had none."""
        return [(key, form.cleaned_data) for key, form in self.keyed_forms()]

    def keyed_forms(self):
        """``[(key, form)]`` of the kept rows, with a new key for rows that had none."""
        rows = self.rows()
        new = _new_keys({form.cleaned_data["key"] for form in rows if form.cleaned_data.get("key")}, self.key_style)
        return [(form.cleaned_data.get("key") or next(new), form) for form in rows]


def _formset(form, *, list_name, key_style="numbers", can_order=False):
    base = type(f"{form.__name__}Set", (RowFormSet,), {"list_name": list_name, "key_style": key_style})
    return formset_factory(form, formset=base, extra=0, can_delete=True, can_order=can_order)


OptionFormSet = _formset(OptionForm, list_name="options", key_style="letters")
ChoiceFormSet = _formset(ItemForm, list_name="choices", key_style="letters")
PairFormSet = _formset(PairForm, list_name="items")
OrderingFormSet = _formset(OrderingItemForm, list_name="items", can_order=True)
ElementFormSet = _formset(ElementForm, list_name="elements", key_style="elements")
ElementOptionFormSet = _formset(ElementOptionForm, list_name="options", key_style="letters")
CriterionFormSet = _formset(CriterionForm, list_name="criteria", key_style="criteria")


def _extra(initial, blank):
    """New questions start with ``blank`` empty rows, existing ones with one (more come with “Add”)."""
    return blank if not initial else 1


def _make(formset_class, *, data, prefix, initial, blank=2, **kwargs):
    formset = formset_class(data=data, prefix=prefix, initial=initial, **kwargs)
    formset.extra = _extra(initial, blank)
    return formset


# --- the editors of each kind ---------------------------------------------------------------------------


class KindEditor:
    """The forms of one kind: built from ``original`` (the stored data), bound to the POST when given."""

    kind = ""
    template_name = ""

    def __init__(self, *, data, original, prefix):
        self.data = data
        self.original = original if isinstance(original, dict) else {}
        self.prefix = prefix
        self.setup()

    def setup(self):
        raise NotImplementedError

    def parts(self):
        """Every form and formset of the editor (for validation and the media)."""
        raise NotImplementedError

    def build(self) -> dict:
        raise NotImplementedError

    def check(self):
        """Rules across the rows that need the parts to be valid first; add errors next to the fields."""

    def is_valid(self) -> bool:
        if not all([part.is_valid() for part in self.parts()]):
            return False
        self.check()
        return all([part.is_valid() for part in self.parts()])

    @property
    def media(self):
        media = forms.Media()
        for part in self.parts():
            media += part.media
        return media

    def name(self, suffix):
        return f"{self.prefix}-{suffix}"


class ChoiceEditor(KindEditor):
    """single and multiple: option rows with “correct” ticks, feedback; the scoring rule for multiple."""

    template_name = "assessments/admin/editor/choice.html"
    multiple = False

    def setup(self):
        original = self.original
        correct = original.get("correct")
        correct = correct if isinstance(correct, list) else [correct]
        initial = [
            {"key": option.get("key", ""), "text": option.get("text", ""), "correct": option.get("key") in correct, "feedback": option.get("feedback", "")}
            for option in original.get("options") or []
            if isinstance(option, dict)
        ]
        self.options = _make(OptionFormSet, data=self.data, prefix=self.name("options"), initial=initial, blank=4)
        fields = {"shuffle": forms.BooleanField(label=_("Shuffle the options"), required=False)}
        if self.multiple:
            fields["scoring"] = forms.ChoiceField(
                label=_("Partial credit"),
                choices=[(rule, SCORING_LABELS[rule]) for rule in SCORING_RULES],
                help_text=_("All or nothing: every correct option and no other. Right minus wrong: share of correct options chosen minus share of wrong ones. Each option on its own: share of options judged right."),
            )
        self.settings = type("ChoiceSettings", (EditorForm,), fields)(
            data=self.data,
            prefix=self.name("settings"),
            initial={"shuffle": original.get("shuffle", True), "scoring": original.get("scoring", "right_minus_wrong")},
        )

    def parts(self):
        return [self.settings, self.options]

    def check(self):
        ticked = [form for form in self.options.rows() if form.cleaned_data.get("correct")]
        if self.multiple and not ticked:
            self.options._non_form_errors.append(CHOOSE_SOME_CORRECT)
        elif not self.multiple and not ticked:
            self.options._non_form_errors.append(CHOOSE_CORRECT)
        elif not self.multiple and len(ticked) > 1:
            for form in ticked:
                form.add_error("correct", ONLY_ONE_CORRECT)

    def build(self):
        rows = self.options.keyed_rows()
        options = []
        stored = {option.get("key"): option for option in self.original.get("options") or [] if isinstance(option, dict)}
        for key, row in rows:
            option = {"key": key, "text": row["text"]}
            _optional(option, "feedback", row["feedback"], stored.get(key, {}))
            options.append(option)
        correct = [key for key, row in rows if row["correct"]]
        result = {"options": options}
        if self.multiple:
            result["correct"] = _keep_order(correct, self.original.get("correct"))
            result["scoring"] = self.settings.cleaned_data["scoring"]
        else:
            result["correct"] = correct[0]
        shuffle = self.settings.cleaned_data["shuffle"]
        if "shuffle" in self.original or not shuffle:
            result["shuffle"] = shuffle
        return result


class SingleEditor(ChoiceEditor):
    kind = "single"


class MultipleEditor(ChoiceEditor):
    kind = "multiple"
    multiple = True


class TrueFalseForm(EditorForm):
    correct = forms.TypedChoiceField(
        label=_("The statement is"),
        choices=[("true", _("True")), ("false", _("False"))],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    feedback_true = forms.CharField(label=_("Feedback for “true”"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    feedback_false = forms.CharField(label=_("Feedback for “false”"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TrueFalseEditor(KindEditor):
    kind = "truefalse"
    template_name = "assessments/admin/editor/form.html"

    def setup(self):
        correct = self.original.get("correct")
        initial = {
            "correct": {True: "true", False: "false"}.get(correct) if isinstance(correct, bool) else None,
            "feedback_true": self.original.get("feedback_true", ""),
            "feedback_false": self.original.get("feedback_false", ""),
        }
        self.form = TrueFalseForm(data=self.data, prefix=self.name("tf"), initial=initial)

    def parts(self):
        return [self.form]

    def build(self):
        result = {"correct": self.form.cleaned_data["correct"]}
        for name in ("feedback_true", "feedback_false"):
            _optional(result, name, self.form.cleaned_data[name], self.original)
        return result


class MatchingEditor(KindEditor):
    """Choices, then items each paired with one choice (several items may share a choice)."""

    kind = "matching"
    template_name = "assessments/admin/editor/matching.html"

    def setup(self):
        original = self.original
        choices = [choice for choice in original.get("choices") or [] if isinstance(choice, dict)]
        self.choices = _make(
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
        self.pairs = _make(
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
        self.items = _make(OrderingFormSet, data=self.data, prefix=self.name("items"), initial=initial, blank=4)
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


class ShortForm(EditorForm):
    accepted = forms.CharField(
        label=_("Accepted answers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        strip=False,
        help_text=_("One per line. Case, spaces, punctuation and Cyrillic/Latin look-alike letters are ignored when answers are compared."),
    )


class ShortEditor(KindEditor):
    kind = "short"
    template_name = "assessments/admin/editor/form.html"

    def setup(self):
        accepted = [answer for answer in self.original.get("accepted") or [] if isinstance(answer, str)]
        self.form = ShortForm(data=self.data, prefix=self.name("short"), initial={"accepted": "\n".join(accepted)})

    def parts(self):
        return [self.form]

    def check(self):
        if not self.form.errors and not self.lines():
            self.form.add_error("accepted", _("Add at least one accepted answer."))

    def lines(self):
        text = self.form.cleaned_data.get("accepted") or ""
        return [line for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]

    def build(self):
        return {"accepted": self.lines()}


class CaseForm(EditorForm):
    scenario = RichTextKeeper(label=_("Scenario"), help_text=_("A fictional case."))
    provision = forms.ChoiceField(
        label=_("Legal provision"),
        required=False,
        help_text=_("The options of the “part” and “aggravations” elements are its part labels, as the law writes them (2, 2.ç)."),
    )

    def __init__(self, *args, provisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provision"].choices = [("", "—"), *((code, code) for code in provisions)]


class CaseEditor(KindEditor):
    """Elements (act, means, purpose, consent, part, aggravations …), each with its options and ticks."""

    kind = "case"
    template_name = "assessments/admin/editor/case.html"

    def setup(self):
        original = self.original
        provisions = sorted(set(LegalProvision.objects.values_list("code", flat=True)))
        if isinstance(original.get("provision"), str) and original["provision"] and original["provision"] not in provisions:
            provisions.append(original["provision"])
        self.labels = self.provision_labels(original.get("provision"))
        self.form = CaseForm(
            data=self.data,
            prefix=self.name("case"),
            provisions=provisions,
            initial={"scenario": original.get("scenario", ""), "provision": original.get("provision", "")},
        )
        self.stored_elements = [element for element in original.get("elements") or [] if isinstance(element, dict)]
        initial = [
            {
                "key": element.get("key", ""),
                "label": element.get("label", ""),
                "select": element.get("select", "multiple"),
                "weight": element.get("weight"),
                "explanation": element.get("explanation", ""),
            }
            for element in self.stored_elements
        ]
        self.elements = _make(ElementFormSet, data=self.data, prefix=self.name("elements"), initial=initial, blank=1)
        for number, form in enumerate(self.elements.forms):
            stored = self.stored_elements[number] if number < len(self.stored_elements) else {}
            form.options = self.options_formset(form.prefix, stored, self.data)
        self.empty_element = self.elements.empty_form
        self.empty_element.options = self.options_formset(self.empty_element.prefix, {}, None)

    @staticmethod
    def provision_labels(code):
        """The labels editors use as option keys of the “part” and “aggravations” elements, for the page."""
        provision = LegalProvision.objects.filter(code=code).order_by("pk").first() if isinstance(code, str) and code else None
        if provision is None:
            return None
        parts, items = [], []
        for block in provision.parts:
            label = block.value.get("label")
            parts.append(label)
            items += [f"{label}.{item.get('label')}" for item in block.value.get("items") or []]
        return {"code": code, "parts": ", ".join(parts), "items": ", ".join(items) or "—"}

    def options_formset(self, prefix, stored, data):
        correct = stored.get("correct") if isinstance(stored.get("correct"), list) else []
        initial = [
            {"key": option.get("key", ""), "text": option.get("text", ""), "correct": option.get("key") in correct}
            for option in stored.get("options") or []
            if isinstance(option, dict)
        ]
        return _make(ElementOptionFormSet, data=data, prefix=f"{prefix}-options", initial=initial, blank=3)

    def parts(self):
        return [self.form, self.elements, *(form.options for form in self.elements.forms)]

    def is_valid(self) -> bool:
        # the options of a removed (or untouched new) element do not count
        if not (self.form.is_valid() and self.elements.is_valid()):
            return False
        kept = self.elements.rows()
        if not all([form.options.is_valid() for form in kept]):
            return False
        self.check()
        return self.elements.is_valid() and all([form.options.is_valid() for form in kept])

    def check(self):
        for form in self.elements.rows():
            ticked = [row for row in form.options.rows() if row.cleaned_data.get("correct")]
            if form.cleaned_data.get("select") == "single" and len(ticked) != 1:
                form.add_error("select", ELEMENT_ONE_CORRECT)

    def build(self):
        elements = []
        stored_by_key = {element.get("key"): element for element in self.stored_elements}
        for key, form in self.elements.keyed_forms():
            row = form.cleaned_data
            stored = stored_by_key.get(key, {})
            options = form.options.keyed_rows()
            element = {
                "key": key,
                "label": row["label"],
                "select": row["select"],
                "options": [{"key": option_key, "text": option["text"]} for option_key, option in options],
                "correct": _keep_order([option_key for option_key, option in options if option["correct"]], stored.get("correct")),
            }
            weight = _number(row["weight"])
            if weight is not None and weight == stored.get("weight") and type(stored.get("weight")) in (int, float):
                weight = stored["weight"]
            if weight is not None or "weight" in stored:
                element["weight"] = weight if weight is not None else 1
            _optional(element, "explanation", row["explanation"], stored)
            elements.append(element)
        result = {}
        scenario = self.form.cleaned_data["scenario"]
        if self.form.fields["scenario"].unchanged(scenario, self.original.get("scenario")):
            scenario = self.original["scenario"]
        _optional(result, "scenario", scenario, self.original)
        _optional(result, "provision", self.form.cleaned_data["provision"], self.original)
        result["elements"] = elements
        return result


class RubricForm(EditorForm):
    guidance = forms.CharField(label=_("Guidance for graders"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    model_answer = RichTextKeeper(label=_("Model answer"))
    max_words = forms.IntegerField(label=_("Most words allowed"), required=False, min_value=1)


class RubricEditor(KindEditor):
    kind = "rubric"
    template_name = "assessments/admin/editor/rubric.html"

    def setup(self):
        original = self.original
        initial = [
            {"key": criterion.get("key", ""), "text": criterion.get("text", ""), "points": criterion.get("points")}
            for criterion in original.get("criteria") or []
            if isinstance(criterion, dict)
        ]
        self.criteria = _make(CriterionFormSet, data=self.data, prefix=self.name("criteria"), initial=initial, blank=3)
        self.form = RubricForm(
            data=self.data,
            prefix=self.name("rubric"),
            initial={key: original.get(key, "") for key in ("guidance", "model_answer")} | {"max_words": original.get("max_words")},
        )

    def parts(self):
        return [self.criteria, self.form]

    def build(self):
        result = {"criteria": [{"key": key, "text": row["text"], "points": row["points"]} for key, row in self.criteria.keyed_rows()]}
        cleaned = self.form.cleaned_data
        _optional(result, "guidance", cleaned["guidance"], self.original)
        model_answer = cleaned["model_answer"]
        if self.form.fields["model_answer"].unchanged(model_answer, self.original.get("model_answer")):
            model_answer = self.original["model_answer"]
        _optional(result, "model_answer", model_answer, self.original)
        _optional(result, "max_words", cleaned["max_words"], self.original)
        return result


KIND_LABELS = {
    "single": _("Single choice"),
    "multiple": _("Multiple response"),
    "truefalse": _("True or false"),
    "matching": _("Matching"),
    "ordering": _("Ordering"),
    "short": _("Short answer"),
    "case": _("Case qualification"),
    "rubric": _("Open response (rubric)"),
}

KIND_EDITORS = {
    editor.kind: editor
    for editor in (SingleEditor, MultipleEditor, TrueFalseEditor, MatchingEditor, OrderingEditor, ShortEditor, CaseEditor, RubricEditor)
}


class JsonForm(EditorForm):
    use_json = forms.BooleanField(label=_("Save the JSON below instead of the fields above"), required=False)
    json = forms.CharField(label=_("JSON"), required=False, strip=False, widget=forms.Textarea(attrs={"rows": 12, "class": "qe-json"}))

    def clean_json(self):
        text = self.cleaned_data["json"]
        if not self.cleaned_data.get("use_json"):
            return None
        try:
            value = json.loads(text)
        except ValueError as error:
            raise ValidationError(NOT_JSON, params={"error": str(error)}) from error
        if not isinstance(value, dict):
            raise ValidationError(DATA_NOT_AN_OBJECT)
        return value


class QuestionDataEditor:
    """The editors of every kind (the page shows the one of the chosen kind) and the JSON fallback."""

    prefix = "qdata"

    def __init__(self, *, data, kind, stored_kind, stored):
        self.kind = kind or ""
        self.stored = stored if isinstance(stored, dict) else {}
        self.editors = {
            name: editor(data=data, original=self.stored if name == stored_kind else {}, prefix=f"{self.prefix}-{name}")
            for name, editor in KIND_EDITORS.items()
        }
        self.json = JsonForm(
            data=data,
            prefix=f"{self.prefix}-json",
            initial={"json": json.dumps(self.stored, ensure_ascii=False, indent=2)},
        )
        self.problems = []

    def clean(self, kind):
        """The data built for ``kind``, checked; None with the errors attached when it is not valid."""
        self.kind = kind
        if not self.json.is_valid():
            return None
        editor = self.editors[kind]
        if self.json.cleaned_data["use_json"]:
            data, where = self.json.cleaned_data["json"], self.json
        else:
            if not editor.is_valid():
                return None
            data, where = editor.build(), editor
        try:
            question_data_validate(kind=kind, data=data)
        except QuestionDataError as error:
            self.problems = list(error.messages)
            if where is self.json:
                self.json.add_error("json", ValidationError(self.problems))
            return None
        return data

    @property
    def media(self):
        media = forms.Media(js=["assessments/question_editor.js"], css={"all": ["assessments/question_editor.css"]})
        for editor in self.editors.values():
            media += editor.media
        return media


class QuestionAdminForm(WagtailAdminModelForm):
    """The question with its structured answers-and-key editor (``data`` is built, not typed)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.data.get(self.add_prefix("kind")) if self.is_bound else None
        self.data_editor = QuestionDataEditor(
            data=self.data if self.is_bound else None,
            kind=kind or self.instance.kind,
            stored_kind=self.instance.kind,
            stored=self.instance.data,
        )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if not kind:
            return cleaned
        data = self.data_editor.clean(kind)
        if data is None:
            self.add_error(None, CHECK_THE_ANSWERS)
        else:
            cleaned["question_data"] = data
        return cleaned

    def _post_clean(self):
        if "question_data" in getattr(self, "cleaned_data", {}):
            self.instance.data = self.cleaned_data["question_data"]
        super()._post_clean()

    @property
    def media(self):
        return super().media + self.data_editor.media


class QuestionDataPanel(Panel):
    """The structured editor of ``Question.data`` (the form builds it: no model field is rendered here)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "assessments/admin/editor/panel.html"

        @cached_property
        def editor(self):
            return self.form.data_editor

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            editor = self.editor
            context.update(
                {
                    "editor": editor,
                    "kinds": [
                        {"kind": kind, "label": KIND_LABELS[kind], "editor": kind_editor, "active": kind == editor.kind, "template": kind_editor.template_name}
                        for kind, kind_editor in editor.editors.items()
                    ],
                    "kind_field_id": self.form["kind"].id_for_label if "kind" in self.form.fields else "",
                    "key_help": KEY_HELP,
                }
            )
            return context
