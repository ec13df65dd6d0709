"""Single choice: options, one of them correct (``{"options": [...], "correct": "b", "shuffle": true}``).

Also what single and multiple share (``multiple`` imports it): the option editor, the options a learner
sees and reviews, option feedback, paper letters, and the mapping of Moodle/GIFT answer grades.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.interchange import common as c

from .base import (
    ONE,
    SCORING_RULES,
    ZERO,
    Kind,
    ResponseError,
    keyed_list,
    keys_of,
    letters_of,
    msg,
    nfc,
    ONE_LETTER,
    ordered,
    pick,
    shuffle_flag,
    texts,
)
from .editing import (
    CHOOSE_CORRECT,
    CHOOSE_SOME_CORRECT,
    ONLY_ONE_CORRECT,
    SCORING_LABELS,
    EditorForm,
    KindEditor,
    OptionFormSet,
    keep_order,
    make,
    optional,
)

# --- data and responses --------------------------------------------------------------------------------


def _check_single(data, problems):
    keys = keyed_list(data, "options", problems)
    shuffle_flag(data, problems)
    correct = data.get("correct")
    if not isinstance(correct, str) or not correct:
        problems.append(_("Choose the correct option."))
    elif correct not in keys:
        problems.append(msg(_("The correct option “%(key)s” is not one of the options."), key=correct))


def _validate_single(data, response):
    if response == "":
        return None
    if not isinstance(response, str):
        raise ResponseError(_("Choose one of the options."))
    response = nfc(response)
    if response not in keys_of(data.get("options")):
        raise ResponseError(msg(_("The question has no option “%(key)s”."), key=response))
    return response


def _score_single(data, response):
    if not isinstance(response, str) or not response:
        return None
    value = ONE if response == data.get("correct") else ZERO
    return value, {response: value}


# --- options: what single and multiple share --------------------------------------------------------------


def options_public(data, seed):
    return {"options": ordered(texts(data.get("options"), "text"), seed if data.get("shuffle", True) else "")}


def options_key_view(data):
    correct = data.get("correct")
    return {
        "correct": set(correct if isinstance(correct, list) else [correct]),
        "option_feedback": {option["key"]: option.get("feedback", "") for option in data.get("options") or []},
    }


def options_feedback(data, response):
    if response is None:
        return []
    chosen = response if isinstance(response, list) else [response]
    return [
        option["feedback"]
        for option in data.get("options") or []
        if isinstance(option, dict) and option.get("key") in chosen and option.get("feedback")
    ]


def options_problem(data, *, single):
    options = data.get("options")
    if not isinstance(options, list) or len(options) < 2 or not all(isinstance(o, dict) and "key" in o for o in options):
        return "options"
    keys = {o["key"] for o in options}
    correct = data.get("correct")
    if single and correct not in keys:
        return "correct"
    if not single and (not isinstance(correct, list) or not correct or not set(correct) <= keys):
        return "correct"
    return None


# --- the editor ----------------------------------------------------------------------------------------


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
        self.options = make(OptionFormSet, data=self.data, prefix=self.name("options"), initial=initial, blank=4)
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
            optional(option, "feedback", row["feedback"], stored.get(key, {}))
            options.append(option)
        correct = [key for key, row in rows if row["correct"]]
        result = {"options": options}
        if self.multiple:
            result["correct"] = keep_order(correct, self.original.get("correct"))
            result["scoring"] = self.settings.cleaned_data["scoring"]
        else:
            result["correct"] = correct[0]
        shuffle = self.settings.cleaned_data["shuffle"]
        if "shuffle" in self.original or not shuffle:
            result["shuffle"] = shuffle
        return result




class SingleEditor(ChoiceEditor):
    kind = "single"




# --- Moodle XML and GIFT: answers with grades (the formats' modules read the syntax) --------------------


def multiple_scoring_from_grades(report: c.QuestionReport, grades: list[float]) -> list[int] | None:
    """Positions of the correct options of a multiple-response question given per-option grades in percent.

    Every option with a positive grade is correct. The scoring is always ``right_minus_wrong``; it is exact when
    the correct options share 100 equally and the wrong ones share −100 equally (or there are none). Other grades
    are reported as warnings: unequal shares of the correct options, wrong options without or with other
    penalties.
    """
    correct = [i for i, grade in enumerate(grades) if grade > 0]
    wrong = [i for i, grade in enumerate(grades) if grade <= 0]
    if not correct:
        report.error(c.MISSING_CORRECT, code="missing_correct")
        return None
    share = 100.0 / len(correct)
    if any(abs(grades[i] - share) > c.GRADE_TOLERANCE for i in correct):
        report.warn(
            c.GRADES_UNEQUAL, code="grades_unequal", grades=", ".join(f"{c.grade_label(grades[i])}%" for i in correct)
        )
    if wrong:
        penalty = -100.0 / len(wrong)
        if all(abs(grades[i]) <= c.GRADE_TOLERANCE for i in wrong):
            report.warn(c.PENALTY_NONE, code="penalty_none", count=len(wrong))
        elif any(abs(grades[i] - penalty) > c.GRADE_TOLERANCE for i in wrong):
            report.warn(
                c.PENALTY_UNEQUAL,
                code="penalty_unequal",
                grades=", ".join(f"{c.grade_label(grades[i])}%" for i in wrong),
                count=len(wrong),
            )
    return correct


def grades_for_multiple(options: list[dict], correct: list[str]) -> list[float]:
    """Percent grades that score like ``right_minus_wrong``: +100/C per correct, −100/W per wrong option."""
    right = [o["key"] for o in options if o["key"] in correct]
    wrong_count = len(options) - len(right)
    return [
        (100.0 / len(right)) if option["key"] in correct else (-100.0 / wrong_count if wrong_count else 0.0)
        for option in options
    ]


def single_correct_from_grades(report: c.QuestionReport, grades: list[float], texts: list[str]) -> int | None:
    """Position of the one correct option of a single-choice question; partial grades are reported and dropped."""
    full = [i for i, grade in enumerate(grades) if grade >= 100 - c.GRADE_TOLERANCE]
    if not full:
        report.error(c.MISSING_CORRECT, code="missing_correct")
        return None
    if len(full) > 1:
        report.error(c.SEVERAL_CORRECT, code="several_correct", count=len(full))
        return None
    for i, grade in enumerate(grades):
        if i not in full and abs(grade) > c.GRADE_TOLERANCE:
            report.warn(
                c.PARTIAL_CREDIT_DROPPED,
                code="partial_dropped",
                answer=c.shorten(texts[i], c.SHOWN_TEXT_CHARS),
                grade=c.grade_label(grade),
            )
    return full[0]


def choice_data(report: c.QuestionReport, entries: list[tuple[str, float, str]], *, single: bool, shuffle: bool):
    """``data`` of a single or multiple question from (text, grade in percent, feedback) per answer."""
    if not entries:
        report.error(c.NO_ANSWERS, code="no_answers")
        return None
    if len(entries) < 2:
        report.error(c.TOO_FEW_ANSWERS, code="too_few_answers", count=len(entries))
        return None
    keys = c.letter_keys(len(entries))
    options = [
        {"key": key, "text": text, "feedback": feedback}
        for key, (text, _grade, feedback) in zip(keys, entries, strict=True)
    ]
    grades = [grade for _text, grade, _feedback in entries]
    if single:
        position = single_correct_from_grades(report, grades, [text for text, _grade, _feedback in entries])
        if position is None:
            return None
        return {"options": options, "correct": keys[position], "shuffle": shuffle}
    positions = multiple_scoring_from_grades(report, grades)
    if positions is None:
        return None
    return {
        "options": options,
        "correct": [keys[i] for i in positions],
        "scoring": "right_minus_wrong",
        "shuffle": shuffle,
    }


class Single(Kind):
    name = "single"
    label = _("Single choice")
    editor = SingleEditor
    paper = True
    moodle_type = "multichoice"

    def check_data(self, data, problems):
        _check_single(data, problems)

    def validate_response(self, data, response):
        return _validate_single(data, response)

    def score(self, data, response, awards=None):
        return _score_single(data, response)

    def public(self, data, seed):
        return options_public(data, seed)

    def key_view(self, data):
        return options_key_view(data)

    def from_post(self, *, item, post, name):
        return post.get(name) or None

    def feedback(self, data, response, parts):
        return options_feedback(data, response)

    def cell_response(self, data, text):
        letters = letters_of(text)
        if len(letters) != 1:
            raise ValueError(str(ONE_LETTER))
        return pick(letters, data.get("options") or [])

    def key_summary(self, data):
        return str(data.get("correct", ""))

    def response_example(self, data, *, right, rng):
        keys = [option["key"] for option in data["options"]]
        wrong = [key for key in keys if key != data["correct"]]
        return data["correct"] if right or not wrong else rng.choice(wrong)

    def export_problem(self, data):
        return options_problem(data, single=True)


KIND = Single()
