"""Short answer: a typed text compared with the accepted answers (``{"accepted": ["…", "…"]}``).

Case, spaces, punctuation and Cyrillic/Latin look-alike letters are ignored (``assessments.normalise``).
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.interchange import common as c
from assessments.normalise import answer_normalise, text_script

from .base import ONE, SHORT_MAX_CHARS, ZERO, Kind, msg, text_validate
from .editing import EditorForm, KindEditor


def _check_short(data, problems):
    accepted = data.get("accepted")
    if not isinstance(accepted, list):
        problems.append(msg(_("“%(field)s” must be a list."), field="accepted"))
        return
    if not accepted:
        problems.append(_("Add at least one accepted answer."))
    for position, answer in enumerate(accepted, start=1):
        if not isinstance(answer, str) or not answer_normalise(answer):
            problems.append(
                msg(_("Accepted answer %(number)s is empty (spaces and punctuation do not count)."), number=position)
            )
        elif len(answer.strip()) > SHORT_MAX_CHARS:
            problems.append(
                msg(
                    _("Accepted answer %(number)s is longer than the %(limit)s characters a response may have."),
                    number=position,
                    limit=SHORT_MAX_CHARS,
                )
            )


def _validate_short(data, response):
    return text_validate(response, SHORT_MAX_CHARS)


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


# --- Moodle XML and GIFT ---------------------------------------------------------------------------------


WILDCARD = re.compile(r"(?<!\\)\*")


def short_data(report: c.QuestionReport, entries: list[tuple[str, float, str]], *, case_sensitive: bool = False):
    """``data`` of a short question from (text, grade in percent, feedback) per answer; only 100 % answers stay.

    Moodle reads * as a wildcard and \\* as a literal star; here every answer is literal, so \\* becomes *.
    """
    entries = [entry for entry in entries if entry[0]]
    if not entries:
        report.error(c.NO_ANSWERS, code="no_answers")
        return None
    accepted: list[str] = []
    for text, grade, feedback in entries:
        shown = c.shorten(text, c.SHOWN_TEXT_CHARS)
        if grade >= 100 - c.GRADE_TOLERANCE:
            if WILDCARD.search(text):
                report.warn(c.SHORT_WILDCARD, code="short_wildcard", answer=shown)
            literal = text.replace("\\*", "*")
            if literal not in accepted:
                accepted.append(literal)
            if feedback:
                report.warn(c.SHORT_FEEDBACK_DROPPED, code="short_feedback", answer=shown)
        else:
            report.warn(c.SHORT_PARTIAL_DROPPED, code="short_partial", answer=shown, grade=c.grade_label(grade))
    if not accepted:
        report.error(c.MISSING_CORRECT, code="missing_correct")
        return None
    if case_sensitive:
        report.warn(c.SHORT_CASE_SENSITIVE, code="short_case")
    return {"accepted": accepted}


def short_answer_for_moodle(text: str) -> str:
    """An accepted answer as Moodle reads it: a literal star is written \\*."""
    return text.replace("*", "\\*")


class Short(Kind):
    name = "short"
    label = _("Short answer")
    editor = ShortEditor
    paper = True
    moodle_type = "shortanswer"

    def check_data(self, data, problems):
        _check_short(data, problems)

    def validate_response(self, data, response):
        return _validate_short(data, response)

    def score(self, data, response, awards=None):
        return _score_short(data, response)

    def key_view(self, data):
        return {"correct": list(data.get("accepted") or [])}

    def from_post(self, *, item, post, name):
        return (post.get(name) or "").strip() or None

    def cell_response(self, data, text):
        return text

    def key_summary(self, data):
        return " | ".join(answer for answer in data.get("accepted") or [] if isinstance(answer, str))

    def response_example(self, data, *, right, rng):
        return data["accepted"][0] if right else "?"

    def export_problem(self, data):
        accepted = data.get("accepted")
        if not isinstance(accepted, list) or not [answer for answer in accepted if str(answer).strip()]:
            return "accepted"
        return None


KIND = Short()
