"""What the editors of every kind share: row forms and formsets, the ``KindEditor`` interface, helpers.

The editor of a kind (``assessments/kinds/<kind>.py``) builds exactly the shape ``assessments/FORMAT.md``
documents from plain Django forms and formsets; ``admin_forms.QuestionDataEditor`` shows the one of the
chosen kind and checks what it builds with ``question_data_validate``. See ``admin_forms`` on the round
trip (opening and saving without changes leaves the data identical).
"""

import string
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.rich_text import get_rich_text_editor_widget

from content.sanitize import sanitize_stored_richtext

from .base import KEY_PATTERN

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


def form_number(value):
    """A Decimal from a form as a JSON number: ``1`` rather than ``1.0``."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def new_keys(taken, style):
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


def keep_order(keys, original):
    """``keys`` with those of ``original`` first, in its order (a saved ``correct`` list keeps its order)."""
    original = [key for key in original or [] if isinstance(key, str)]
    return sorted(keys, key=lambda key: (0, original.index(key)) if key in original else (1, keys.index(key)))


def optional(result, name, value, original, *, empty=("", None)):
    """Set ``result[name]``: a value is kept; an empty one only when the stored data had the entry."""
    if value not in empty:
        result[name] = value
    elif name in original:
        result[name] = original[name] if original[name] in empty else value


class RichTextKeeper(forms.CharField):
    """Rich text in the Draftail editor; text the editor did not change is returned exactly as stored."""

    def __init__(self, *args, **kwargs):
        # The Draftail widget is made per form (``__deepcopy__``), not here: making it reads Wagtail's rich
        # text features, which imports every app's wagtail_hooks, and the kinds are imported while the
        # apps get ready (assessments.apps -> selectors -> kinds), before those hooks can be imported.
        self._rich_widget = "widget" not in kwargs
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        if self._rich_widget:
            result.widget = get_rich_text_editor_widget(features=RICH_FEATURES)
            result.widget.is_required = result.required
        return result

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
        new = new_keys({form.cleaned_data["key"] for form in rows if form.cleaned_data.get("key")}, self.key_style)
        return [(form.cleaned_data.get("key") or next(new), form) for form in rows]


def row_formset(form, *, list_name, key_style="numbers", can_order=False):
    base = type(f"{form.__name__}Set", (RowFormSet,), {"list_name": list_name, "key_style": key_style})
    return formset_factory(form, formset=base, extra=0, can_delete=True, can_order=can_order)


OptionFormSet = row_formset(OptionForm, list_name="options", key_style="letters")
ChoiceFormSet = row_formset(ItemForm, list_name="choices", key_style="letters")


def _extra(initial, blank):
    """New questions start with ``blank`` empty rows, existing ones with one (more come with “Add”)."""
    return blank if not initial else 1


def make(formset_class, *, data, prefix, initial, blank=2, **kwargs):
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
