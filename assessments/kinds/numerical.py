"""Numerical: a number typed by the learner, right within a tolerance or a range; several answers may
carry weights (Moodle's and GIFT's numerical question).

Data::

    {"answers": [{"value": 3.14, "tolerance": 0.01, "weight": 100, "feedback": "…"},
                 {"min": 3, "max": 3.3, "weight": 50}]}

An answer is either ``value`` with an optional ``tolerance`` (≥ 0, default 0: exact), or a range
``min``..``max`` (both included). ``weight`` is the percentage of the points it earns (more than 0, at most
100; default 100); at least one answer earns 100. Numbers are JSON numbers or decimal strings. A response
is the number as a decimal string (``"3.14"``; a comma is read as the decimal point, spaces between
digits are ignored). The score is the weight of the best answer the number falls within; ``parts`` is
``{"answer": fraction}``.

GIFT: ``{#3.14:0.01}``, ``{#1..5}``, ``{#=%100%3.14:0.01#right =%50%3.1:0.1#close}``; ``~`` answers and
answers weighted 0 earn nothing and are dropped (warning). Moodle XML: ``<question type="numerical">`` with
``<answer fraction><text>value</text><tolerance>``; a range is written as its middle ± half its width (it
scores the same and comes back so); units and the ``*`` (any other answer) entry are not held (warning).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.interchange import common as c

from .base import ONE, ZERO, Kind, ResponseError, msg, number
from .editing import EditorForm, KindEditor, RowFormSet, form_number, make, optional

MAX_ANSWERS = 20
NUMBER_MAX_CHARS = 40
_SPACES = str.maketrans("", "", " \u00a0\u2009\u202f_'")

NOT_A_NUMBER = _("Enter a number, for example 12 or 3.5.")
ADD_AN_ANSWER = _("Add at least one answer.")
NEEDS_FULL_ANSWER = _("At least one answer must earn all the points (weight 100).")
RANGE_REVERSED = _("The end of the range must not be below its start.")
WEIGHT_RANGE = _("The weight must be more than 0 and at most 100.")
# import and export
NUMERICAL_BAD_NUMBER = _("the answer “%(answer)s” is not a number or a range of numbers.")
NUMERICAL_ANSWER_DROPPED = _("the answer “%(answer)s” earns no marks; it is not imported.")
NUMERICAL_ANY_DROPPED = _("the answer “*” (any other number) is not imported; other numbers score 0.")
NUMERICAL_UNITS_DROPPED = _("units are not imported; learners answer with the number only.")


def parse_number(text) -> Decimal | None:
    """A number as typed (``3,5``, ``-2``, ``1 000.25``) or a JSON number; None when it is not one."""
    if isinstance(text, bool) or text is None:
        return None
    if isinstance(text, (int, float)):
        text = str(text)
    if not isinstance(text, str):
        return None
    text = text.strip().translate(_SPACES)
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")
    if not text or len(text) > NUMBER_MAX_CHARS or not all(char in "0123456789.+-eE" for char in text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def plain_number(value) -> str:
    """A number written without exponent and without needless zeros: 3.14, 0.0001, 100."""
    value = Decimal(str(value))
    text = format(value.normalize(), "f") if value != value.to_integral_value() else format(value.quantize(Decimal(1)), "f")
    return "0" if text in ("-0", "") else text


def _answers(data) -> list:
    answers = data.get("answers")
    return [answer for answer in answers if isinstance(answer, dict)] if isinstance(answers, list) else []


def _bounds(answer) -> tuple[Fraction, Fraction] | None:
    """(low, high) of an answer, exact; None when it is malformed."""
    if "min" in answer or "max" in answer:
        low, high = number(answer.get("min")), number(answer.get("max"))
        if low is None or high is None or high < low:
            return None
        return low, high
    value = number(answer.get("value"))
    tolerance = number(answer.get("tolerance", 0))
    if value is None or tolerance is None or tolerance < 0:
        return None
    return value - tolerance, value + tolerance


def _weight(answer) -> Fraction | None:
    weight = number(answer.get("weight", 100))
    return weight if weight is not None and 0 < weight <= 100 else None


def _check_numerical(data, problems):
    answers = data.get("answers")
    if not isinstance(answers, list):
        problems.append(msg(_("“%(field)s” must be a list."), field="answers"))
        return
    if not answers:
        problems.append(ADD_AN_ANSWER)
    if len(answers) > MAX_ANSWERS:
        problems.append(msg(_("A numerical question has at most %(limit)s answers."), limit=MAX_ANSWERS))
    full = False
    for position, answer in enumerate(answers, start=1):
        if not isinstance(answer, dict):
            problems.append(msg(_("Entry %(number)s of “%(field)s” must be an object."), number=position, field="answers"))
            continue
        if _bounds(answer) is None:
            problems.append(
                msg(
                    _("Answer %(number)s needs a number with a tolerance of 0 or more, or a range from a lower to a higher number."),
                    number=position,
                )
            )
        weight = _weight(answer)
        if weight is None:
            problems.append(msg(_("Answer %(number)s: the weight must be more than 0 and at most 100."), number=position))
        elif weight == 100:
            full = True
        if "feedback" in answer and not isinstance(answer["feedback"], str):
            problems.append(msg(_("“%(field)s” must be text."), field="feedback"))
    if answers and not full:
        problems.append(NEEDS_FULL_ANSWER)


def _validate_numerical(data, response):
    if isinstance(response, str) and not response.strip():
        return None
    value = parse_number(response)
    if value is None:
        raise ResponseError(NOT_A_NUMBER)
    return format(value, "f")


def _best(data, response):
    """(weight as a fraction of 1, the answer) of the best answer ``response`` falls within, or (0, None)."""
    value = number(parse_number(response)) if parse_number(response) is not None else None
    best, chosen = ZERO, None
    if value is None:
        return best, chosen
    for answer in _answers(data):
        bounds, weight = _bounds(answer), _weight(answer)
        if bounds is None or weight is None:
            continue
        if bounds[0] <= value <= bounds[1] and weight / 100 > best:
            best, chosen = weight / 100, answer
    return best, chosen


def _score_numerical(data, response):
    if not isinstance(response, str) or not response.strip():
        return None
    value, _answer = _best(data, response)
    return min(value, ONE), {"answer": min(value, ONE)}


# --- the editor ----------------------------------------------------------------------------------------


class AnswerForm(EditorForm):
    value = forms.DecimalField(label=_("Answer value"), max_digits=30, decimal_places=12, help_text=_("The right answer, or the start of a range."))
    upper = forms.DecimalField(label=_("Up to"), required=False, max_digits=30, decimal_places=12, help_text=_("Fill in for a range: any number from the first to this one is right."))
    tolerance = forms.DecimalField(label=_("Tolerance ±"), required=False, min_value=0, max_digits=30, decimal_places=12, help_text=_("How far from the number an answer may be; empty: exactly."))
    weight = forms.DecimalField(label=_("Weight (%)"), initial=100, max_digits=7, decimal_places=4, help_text=_("The share of the points this answer earns."))
    feedback = forms.CharField(label=_("Feedback"), required=False, widget=forms.Textarea(attrs={"rows": 1}))

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight is not None and not 0 < weight <= 100:
            raise ValidationError(WEIGHT_RANGE)
        return weight

    def clean(self):
        cleaned = super().clean()
        value, upper = cleaned.get("value"), cleaned.get("upper")
        if value is not None and upper is not None and upper < value:
            self.add_error("upper", RANGE_REVERSED)
        return cleaned


class AnswerFormSet(RowFormSet):
    list_name = "answers"


NumericalFormSet = forms.formset_factory(AnswerForm, formset=AnswerFormSet, extra=0, can_delete=True)


class NumericalEditor(KindEditor):
    """Answer rows: a number with a tolerance, or a range; a weight; feedback."""

    kind = "numerical"
    template_name = "assessments/admin/editor/numerical.html"

    def setup(self):
        self.stored = _answers(self.original)
        initial = []
        for answer in self.stored:
            ranged = "min" in answer or "max" in answer
            initial.append(
                {
                    "value": answer.get("min") if ranged else answer.get("value"),
                    "upper": answer.get("max") if ranged else None,
                    "tolerance": None if ranged else answer.get("tolerance"),
                    "weight": answer.get("weight", 100),
                    "feedback": answer.get("feedback", ""),
                }
            )
        self.answers = make(NumericalFormSet, data=self.data, prefix=self.name("answers"), initial=initial, blank=2)

    def parts(self):
        return [self.answers]

    def check(self):
        rows = self.answers.rows()
        if not rows:
            self.answers._non_form_errors.append(ADD_AN_ANSWER)
        elif not any(form.cleaned_data.get("weight") == 100 for form in rows):
            self.answers._non_form_errors.append(NEEDS_FULL_ANSWER)

    def build(self):
        answers = []
        for position, form in enumerate(self.answers.rows()):
            row = form.cleaned_data
            stored = self.stored[position] if position < len(self.stored) else {}
            if row.get("upper") is not None:
                answer = {"min": form_number(row["value"]), "max": form_number(row["upper"])}
            else:
                answer = {"value": form_number(row["value"])}
                optional(answer, "tolerance", form_number(row.get("tolerance")), stored)
            weight = form_number(row["weight"])
            if weight != 100 or "weight" in stored:
                answer["weight"] = weight
            optional(answer, "feedback", row.get("feedback", ""), stored)
            answers.append(answer)
        return {"answers": answers}


# --- GIFT and Moodle XML ---------------------------------------------------------------------------------


def _answer_from_text(report, text: str, weight: float, feedback: str) -> dict | None:
    """One answer from ``3.14:0.01``, ``1..5`` or ``3`` (the GIFT and Moodle text of an answer)."""
    shown = c.shorten(text, c.SHOWN_TEXT_CHARS)
    if ".." in text:
        low_text, _dots, high_text = text.partition("..")
        low, high = parse_number(low_text), parse_number(high_text)
        if low is None or high is None or high < low:
            report.error(NUMERICAL_BAD_NUMBER, code="numerical_bad_number", answer=shown)
            return None
        answer = {"min": form_number(low), "max": form_number(high)}
    else:
        value_text, _colon, tolerance_text = text.partition(":")
        value = parse_number(value_text)
        tolerance = parse_number(tolerance_text) if tolerance_text.strip() else Decimal(0)
        if value is None or tolerance is None:
            report.error(NUMERICAL_BAD_NUMBER, code="numerical_bad_number", answer=shown)
            return None
        answer = {"value": form_number(value)}
        if tolerance:
            answer["tolerance"] = form_number(abs(tolerance))
    if weight <= 0:
        report.warn(NUMERICAL_ANSWER_DROPPED, code="numerical_answer_dropped", answer=shown)
        return {}
    if weight > 100 + c.GRADE_TOLERANCE:
        report.error(c.INVALID_GRADE, code="invalid_grade", answer=shown, grade=c.grade_label(weight))
        return None
    if abs(weight - 100) > c.GRADE_TOLERANCE:
        answer["weight"] = form_number(Decimal(str(weight)).quantize(Decimal("0.0001")))
    if feedback:
        answer["feedback"] = feedback
    return answer


def numerical_data(report, entries: list[tuple[str, float, str]]) -> dict | None:
    """``data`` from (answer text, grade in percent, feedback) per answer, as both formats give them."""
    answers = []
    for text, weight, feedback in entries:
        answer = _answer_from_text(report, text.strip(), weight, feedback)
        if answer:
            answers.append(answer)
    if report.failed:
        return None
    if not answers:
        report.error(c.NO_ANSWERS, code="no_answers")
        return None
    if not any(answer.get("weight", 100) == 100 for answer in answers):
        report.error(c.MISSING_CORRECT, code="missing_correct")
        return None
    return {"answers": answers}


def read_gift(report, answer: str, *, weight, plain, post) -> dict | None:
    """The data of ``{#…}`` (``answer`` is the text after ``#``, GIFT escapes still as placeholders).

    ``weight(report, part, default)`` reads a ``%n%`` prefix, ``plain(raw)`` makes feedback plain text and
    ``post(text)`` restores escaped characters (the GIFT module's own helpers)."""
    answer = answer.strip()
    if answer.startswith(("=", "~")):
        parts = []
        for chunk in answer.replace("~", "\x00~").replace("=", "\x00=").split("\x00"):
            chunk = chunk.strip()
            if chunk:
                parts.append((chunk[0], chunk[1:].strip()))
    else:
        parts = [("=", answer)]
    entries = []
    for marker, part in parts:
        grade, part = weight(report, part, 100.0 if marker == "=" else 0.0)
        if grade is None:
            continue
        text, _hash, feedback = part.partition("#")
        entries.append((post(text), grade, plain(feedback) if feedback.strip() else ""))
    if report.failed:
        return None
    return numerical_data(report, entries)


def write_gift(data: dict, *, escape) -> list[str]:
    """The lines of ``{#…}``: ``#`` then one ``=%weight%answer#feedback`` per answer."""
    lines = ["#"]
    for answer in _answers(data):
        if "min" in answer or "max" in answer:
            text = f"{plain_number(answer['min'])}..{plain_number(answer['max'])}"
        else:
            text = plain_number(answer["value"])
            if number(answer.get("tolerance", 0)):
                text += f":{plain_number(answer['tolerance'])}"
        weight = answer.get("weight", 100)
        line = ("=" if weight == 100 else f"=%{c.format_number(weight, 5)}%") + text
        if answer.get("feedback"):
            line += "#" + escape(answer["feedback"])
        lines.append(line)
    return lines


def read_moodle(report, element, *, grade, text, plain) -> dict | None:
    """The data of ``<question type="numerical">``; ``grade``, ``text`` and ``plain`` are the Moodle module's
    readers of an answer's fraction, a text element and a text element as plain text."""
    if any(text(unit.find("unit_name")) or (unit.findtext("unit_name") or "").strip() for unit in element.findall("units/unit")):
        report.warn(NUMERICAL_UNITS_DROPPED, code="numerical_units")
    entries = []
    for answer in element.findall("answer"):
        raw = text(answer)
        value = grade(report, answer, raw)
        if value is None:
            continue
        if raw == "*":
            if value > 0:
                report.warn(NUMERICAL_ANY_DROPPED, code="numerical_any")
            continue
        tolerance = (answer.findtext("tolerance") or "").strip()
        if tolerance and ".." not in raw and ":" not in raw:
            raw = f"{raw}:{tolerance}"
        entries.append((raw, value, plain(answer.find("feedback"))))
    if report.failed:
        return None
    return numerical_data(report, entries)


def write_moodle(data: dict, node, *, add, answer_node) -> None:
    """The answers of ``<question type="numerical">`` into ``node`` (``add`` and ``answer_node`` are the Moodle
    module's writers of a plain element and of an ``<answer>``)."""
    for answer in _answers(data):
        if "min" in answer or "max" in answer:
            low, high = Decimal(str(answer["min"])), Decimal(str(answer["max"]))
            value, tolerance = (low + high) / 2, (high - low) / 2
        else:
            value, tolerance = Decimal(str(answer["value"])), Decimal(str(answer.get("tolerance", 0)))
        written = answer_node(node, c.format_number(answer.get("weight", 100), 5), plain_number(value), answer.get("feedback", ""), "moodle_auto_format")
        add(written, "tolerance", plain_number(tolerance))
    add(node, "unitgradingtype", "0")
    add(node, "unitpenalty", "0.1000000")
    add(node, "showunits", "3")
    add(node, "unitsleft", "0")


class Numerical(Kind):
    name = "numerical"
    label = _("Numerical")
    editor = NumericalEditor
    paper = True
    moodle_type = "numerical"

    def check_data(self, data, problems):
        _check_numerical(data, problems)

    def validate_response(self, data, response):
        return _validate_numerical(data, response)

    def score(self, data, response, awards=None):
        return _score_numerical(data, response)

    def key_view(self, data):
        shown = []
        for answer in _answers(data):
            if "min" in answer or "max" in answer:
                text = f"{plain_number(answer['min'])} – {plain_number(answer['max'])}"
            else:
                text = plain_number(answer["value"])
                if number(answer.get("tolerance", 0)):
                    text += f" ± {plain_number(answer['tolerance'])}"
            weight = answer.get("weight", 100)
            shown.append(text if weight == 100 else f"{text} ({c.format_number(weight, 2)}%)")
        return {"correct": shown}

    def from_post(self, *, item, post, name):
        return (post.get(name) or "").strip() or None

    def feedback(self, data, response, parts):
        if not isinstance(response, str):
            return []
        _value, answer = _best(data, response)
        return [answer["feedback"]] if answer and answer.get("feedback") else []

    def cell_response(self, data, text):
        if parse_number(text) is None:
            raise ValueError(str(NOT_A_NUMBER))
        return text

    def key_summary(self, data):
        return "; ".join(self.key_view(data)["correct"])

    def response_example(self, data, *, right, rng):
        answer = next((answer for answer in _answers(data) if answer.get("weight", 100) == 100), None)
        if answer is None:
            return "0"
        value = Decimal(str(answer["min"] if "min" in answer else answer["value"]))
        return format(value if right else value + 1000, "f")

    def export_problem(self, data):
        answers = _answers(data)
        if not answers or any(_bounds(answer) is None or _weight(answer) is None for answer in answers):
            return "answers"
        return None


KIND = Numerical()
