"""True or false: ``{"correct": true, "feedback_true": "…", "feedback_false": "…"}``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .base import ONE, ZERO, Kind, ResponseError, letters_of
from .editing import EditorForm, KindEditor, optional

BAD_TRUEFALSE = _("Write A or T for true, B or F for false.")


def _check_truefalse(data, problems):
    if not isinstance(data.get("correct"), bool):
        problems.append(_("“correct” must be true or false."))


def _validate_truefalse(data, response):
    if not isinstance(response, bool):
        raise ResponseError(_("The answer must be true or false."))
    return response


def _score_truefalse(data, response):
    if not isinstance(response, bool):
        return None
    value = ONE if response is data.get("correct") else ZERO
    return value, {"true" if response else "false": value}


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
            optional(result, name, self.form.cleaned_data[name], self.original)
        return result


class TrueFalse(Kind):
    name = "truefalse"
    label = _("True or false")
    editor = TrueFalseEditor
    paper = True
    moodle_type = "truefalse"

    def check_data(self, data, problems):
        _check_truefalse(data, problems)

    def validate_response(self, data, response):
        return _validate_truefalse(data, response)

    def score(self, data, response, awards=None):
        return _score_truefalse(data, response)

    def key_view(self, data):
        return {
            "correct": data.get("correct"),
            "feedback_true": data.get("feedback_true", ""),
            "feedback_false": data.get("feedback_false", ""),
        }

    def from_post(self, *, item, post, name):
        return {"true": True, "false": False}.get(post.get(name))

    def feedback(self, data, response, parts):
        if not isinstance(response, bool):
            return []
        text = data.get("feedback_true" if response else "feedback_false")
        return [text] if text else []

    def cell_response(self, data, text):
        letters = letters_of(text)
        if letters in ("A", "T"):
            return True
        if letters in ("B", "F"):
            return False
        raise ValueError(str(BAD_TRUEFALSE))

    def key_summary(self, data):
        return str(_("True")) if data.get("correct") is True else str(_("False"))

    def response_example(self, data, *, right, rng):
        return data["correct"] if right else not data["correct"]

    def export_problem(self, data):
        return None if isinstance(data.get("correct"), bool) else "correct"


KIND = TrueFalse()
