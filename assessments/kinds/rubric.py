"""Open response graded by a trainer against a rubric: ``{"criteria": [{"key", "text", "points"}], "guidance",
"model_answer", "max_words"}``. Without the trainer's awards an answered rubric waits for grading.
"""

from __future__ import annotations

import hashlib
import json
import re
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.interchange import common as c

from .base import (
    PENDING,
    RUBRIC_MAX_CHARS,
    ZERO,
    Kind,
    ResponseError,
    is_whole,
    keyed_list,
    msg,
    name_or_number,
    text_validate,
    texts,
)
from .editing import EditorForm, KindEditor, RichTextKeeper, RowForm, make, optional, row_formset


def _check_rubric(data, problems):
    keyed_list(data, "criteria", problems)
    criteria = data.get("criteria")
    if isinstance(criteria, list):
        for position, criterion in enumerate(criteria, start=1):
            if not isinstance(criterion, dict):
                continue
            points = criterion.get("points")
            if not is_whole(points) or points <= 0:
                problems.append(
                    msg(
                        _("Criterion “%(key)s”: the points must be a whole number greater than 0."),
                        key=name_or_number(criterion.get("key"), position),
                    )
                )
    max_words = data.get("max_words")
    if max_words is not None and (not is_whole(max_words) or max_words <= 0):
        problems.append(_("“max_words” must be a whole number greater than 0."))


def _validate_rubric(data, response):
    text = text_validate(response, RUBRIC_MAX_CHARS)
    max_words = data.get("max_words")
    if text is not None and is_whole(max_words) and max_words > 0:
        words = len(text.split())
        if words > max_words:
            raise ResponseError(
                msg(
                    _("The answer is too long: %(count)s words; at most %(limit)s are allowed."),
                    count=words,
                    limit=max_words,
                )
            )
    return text


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
            raise ResponseError(msg(_("The question has no criterion “%(key)s”."), key=key))
        limit = criteria[key] if is_whole(criteria[key]) else 0
        if isinstance(awarded, str) and awarded.strip().isascii() and awarded.strip().isdigit():
            awarded = int(awarded.strip())
        if not is_whole(awarded) or not 0 <= awarded <= limit:
            raise ResponseError(
                msg(
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
        return PENDING
    criteria = {key: points for key, points in _criteria(data).items() if is_whole(points) and points > 0}
    total = sum(criteria.values())
    parts = {key: Fraction(awards.get(key, 0), points) for key, points in criteria.items()}
    value = Fraction(sum(awards.get(key, 0) for key in criteria), total) if total else ZERO
    return value, parts


# --- the editor ----------------------------------------------------------------------------------------


class CriterionForm(RowForm):
    text = forms.CharField(label=_("Criterion"))
    points = forms.IntegerField(label=_("Points"), min_value=1)


CriterionFormSet = row_formset(CriterionForm, list_name="criteria", key_style="criteria")


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
        self.criteria = make(CriterionFormSet, data=self.data, prefix=self.name("criteria"), initial=initial, blank=3)
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
        optional(result, "guidance", cleaned["guidance"], self.original)
        model_answer = cleaned["model_answer"]
        if self.form.fields["model_answer"].unchanged(model_answer, self.original.get("model_answer")):
            model_answer = self.original["model_answer"]
        optional(result, "model_answer", model_answer, self.original)
        optional(result, "max_words", cleaned["max_words"], self.original)
        return result


# --- Moodle XML and GIFT: the formats have no criteria ----------------------------------------------------


def overall_rubric(report: c.QuestionReport, points: Decimal, *, guidance: str = "", edited: bool = False) -> dict:
    """A rubric with one criterion "Overall" worth the question's points (whole, at least 1)."""
    criterion_points = max(1, int(points.to_integral_value(rounding=ROUND_CEILING)))
    report.warn(
        c.RUBRIC_EDITED if edited else c.RUBRIC_OVERALL,
        code="rubric_edited" if edited else "rubric_overall",
        points=criterion_points,
    )
    return {
        "criteria": [{"key": c.OVERALL_KEY, "text": str(c.OVERALL), "points": criterion_points}],
        "guidance": guidance,
        "model_answer": "",
        "max_words": c.DEFAULT_MAX_WORDS,
    }


RUBRIC_COMMENT = re.compile(r"\s*<!--\s*lms-rubric\s+(\{.*?\})\s*-->\s*$", re.S)


# --- Moodle XML: the rubric inside an essay's graderinfo ------------------------------------------------


def _rubric_visible(data: dict) -> str:
    """What Moodle's graders read: guidance, the criteria with their points, the model answer."""
    parts = []
    guidance = (data.get("guidance") or "").strip()
    if guidance:
        parts.append(c.text_to_html(guidance))
    parts.append(f"<p><strong>{c.plain_to_html_text(str(c.CRITERIA_HEADING))}</strong></p>")
    parts.append(
        "<ol>"
        + "".join(
            f"<li>{c.plain_to_html_text(criterion.get('text', ''))} ({criterion.get('points', 1)})</li>"
            for criterion in data.get("criteria") or []
        )
        + "</ol>"
    )
    model_answer = (data.get("model_answer") or "").strip()
    if model_answer:
        parts.append(f"<p><strong>{c.plain_to_html_text(str(c.MODEL_ANSWER_HEADING))}</strong></p>")
        parts.append(model_answer)
    return "\n".join(parts)


def _digest(visible: str) -> str:
    return hashlib.sha256(visible.strip().encode("utf-8")).hexdigest()[:16]


def rubric_to_graderinfo(data: dict) -> str:
    visible = _rubric_visible(data)
    payload = {
        "digest": _digest(visible),
        "criteria": [
            {"key": str(k.get("key", "")), "text": k.get("text", ""), "points": k.get("points", 1)}
            for k in data.get("criteria") or []
        ],
        "guidance": data.get("guidance") or "",
        "model_answer": data.get("model_answer") or "",
        "max_words": data.get("max_words"),
    }
    # ASCII only and no "-" so that the JSON can never end the comment early.
    encoded = json.dumps(payload, ensure_ascii=True, separators=(",", ":"), default=str).replace("-", "\\u002d")
    return f"{visible}\n<!-- lms-rubric {encoded} -->"


def rubric_from_graderinfo(graderinfo: str) -> tuple[dict | None, bool]:
    """(rubric data, edited): the rubric our export wrote, if the visible part is unchanged since."""
    match = RUBRIC_COMMENT.search(graderinfo or "")
    if not match:
        return None, False
    try:
        payload = json.loads(match.group(1))
    except ValueError:
        return None, False
    if not _valid_rubric_payload(payload):
        return None, False
    visible = graderinfo[: match.start()]
    if _digest(visible) != payload["digest"]:
        return None, True
    return {
        "criteria": [{"key": k["key"], "text": k["text"], "points": k["points"]} for k in payload["criteria"]],
        "guidance": payload["guidance"],
        "model_answer": payload["model_answer"],
        "max_words": payload["max_words"],
    }, False


def _valid_rubric_payload(payload) -> bool:
    if not isinstance(payload, dict) or not isinstance(payload.get("digest"), str):
        return False
    criteria = payload.get("criteria")
    if not isinstance(criteria, list) or not criteria:
        return False
    for criterion in criteria:
        if not (
            isinstance(criterion, dict)
            and isinstance(criterion.get("key"), str)
            and isinstance(criterion.get("text"), str)
            and isinstance(criterion.get("points"), int)
            and not isinstance(criterion.get("points"), bool)
            and criterion["points"] > 0
        ):
            return False
    max_words = payload.get("max_words")
    return (
        isinstance(payload.get("guidance"), str)
        and isinstance(payload.get("model_answer"), str)
        and (max_words is None or (isinstance(max_words, int) and not isinstance(max_words, bool)))
    )


class Rubric(Kind):
    name = "rubric"
    label = _("Open response (rubric)")
    editor = RubricEditor
    moodle_type = "essay"
    graded_by_hand = True

    def check_data(self, data, problems):
        _check_rubric(data, problems)

    def validate_response(self, data, response):
        return _validate_rubric(data, response)

    def score(self, data, response, awards=None):
        return _score_rubric(data, response, awards or {})

    def check_awards(self, data, awards):
        return _awards_check(data, awards)

    def public(self, data, seed):
        return {
            "criteria": texts(data.get("criteria"), "text", "points"),
            "guidance": data.get("guidance", ""),
            "max_words": data.get("max_words"),
        }

    def key_view(self, data):
        return {"model_answer": data.get("model_answer", "")}

    def from_post(self, *, item, post, name):
        return (post.get(name) or "").strip() or None

    def key_summary(self, data):
        return ", ".join(
            f"{criterion.get('key')}: {criterion.get('points')}"
            for criterion in data.get("criteria") or []
            if isinstance(criterion, dict)
        )

    def response_example(self, data, *, right, rng):
        return "The request names the central authorities, the facts, the legal basis and the evidence sought."

    def export_problem(self, data):
        criteria = data.get("criteria")
        return None if isinstance(criteria, list) and criteria else "criteria"


KIND = Rubric()
