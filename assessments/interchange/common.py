"""What both interchange formats share: the import result, its messages, keys and text conversions.

Pure Python, no database. The question dict read and written by both formats::

    {"kind": "single", "name": "short name", "prompt": "<p>html</p>", "points": Decimal("1"),
     "feedback": "<p>html</p>" or "", "data": {...}, "tags": ["m4-elements"]}

Optional: ``"id": "M4-1"`` (GIFT ``[id:…]``, Moodle ``idnumber``) and ``"files"`` (embedded files, see
``files``). ``data`` has the shape of its kind in ``assessments/FORMAT.md``. The formats hold no keys, so an import
always generates them in file order: options of single/multiple and items of ordering "a", "b", … "z",
"aa", "ab", …; items of matching "1", "2", …; choices of matching "a", "b", … in order of first
appearance; the one criterion of an imported rubric "overall". Texts the format marks as HTML go to the
*html* fields, reshaped for the rich-text editor (``editor_html``; the caller sanitises them with bleach);
texts of plain fields (options, items, option feedback, accepted answers, guidance) are reduced to plain
text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation
from html.parser import HTMLParser

from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from assessments.scoring import QuestionDataError, question_data_validate

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NAME_CHARS = 200  # Question.title
MAX_POINTS = Decimal("9999.99")  # Question.points: max_digits=6, decimal_places=2
SHOWN_NAME_CHARS = 60
SHOWN_TEXT_CHARS = 60
DEFAULT_MAX_WORDS = None  # a rubric from a file has no word limit unless the file gives one
OVERALL_KEY = "overall"

# --------------------------------------------------------------------------------------------------
# Messages. A message is "<where>: <problem>"; both parts are translated and joined when shown.
# --------------------------------------------------------------------------------------------------

WHERE_NAMED = _("Question %(index)s “%(name)s”: %(problem)s")
WHERE_UNNAMED = _("Question %(index)s: %(problem)s")
WHERE_NAMED_LINE = _("Question %(index)s “%(name)s” (line %(line)s): %(problem)s")
WHERE_UNNAMED_LINE = _("Question %(index)s (line %(line)s): %(problem)s")

# The whole file (index 0).
FILE_EMPTY = _("The file is empty.")
FILE_TOO_LARGE = _("The file is too large (%(size)s); the limit is %(limit)s.")
FILE_NOT_UTF8 = _("The file is not UTF-8 text. Save it again with the encoding UTF-8 and upload it.")
FILE_NOT_XML = _(
    "The file is not valid XML: the error is at line %(line)s, column %(column)s. "
    "Export the questions again from Moodle."
)
FILE_UNSAFE_XML = _(
    "The file declares a document type or entities, which are refused for safety. A Moodle export has none; "
    "export the questions again from Moodle."
)
FILE_NOT_MOODLE = _("The file is XML but not a Moodle XML question file: its top element is <%(tag)s>, not <quiz>.")
FILE_NO_QUESTIONS = _("The file contains no questions.")

# One question: errors (the question cannot be imported).
UNSUPPORTED_TYPE = _(
    "the Moodle question type “%(type)s” is not supported. Supported types: multiple choice, true/false, "
    "matching, short answer, ordering and essay."
)
EMPTY_PROMPT = _("the question text is empty.")
NO_ANSWERS = _("it has no answers.")
TOO_FEW_ANSWERS = _("it needs at least two answers; it has %(count)s.")
MISSING_CORRECT = _("the answer marked correct is missing.")
SEVERAL_CORRECT = _(
    "%(count)s answers are marked fully correct, but a single-choice question has exactly one correct answer."
)
INVALID_GRADE = _("the answer “%(answer)s” has a grade that is not a number: “%(grade)s”.")
EMPTY_ANSWER = _("answer %(number)s has no text.")
TOO_FEW_PAIRS = _("a matching question needs at least two pairs; it has %(count)s.")
PAIR_WITHOUT_ARROW = _("the pair “%(pair)s” has no “->” between the item and its match.")
ITEM_WITHOUT_MATCH = _("the item “%(item)s” has no matching answer.")
TOO_FEW_CHOICES = _("a matching question needs at least two different answers to choose from; it has %(count)s.")
INVALID_DATA = _("it does not make a valid question here: %(problem)s")
TOO_FEW_ITEMS = _("an ordering question needs at least two items; it has %(count)s.")
GIFT_TITLE_UNCLOSED = _("the title is opened with :: but not closed with ::.")
GIFT_UNTERMINATED = _("the answer part opened with { is not closed with }. Close it, or write \\{ for a literal brace.")
GIFT_STRAY_CLOSE = _("it has a } without an opening {. Write \\} for a literal brace.")
GIFT_SEVERAL_PARTS = _("it has more than one answer part in braces; write one answer part, after the question text.")
GIFT_NUMERICAL = _("numerical questions ({#…}) are not supported.")
GIFT_ORDERING_SYNTAX = _(
    "the ordering answer part is not understood: write {>, the number of items, ALL, VERTICAL, the grading type "
    "and SHOW, then one item per line."
)

# One question: warnings (imported, with a loss the editor should know about).
DESCRIPTION_SKIPPED = _("a description is not a question; it is skipped.")
IMAGES_DROPPED = _("embedded files such as images are not imported (%(count)s found); add them again in the editor.")
PARTIAL_CREDIT_DROPPED = _(
    "partial credit is not kept: the answer “%(answer)s” gave %(grade)s%% of the marks and now scores 0."
)
SHORT_PARTIAL_DROPPED = _(
    "the answer “%(answer)s” gives %(grade)s%% of the marks; only fully correct answers are kept, so it is dropped."
)
SHORT_FEEDBACK_DROPPED = _(
    "the feedback on the answer “%(answer)s” is not kept; a short-answer question has general feedback only."
)
SHORT_CASE_SENSITIVE = _("the answers were case-sensitive in the file; here letter case is ignored.")
SHORT_WILDCARD = _(
    "the answer “%(answer)s” contains *, which Moodle treats as a wildcard; here it must be typed literally."
)
GRADES_UNEQUAL = _(
    "the grades of the correct answers (%(grades)s) are not equal shares of 100%%; here every correct answer "
    "counts the same."
)
PENALTY_NONE = _(
    "the wrong answers carry no penalty in the file; here each wrong answer chosen takes away 1/%(count)s of the "
    "marks (“right minus wrong” scoring)."
)
PENALTY_UNEQUAL = _(
    "the wrong answers carry penalties of %(grades)s; here each wrong answer chosen takes away 1/%(count)s of "
    "the marks (“right minus wrong” scoring)."
)
RUBRIC_OVERALL = _(
    "the rubric criteria are not in the file: it is imported with one criterion “Overall” (maximum %(points)s). "
    "Add the real criteria in the editor."
)
RUBRIC_EDITED = _(
    "the information for graders was changed after it was exported, so its criteria are not restored: it is "
    "imported with one criterion “Overall” (maximum %(points)s). Check the criteria in the editor."
)
ORDERING_GRADING = _("the ordering grading “%(grading)s” has no equivalent here; it is imported as “%(scoring)s”.")
ORDERING_SUBSET = _("Moodle showed only %(count)s of the items; here every item is shown.")
HINTS_DROPPED = _("its hints are not imported.")
COMBINED_FEEDBACK_DROPPED = _(
    "the feedback for correct, partially correct and incorrect responses is not imported; general feedback and "
    "feedback on each answer are kept."
)
NAME_SHORTENED = _("the name is longer than %(limit)s characters and is shortened.")
POINTS_INVALID = _("the default grade “%(grade)s” is not a positive number below 10000; 1 point is used.")
ESSAY_ATTACHMENTS = _("file attachments are not supported; learners answer in text only.")
RESPONSE_TEMPLATE_DROPPED = _("the response template is not imported.")

# Export.
EXPORT_CASE = _(
    "a case-qualification question has no equivalent in %(format)s, so it is not exported. Leave it out of the export."
)
EXPORT_UNKNOWN_KIND = _("its type “%(kind)s” cannot be exported.")
EXPORT_INVALID = _("its data is incomplete or invalid (%(field)s), so it cannot be exported. Correct it in the editor.")
EXPORT_SCORING = _(
    "%(format)s has no “%(scoring)s” scoring; it is exported with “right minus wrong” grades and comes back that way."
)
EXPORT_POINTS = _("GIFT has no points: its %(points)s points come back as 1.")
EXPORT_RUBRIC = _("GIFT has no place for rubric criteria, guidance, model answer or word limit; they are not exported.")
EXPORT_SHUFFLE = _("GIFT cannot say that the answers keep their order; they come back shuffled.")
EXPORT_ORDERING_FEEDBACK = _(
    "the general feedback of an ordering question cannot be written in GIFT; it is not exported."
)
# The header of an exported file with losses, before one line per loss.
EXPORT_NOTICE = _("%(format)s cannot hold everything in this bank. What the export leaves out or changes (%(count)s):")

# Labels used inside messages and exports.
SCORING_LABELS = {
    "all_or_nothing": _("all or nothing"),
    "right_minus_wrong": _("right minus wrong"),
    "per_option": _("per option"),
    "positions": _("positions"),
    "adjacent_pairs": _("adjacent pairs"),
}
OVERALL = _("Overall")
CRITERIA_HEADING = _("Criteria (maximum points)")
MODEL_ANSWER_HEADING = _("Model answer")


_size = lazy(filesizeformat, str)


def _interpolate(template, params: dict) -> str:
    return str(template) % params


# Formatting happens when the message is shown, so it comes out in the language of whoever reads it.
_interpolate_lazy = lazy(_interpolate, str)


def message(template, **params) -> Promise:
    return _interpolate_lazy(template, params)


# --------------------------------------------------------------------------------------------------
# Results.
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionIssue:
    """One problem: ``index`` is the 1-based position of the question in the file (0: the whole file).

    ``message`` is a lazy translatable string naming the question and the problem; ``code`` lets code and
    tests tell cases apart; ``line`` is the line where the question starts (GIFT only).
    """

    index: int
    name: str
    message: Promise | str
    code: str = ""
    line: int | None = None

    def __str__(self) -> str:
        return str(self.message)


@dataclass
class ImportResult:
    """What a file holds. The caller imports nothing when ``errors`` is not empty."""

    questions: list[dict] = field(default_factory=list)
    errors: list[QuestionIssue] = field(default_factory=list)
    warnings: list[QuestionIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ExportError(Exception):
    """Questions that cannot be written in the format; ``issues`` names each one. Nothing is exported."""

    def __init__(self, issues: list[QuestionIssue]):
        self.issues = issues
        super().__init__("; ".join(str(issue) for issue in issues))


def file_issue(template, *, code: str, **params) -> QuestionIssue:
    return QuestionIssue(index=0, name="", message=message(template, **params), code=code)


def file_error_result(template, *, code: str, **params) -> ImportResult:
    return ImportResult(errors=[file_issue(template, code=code, **params)])


def question_issue(index: int, name: str, template, *, code: str, line: int | None = None, **params) -> QuestionIssue:
    problem = message(template, **params)
    shown = shorten(name, SHOWN_NAME_CHARS)
    if line is None:
        where = WHERE_NAMED if shown else WHERE_UNNAMED
        text = message(where, index=index, name=shown, problem=problem)
    else:
        where = WHERE_NAMED_LINE if shown else WHERE_UNNAMED_LINE
        text = message(where, index=index, name=shown, line=line, problem=problem)
    return QuestionIssue(index=index, name=name, message=text, code=code, line=line)


class QuestionReport:
    """Collects the errors and warnings of one question while it is read."""

    def __init__(self, result: ImportResult, *, index: int, name: str = "", line: int | None = None):
        self.result = result
        self.index = index
        self.name = name
        self.line = line
        self.failed = False

    def error(self, template, *, code: str, **params) -> None:
        self.failed = True
        self.result.errors.append(question_issue(self.index, self.name, template, code=code, line=self.line, **params))

    def warn(self, template, *, code: str, **params) -> None:
        self.result.warnings.append(
            question_issue(self.index, self.name, template, code=code, line=self.line, **params)
        )


class ExportReport:
    """Collects refusals (errors) and losses (warnings) while questions are written."""

    def __init__(self, warnings: list | None):
        self.errors: list[QuestionIssue] = []
        self.warnings = warnings if warnings is not None else []

    def error(self, index: int, name: str, template, *, code: str, **params) -> None:
        self.errors.append(question_issue(index, name, template, code=code, **params))

    def warn(self, index: int, name: str, template, *, code: str, **params) -> None:
        self.warnings.append(question_issue(index, name, template, code=code, **params))


def loss_notice(warnings: list[QuestionIssue], *, format_name: str) -> list[str]:
    """The lines that head an exported file with losses: a title, then each loss naming its question, each
    on one line, in the active language. No lines when nothing is lost."""
    if not warnings:
        return []
    lines = [message(EXPORT_NOTICE, format=format_name, count=len(warnings))]
    lines += [issue.message for issue in warnings]
    return [" ".join(str(line).split()) for line in lines]


# --------------------------------------------------------------------------------------------------
# Keys, texts, numbers.
# --------------------------------------------------------------------------------------------------


def letter_key(position: int) -> str:
    """0 → "a", 25 → "z", 26 → "aa", 27 → "ab": spreadsheet-column letters."""
    key = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        key = chr(ord("a") + rest) + key
    return key


def letter_keys(count: int) -> list[str]:
    return [letter_key(i) for i in range(count)]


def number_keys(count: int) -> list[str]:
    return [str(i) for i in range(1, count + 1)]


class _TextExtractor(HTMLParser):
    BLOCK = frozenset(
        "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr "
        "li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
    )
    SKIP = frozenset({"script", "style", "template"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag in self.BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(value: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed."""
    if not value:
        return ""
    if "<" not in value and "&" not in value:
        return " ".join(value.split())
    parser = _TextExtractor()
    parser.feed(value)
    parser.close()
    return " ".join("".join(parser.parts).split())


def text_to_html(value: str) -> str:
    """HTML of plain text: escaped, one <p> per paragraph, single line breaks as <br>."""
    value = (value or "").strip()
    if not value:
        return ""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line.strip(), quote=False) for line in p.splitlines()) + "</p>"
        for p in paragraphs
    )


def editor_html(value: str) -> str:
    """An HTML text (prompt, general feedback) reshaped so that the admin's rich-text editor can open it.

    Moodle and GIFT files carry HTML that the editor cannot map, e.g. an ``<li>`` outside a list, which
    made the question's edit page fail. The bank's ``save()`` sanitises (and reshapes) it again.
    """
    from content.sanitize import normalise_richtext

    return normalise_richtext(value)


def plain_to_html_text(value: str) -> str:
    """A plain-text field written where HTML is read: only escaped (html_to_text gives it back)."""
    return html.escape(value or "", quote=False)


def shorten(value: str, limit: int) -> str:
    value = " ".join((value or "").split())
    if len(value) <= limit:
        return value
    cut = value[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"


def name_from_prompt(prompt_html: str) -> str:
    return shorten(html_to_text(prompt_html), 80)


def clean_name(report: QuestionReport, name: str) -> str:
    name = " ".join((name or "").split())
    if len(name) > MAX_NAME_CHARS:
        report.warn(NAME_SHORTENED, code="name_shortened", limit=MAX_NAME_CHARS)
        name = shorten(name, MAX_NAME_CHARS)
    return name


def points_value(value: Decimal) -> Decimal:
    """Two decimal places at most; whole numbers without decimals (Decimal("2.50") → Decimal("2.5"))."""
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def parse_points(report: QuestionReport, raw: str | None) -> Decimal:
    raw = (raw or "").strip()
    if not raw:
        return Decimal(1)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not (Decimal("0.005") <= value <= MAX_POINTS):
        report.warn(POINTS_INVALID, code="points_invalid", grade=shorten(raw, 20))
        return Decimal(1)
    return points_value(value)


def format_number(value: Decimal | float | int, places: int = 7) -> str:
    """1 → "1", 33.333333 → "33.33333", -50.0 → "-50": no needless zeros."""
    text = f"{float(value):.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def grade_label(fraction_percent: float) -> str:
    return format_number(fraction_percent, 2)


# --------------------------------------------------------------------------------------------------
# Mapping grades to our kinds.
# --------------------------------------------------------------------------------------------------

GRADE_TOLERANCE = 0.05  # percent: Moodle writes 33.33333 for a third


def multiple_scoring_from_grades(report: QuestionReport, grades: list[float]) -> list[int] | None:
    """Positions of the correct options of a multiple-response question given per-option grades in percent.

    Every option with a positive grade is correct. The scoring is always ``right_minus_wrong``; it is exact when
    the correct options share 100 equally and the wrong ones share −100 equally (or there are none). Other grades
    are reported as warnings: unequal shares of the correct options, wrong options without or with other
    penalties.
    """
    correct = [i for i, grade in enumerate(grades) if grade > 0]
    wrong = [i for i, grade in enumerate(grades) if grade <= 0]
    if not correct:
        report.error(MISSING_CORRECT, code="missing_correct")
        return None
    share = 100.0 / len(correct)
    if any(abs(grades[i] - share) > GRADE_TOLERANCE for i in correct):
        report.warn(
            GRADES_UNEQUAL, code="grades_unequal", grades=", ".join(f"{grade_label(grades[i])}%" for i in correct)
        )
    if wrong:
        penalty = -100.0 / len(wrong)
        if all(abs(grades[i]) <= GRADE_TOLERANCE for i in wrong):
            report.warn(PENALTY_NONE, code="penalty_none", count=len(wrong))
        elif any(abs(grades[i] - penalty) > GRADE_TOLERANCE for i in wrong):
            report.warn(
                PENALTY_UNEQUAL,
                code="penalty_unequal",
                grades=", ".join(f"{grade_label(grades[i])}%" for i in wrong),
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


def single_correct_from_grades(report: QuestionReport, grades: list[float], texts: list[str]) -> int | None:
    """Position of the one correct option of a single-choice question; partial grades are reported and dropped."""
    full = [i for i, grade in enumerate(grades) if grade >= 100 - GRADE_TOLERANCE]
    if not full:
        report.error(MISSING_CORRECT, code="missing_correct")
        return None
    if len(full) > 1:
        report.error(SEVERAL_CORRECT, code="several_correct", count=len(full))
        return None
    for i, grade in enumerate(grades):
        if i not in full and abs(grade) > GRADE_TOLERANCE:
            report.warn(
                PARTIAL_CREDIT_DROPPED,
                code="partial_dropped",
                answer=shorten(texts[i], SHOWN_TEXT_CHARS),
                grade=grade_label(grade),
            )
    return full[0]


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


def ordering_scoring_from_moodle(report: QuestionReport, raw: str | None) -> str:
    """Our ordering scoring for a Moodle grading type; the plugin's default (relative to next) when absent."""
    name = (raw or "").strip().upper()
    name = ORDERING_GRADING_NAMES.get(name, name) or "RELATIVE_NEXT_EXCLUDE_LAST"
    if name in ORDERING_FROM_MOODLE:
        return ORDERING_FROM_MOODLE[name]
    scoring = ORDERING_NEAREST.get(name, "positions")
    report.warn(ORDERING_GRADING, code="ordering_grading", grading=shorten(name, 40), scoring=SCORING_LABELS[scoring])
    return scoring


def overall_rubric(report: QuestionReport, points: Decimal, *, guidance: str = "", edited: bool = False) -> dict:
    """A rubric with one criterion "Overall" worth the question's points (whole, at least 1)."""
    criterion_points = max(1, int(points.to_integral_value(rounding=ROUND_CEILING)))
    report.warn(
        RUBRIC_EDITED if edited else RUBRIC_OVERALL,
        code="rubric_edited" if edited else "rubric_overall",
        points=criterion_points,
    )
    return {
        "criteria": [{"key": OVERALL_KEY, "text": str(OVERALL), "points": criterion_points}],
        "guidance": guidance,
        "model_answer": "",
        "max_words": DEFAULT_MAX_WORDS,
    }


def choice_data(report: QuestionReport, entries: list[tuple[str, float, str]], *, single: bool, shuffle: bool):
    """``data`` of a single or multiple question from (text, grade in percent, feedback) per answer."""
    if not entries:
        report.error(NO_ANSWERS, code="no_answers")
        return None
    if len(entries) < 2:
        report.error(TOO_FEW_ANSWERS, code="too_few_answers", count=len(entries))
        return None
    keys = letter_keys(len(entries))
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


WILDCARD = re.compile(r"(?<!\\)\*")


def short_data(report: QuestionReport, entries: list[tuple[str, float, str]], *, case_sensitive: bool = False):
    """``data`` of a short question from (text, grade in percent, feedback) per answer; only 100 % answers stay.

    Moodle reads * as a wildcard and \\* as a literal star; here every answer is literal, so \\* becomes *.
    """
    entries = [entry for entry in entries if entry[0]]
    if not entries:
        report.error(NO_ANSWERS, code="no_answers")
        return None
    accepted: list[str] = []
    for text, grade, feedback in entries:
        shown = shorten(text, SHOWN_TEXT_CHARS)
        if grade >= 100 - GRADE_TOLERANCE:
            if WILDCARD.search(text):
                report.warn(SHORT_WILDCARD, code="short_wildcard", answer=shown)
            literal = text.replace("\\*", "*")
            if literal not in accepted:
                accepted.append(literal)
            if feedback:
                report.warn(SHORT_FEEDBACK_DROPPED, code="short_feedback", answer=shown)
        else:
            report.warn(SHORT_PARTIAL_DROPPED, code="short_partial", answer=shown, grade=grade_label(grade))
    if not accepted:
        report.error(MISSING_CORRECT, code="missing_correct")
        return None
    if case_sensitive:
        report.warn(SHORT_CASE_SENSITIVE, code="short_case")
    return {"accepted": accepted}


def short_answer_for_moodle(text: str) -> str:
    """An accepted answer as Moodle reads it: a literal star is written \\*."""
    return text.replace("*", "\\*")


def matching_data(report: QuestionReport, pairs: list[tuple[str, str]], *, shuffle: bool):
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
                report.error(ITEM_WITHOUT_MATCH, code="item_without_match", item=shorten(item, SHOWN_TEXT_CHARS))
            continue
        key = keys_by_text.get(choice)
        if key is None:
            key = keys_by_text[choice] = letter_key(len(choices))
            choices.append({"key": key, "text": choice})
        if item:
            item_key = str(len(items) + 1)
            items.append({"key": item_key, "text": item})
            correct[item_key] = key
    if report.failed:
        return None
    if not items and not choices:
        report.error(NO_ANSWERS, code="no_answers")
        return None
    if len(items) < 2:
        report.error(TOO_FEW_PAIRS, code="too_few_pairs", count=len(items))
        return None
    if len(choices) < 2:
        report.error(TOO_FEW_CHOICES, code="too_few_choices", count=len(choices))
        return None
    return {"items": items, "choices": choices, "correct": correct, "shuffle": shuffle}


def matching_pairs_for_export(data: dict) -> list[tuple[str, str]]:
    """(item, choice) pairs: every item with its choice, then every unused choice as a distractor ("", choice)."""
    texts = {choice["key"]: choice.get("text", "") for choice in data["choices"]}
    pairs = [(item.get("text", ""), texts[data["correct"][item["key"]]]) for item in data["items"]]
    used = {data["correct"][item["key"]] for item in data["items"]}
    pairs += [("", choice.get("text", "")) for choice in data["choices"] if choice["key"] not in used]
    return pairs


def ordering_data(report: QuestionReport, texts: list[str], *, scoring: str):
    """``data`` of an ordering question from its items in the right order."""
    texts = [text for text in texts if text]
    if not texts:
        report.error(NO_ANSWERS, code="no_answers")
        return None
    if len(texts) < 2:
        report.error(TOO_FEW_ITEMS, code="too_few_items", count=len(texts))
        return None
    keys = letter_keys(len(texts))
    return {
        "items": [{"key": k, "text": t} for k, t in zip(keys, texts, strict=True)],
        "correct": keys,
        "scoring": scoring,
    }


def ordering_texts_for_export(data: dict) -> list[str]:
    texts = {item["key"]: item.get("text", "") for item in data["items"]}
    return [texts[key] for key in data["correct"]]


def ordering_subset_warning(report: QuestionReport, select: str | None, count: str | None, total: int) -> None:
    """Moodle may show a random or contiguous subset of the items; here all are shown."""
    select = (select or "").strip().upper()
    if select not in ("RANDOM", "REL", "CONTIGUOUS", "CONTIG", "1", "2"):
        return
    try:
        shown = int((count or "").strip())
    except ValueError:
        return
    if 0 < shown < total:
        report.warn(ORDERING_SUBSET, code="ordering_subset", count=shown)


def data_valid(report: QuestionReport, kind: str, data: dict) -> bool:
    """Last check of an imported question: the shape ``assessments.scoring`` accepts (FORMAT.md)."""
    try:
        question_data_validate(kind=kind, data=data)
    except QuestionDataError as exc:
        for problem in exc.messages:
            report.error(INVALID_DATA, code="invalid_data", problem=problem)
        return False
    return True


# --------------------------------------------------------------------------------------------------
# Checks before export.
# --------------------------------------------------------------------------------------------------

KINDS = ("single", "multiple", "truefalse", "matching", "ordering", "short", "case", "rubric")


def export_problem(question: dict) -> str | None:
    """The first field that makes ``question`` impossible to write, or None."""
    data = question.get("data")
    if not isinstance(data, dict):
        return "data"
    kind = question.get("kind")
    if kind in ("single", "multiple"):
        options = data.get("options")
        if (
            not isinstance(options, list)
            or len(options) < 2
            or not all(isinstance(o, dict) and "key" in o for o in options)
        ):
            return "options"
        keys = {o["key"] for o in options}
        correct = data.get("correct")
        if kind == "single" and correct not in keys:
            return "correct"
        if kind == "multiple" and (not isinstance(correct, list) or not correct or not set(correct) <= keys):
            return "correct"
    elif kind == "truefalse":
        if not isinstance(data.get("correct"), bool):
            return "correct"
    elif kind == "matching":
        items, choices, correct = data.get("items"), data.get("choices"), data.get("correct")
        if not isinstance(items, list) or not items:
            return "items"
        if not isinstance(choices, list) or not choices:
            return "choices"
        choice_keys = {c.get("key") for c in choices if isinstance(c, dict)}
        if not isinstance(correct, dict) or any(correct.get(i.get("key")) not in choice_keys for i in items):
            return "correct"
    elif kind == "ordering":
        items, correct = data.get("items"), data.get("correct")
        if not isinstance(items, list) or len(items) < 2:
            return "items"
        if not isinstance(correct, list) or sorted(correct) != sorted(i.get("key") for i in items):
            return "correct"
    elif kind == "short":
        accepted = data.get("accepted")
        if not isinstance(accepted, list) or not [a for a in accepted if str(a).strip()]:
            return "accepted"
    elif kind == "rubric":
        criteria = data.get("criteria")
        if not isinstance(criteria, list) or not criteria:
            return "criteria"
    try:
        Decimal(str(question.get("points", 1)))
    except InvalidOperation:
        return "points"
    return None


def exportable(report: "ExportReport", questions, *, format_name: str, writers: dict, skip_unsupported: bool):
    """Yield ``(index, question)`` for each question the format can hold; report the others.

    A refused question is an error (nothing is exported) or, with ``skip_unsupported``, a warning.
    """
    for index, question in enumerate(questions, start=1):
        kind = question.get("kind")
        refusal = None
        if kind == "case":
            refusal = (EXPORT_CASE, "export_case", {"format": format_name})
        elif kind not in writers:
            refusal = (EXPORT_UNKNOWN_KIND, "export_unknown_kind", {"kind": shorten(str(kind), 40)})
        else:
            problem = export_problem(question)
            if problem:
                refusal = (EXPORT_INVALID, "export_invalid", {"field": problem})
        if refusal:
            template, code, params = refusal
            name = question.get("name") or ""
            (report.warn if skip_unsupported else report.error)(index, name, template, code=code, **params)
            continue
        yield index, question
