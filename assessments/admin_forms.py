"""The question form of the admin: a structured editor for the answers and key (``Question.data``).

Editors fill in rows (options, items, pairs, elements, criteria) instead of writing JSON. Each kind has
an editor of plain Django forms and formsets, in its module under ``assessments/kinds/`` (``KIND_EDITORS``
here, shared rows and helpers in ``kinds/editing.py``); the form of the question's kind builds
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

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import Panel
from wagtail.admin.rich_text import DraftailRichTextArea

from . import kinds
from .kinds.editing import (  # noqa: F401 — the messages of the editors, read by the tests and the page
    AT_LEAST,
    CHECK_THE_ANSWERS,
    CHOICE_REMOVED,
    CHOOSE_CORRECT,
    CHOOSE_PAIR,
    CHOOSE_SOME_CORRECT,
    DATA_NOT_AN_OBJECT,
    ELEMENT_ONE_CORRECT,
    KEY_HELP,
    KEY_INVALID,
    KEY_TWICE,
    NOT_JSON,
    ONLY_ONE_CORRECT,
    POSITION_TWICE,
    TEXT_TWICE,
    EditorForm,
)
from .models import Question
from .scoring import QuestionDataError, question_data_validate
from .selectors import module_labels

KIND_LABELS = {kind.name: kind.label for kind in kinds.all()}
KIND_EDITORS = {kind.name: kind.editor for kind in kinds.all() if kind.editor is not None}


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
        for editor in self.editors.values():
            for part in editor.parts():
                for form in getattr(part, "forms", [part]):
                    name_rich_text_editors(form)
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


def name_rich_text_editors(form) -> None:
    """Give each Draftail editor of ``form`` its field's label as accessible name (Draftail reads its
    options as props: ``ariaLabelledBy`` points at the id Wagtail gives a field's label, ``<id>-label``);
    without it a screen reader announces a nameless text box (axe: aria-input-field-name)."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, DraftailRichTextArea):
            # a dict of its own: widget copies share their options
            widget.options = {**widget.options, "ariaLabelledBy": f"{form[name].auto_id}-label"}


def module_choices(current=None) -> list[tuple[str, str]]:
    """The modules of the course pages and of the bank, by name; ``current`` kept even when no page has it."""
    from courses.models import ModulePage

    numbers = set(ModulePage.objects.order_by().values_list("number", flat=True).distinct())
    numbers |= set(Question.objects.exclude(module=None).order_by().values_list("module", flat=True).distinct())
    if current is not None:
        numbers.add(current)
    return [("", "—"), *((str(number), label) for number, label in module_labels(numbers).items())]


class QuestionAdminForm(WagtailAdminModelForm):
    """The question with its structured answers-and-key editor (``data`` is built, not typed)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "module" in self.fields:
            # the module by its name ("Module 2: Identification of victims"), not a bare number
            self.fields["module"].widget = forms.Select(choices=module_choices(self.instance.module))
        name_rich_text_editors(self)
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
            self._check_with_data(kind, data, cleaned)
        return cleaned

    def _check_with_data(self, kind, data, cleaned):
        """What a kind checks across its data and the question's text and points (embedded answers)."""
        rules = kinds.get(kind)
        if "prompt" in cleaned and "prompt" in self.fields:
            for problem in rules.prompt_problems(cleaned.get("prompt") or "", data):
                self.add_error("prompt", ValidationError(problem))
        points = cleaned.get("points")
        problem = rules.points_problem(data, points) if points is not None and "points" in self.fields else None
        if problem:
            self.add_error("points", ValidationError(problem))

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
