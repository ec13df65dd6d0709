"""What both interchange formats share: the import result, its messages, keys and text conversions.

The mapping of each kind (its data from answers and grades, what export needs) is in its module under
``assessments/kinds/``; ``dispatch`` checks imported data and exportable questions through the registry.
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
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from html.parser import HTMLParser

from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from content.sanitize import normalise_richtext

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

    def warn_scoring(self, index: int, question: dict, *, format_name: str) -> None:
        """A multiple-response question scored other than "right minus wrong": both formats only hold
        per-answer grades, so it goes out (and comes back) as right minus wrong."""
        scoring = question["data"].get("scoring", "right_minus_wrong")
        if scoring != "right_minus_wrong":
            self.warn(
                index, question.get("name", ""), EXPORT_SCORING, code="export_scoring", format=format_name,
                scoring=SCORING_LABELS.get(scoring, scoring),
            )


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
# Grades.
# --------------------------------------------------------------------------------------------------

GRADE_TOLERANCE = 0.05  # percent: Moodle writes 33.33333 for a third
