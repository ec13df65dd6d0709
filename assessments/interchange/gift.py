"""GIFT question files (Moodle's plain-text format) ↔ our question dicts (see ``common``).

Read as Moodle reads it: questions are separated by blank lines; lines starting with ``//`` are comments;
``::title::`` names a question (without one the name is made from the question text); ``[html]``,
``[moodle]``, ``[plain]`` and ``[markdown]`` set the format of the text after them (answers and feedback
default to the format of the question text); ``\\~ \\= \\# \\{ \\} \\: \\\\`` are literal characters and ``\\n``
a line break; ``$CATEGORY: path`` sets the category of the questions after it.

Mapping (GIFT ↔ ours) and what is lost:

* ``$CATEGORY: $course$/top/m4-elements`` ↔ ``tags[0] == "m4-elements"``: the last part of the path (after
  ``$course$``-style contexts and ``top``); a path without one means no tag.
* ``// [id:M4-1] [tag:palermo] [tag:x]`` in the comment lines of a question (Moodle 3.6+) ↔ ``id`` (the
  bank makes the question's identifier from it) and further ``tags``; export writes the first tag as the
  category and the others, with the id, in such a comment line.
* HTML text goes through the bank's sanitiser (``markup``; images are removed, warning); Markdown is
  rendered (raw HTML in it stays text) and sanitised; plain and Moodle text become escaped HTML paragraphs
  in the prompt and feedback, and plain text in options and items. Export writes ``[html]`` and escapes.
* Missing word: an answer part in the middle of the text (``The Protocol was adopted in {=Palermo
  ~Vienna} in 2000.``) is read like one at the end, and the prompt shows ``_____`` where it stood. Export
  writes a prompt holding one ``_____`` that way.
* ``{=right ~wrong}`` ↔ ``single``; per-answer feedback ``#…``; partial weights ``~%50%`` of a single-choice
  question are dropped (warning).
* ``{=a =b ~c}`` (several ``=``; in Moodle any one of them scores full marks) → ``multiple`` with
  ``right_minus_wrong`` and every ``=`` answer correct (warning saying so); refused with a message of its
  own when a ``~`` answer has a positive weight too, or none is wrong.
* ``{~%50%a ~%50%b ~%-100%c}`` (no ``=``) ↔ ``multiple`` with ``right_minus_wrong``, exact for equal splits
  (+100/C, −100/W); other weights are warnings (as for Moodle XML). ``all_or_nothing`` and ``per_option``
  are written as right-minus-wrong weights (export warning).
* ``{T}``, ``{TRUE}``, ``{F}``, ``{FALSE}`` (any letter case) ↔ ``truefalse``; ``{T#wrong#right}``: the first
  feedback is shown for a wrong answer, the second for a right one (Moodle's rule).
* ``{=a =b}`` ↔ ``short``; weights below 100 % and answer feedback are dropped (warning).
* ``{=item -> match = -> distractor}`` ↔ ``matching``.
* ``{}`` ↔ ``rubric``: one criterion "Overall" worth 1 (warning); export writes ``{}`` and loses criteria,
  guidance, model answer and word limit (warning).
* ``{>N ALL VERTICAL grading SHOW`` + one item per line + ``}`` (the syntax of Moodle's ordering plugin) ↔
  ``ordering``, items in the right order; grading as for Moodle XML. Its general feedback is not written
  (warning).
* ``####…`` ↔ feedback (general feedback). GIFT holds no points (import gives 1; export warns when not 1) and
  no shuffle setting (import gives shuffled; export warns when the order is fixed).
* ``{#3.14:0.01}``, ``{#1..5}``, ``{#=%100%3.14:0.01 =%50%3.1:0.1}`` ↔ ``numerical`` (see ``assessments.kinds.numerical``).
* Text without an answer part is a Moodle "description": skipped with a warning naming it (the bank has
  no information item).
* Not supported, per-question error (the rest of the file still parses): more than one
  answer part, an unclosed ``{``, a stray ``}``. ``case`` questions are refused by export; ``cloze``
  (embedded answers) has no GIFT form: the export leaves it out with a warning.

``index`` in issues counts the questions of the file (category lines and comments not included); ``line``
is the line where the question starts.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from assessments import kinds
from assessments.interchange import common as c
from assessments.interchange import dispatch, markup
from assessments.interchange.common import ImportResult, QuestionReport
from assessments.interchange.gift_export import (  # noqa: F401 (questions_to_gift and WRITERS stay importable from here)
    BLANK,
    FORMAT_NAME,
    WRITERS,
    questions_to_gift,
)

FORMATS = ("html", "moodle", "plain", "markdown")
# Escapes: replaced by private-use placeholders before parsing, restored after (as Moodle does).
_PLACEHOLDERS = {
    "\\:": "\ue001",
    "\\#": "\ue002",
    "\\=": "\ue003",
    "\\{": "\ue004",
    "\\}": "\ue005",
    "\\~": "\ue006",
    "\\n": "\ue007",
}
_BACKSLASH = "\ue000"
_RESTORE = {
    _BACKSLASH: "\\",
    "\ue001": ":",
    "\ue002": "#",
    "\ue003": "=",
    "\ue004": "{",
    "\ue005": "}",
    "\ue006": "~",
    "\ue007": "\n",
}
_PRIVATE = re.compile("[\ue000-\ue007]")
WEIGHT = re.compile(r"^%([^%]*)%")
LOOKS_LIKE_HTML = re.compile(r"<[A-Za-z/!][^>]*>")
CONTEXTS = re.compile(r"^\$[a-z0-9]+\$$")
TRUE_WORDS = ("T", "TRUE")
FALSE_WORDS = ("F", "FALSE")
ORDERING_SELECT = {"ALL", "EXACT", "RANDOM", "REL", "CONTIGUOUS", "CONTIG"}
ORDERING_LAYOUT = {"HORIZONTAL", "HORI", "H", "VERTICAL", "VERT", "V"}
ORDERING_SHOW = {"SHOW", "TRUE", "YES", "HIDE", "FALSE", "NO"}
ORDERING_GRADING = set(kinds.ordering.ORDERING_FROM_MOODLE) | set(kinds.ordering.ORDERING_NEAREST) | {"ABS", "ABSOLUTE", "REL", "RELATIVE"}
# Moodle's patterns for the metadata in a question's comment lines; "\]" is a literal "]".
COMMENT_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
COMMENT_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])+)\]")

# Messages of this format (the shared ones are in ``common``).
DESCRIPTION = _(
    "it has no answer part in braces {…}, so it is a description (an introduction or an instruction), not a "
    "question; it is skipped. If it is meant as a question, add its answers in braces; write \\{ for a "
    "literal brace."
)
SEVERAL_RIGHT = _(
    "%(count)s answers are marked right with “=”, so it is imported as a multiple-response question: the "
    "learner must choose every right answer, each worth an equal share, and each wrong answer chosen takes "
    "away 1/%(wrong)s of the marks (“right minus wrong”). In the file any one right answer was enough."
)
SEVERAL_RIGHT_WEIGHTED = _(
    "%(count)s answers are marked right with “=” and others carry a positive weight (~%%…%%); a question "
    "here cannot hold both. Mark every right answer with “=”, or give every answer a weight."
)


# --------------------------------------------------------------------------------------------------
# Import.
# --------------------------------------------------------------------------------------------------


def questions_from_gift(text: str | bytes) -> ImportResult:
    """Read a GIFT file (text, or bytes in UTF-8). Errors and warnings are reported per question."""
    if isinstance(text, (bytes, bytearray)):
        if len(text) > c.MAX_FILE_BYTES:
            return _too_large(len(text))
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            return c.file_error_result(c.FILE_NOT_UTF8, code="not_utf8")
    elif len(text) > c.MAX_FILE_BYTES or len(text.encode("utf-8", "surrogatepass")) > c.MAX_FILE_BYTES:
        return _too_large(len(text.encode("utf-8", "surrogatepass")))
    text = _PRIVATE.sub("", text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        return c.file_error_result(c.FILE_EMPTY, code="empty")

    result = ImportResult()
    tags: list[str] = []
    index = 0
    for line, lines, comments in _blocks(text):
        if lines[0].lstrip().startswith("$CATEGORY:"):
            tags = category_tags(lines[0].lstrip()[len("$CATEGORY:") :])
            lines, line = lines[1:], line + 1
            if not "".join(lines).strip():
                continue
        index += 1
        external_id, own_tags = _comment_metadata(comments)
        question_tags = tags + [tag for tag in own_tags if tag not in tags]
        question = _read_block(result, "\n".join(lines).strip(), index, line, question_tags)
        if question is not None and external_id:
            question["id"] = external_id
        if question is not None:
            result.questions.append(question)
    if not result.questions and not result.errors:
        result.errors.append(c.file_issue(c.FILE_NO_QUESTIONS, code="no_questions"))
    return result


def _too_large(size: int) -> ImportResult:
    return c.file_error_result(c.FILE_TOO_LARGE, code="too_large", size=c._size(size), limit=c._size(c.MAX_FILE_BYTES))


def _blocks(text: str):
    """(first line number, lines, comment lines) of each run of non-blank lines; the comment lines (``//``)
    are apart, a run of comments alone is no block."""
    block: list[str] = []
    comments: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            if block:
                yield start, block, comments
            block, comments = [], []
            continue
        if stripped.startswith("//"):
            comments.append(stripped)
            continue
        if not block:
            start = number
        block.append(line)
    if block:
        yield start, block, comments


def _comment_metadata(comments: list[str]) -> tuple[str, list[str]]:
    """(id, tags) of a question's comment lines, as Moodle reads ``// [id:…] [tag:…]``."""
    text = "\n".join(comments)
    found = COMMENT_ID.search(text)
    external_id = " ".join(found.group(1).replace("\\]", "]").split()) if found else ""
    tags = []
    for raw in COMMENT_TAG.findall(text):
        tag = " ".join(raw.replace("\\]", "]").split())
        if tag and tag not in tags:
            tags.append(tag)
    return external_id, tags


def category_tags(path: str) -> list[str]:
    """The tag of a category path: its last part after the context ($course$ …) and "top"."""
    parts = [part.replace("\0", "/").strip() for part in path.strip().replace("//", "\0").split("/")]
    parts = [part for part in parts if part]
    if parts and CONTEXTS.match(parts[0]):
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return [" ".join(parts[-1].split())] if parts else []


def _pre(text: str) -> str:
    text = text.replace("\\\\", _BACKSLASH)
    for escape, placeholder in _PLACEHOLDERS.items():
        text = text.replace(escape, placeholder)
    return text


def _post(text: str) -> str:
    for placeholder, character in _RESTORE.items():
        text = text.replace(placeholder, character)
    return text


def _split_format(text: str, default: str) -> tuple[str, str]:
    text = text.strip()
    if text.startswith("["):
        end = text.find("]")
        if end > 0 and text[1:end].strip().lower() in FORMATS:
            return text[1:end].strip().lower(), text[end + 1 :]
    return default, text


def _is_html(fmt: str, text: str) -> bool:
    return fmt == "html" or (fmt == "moodle" and bool(LOOKS_LIKE_HTML.search(text)))


def _as_html(raw: str, default: str, report: QuestionReport | None = None) -> str:
    """A prompt or general feedback as sanitised HTML: HTML kept as far as the bank allows, Markdown
    rendered, other text escaped into paragraphs. Images are removed (a warning when ``report`` is given)."""
    fmt, body = _split_format(raw, default)
    body = _post(body).strip()
    if fmt == "markdown":
        return markup.markdown_to_html(body)
    if not _is_html(fmt, body):
        return c.editor_html(c.text_to_html(body))
    images = markup.image_count(body)
    if images and report is not None:
        report.warn(c.IMAGES_DROPPED, code="images", count=images)
    return markup.sanitized_html(body)


def _as_plain(raw: str, default: str) -> str:
    fmt, body = _split_format(raw, default)
    body = _post(body).strip()
    if fmt == "markdown":
        return c.html_to_text(markup.markdown_to_html(body))
    return c.html_to_text(body) if _is_html(fmt, body) else " ".join(body.split())


def _raw_plain(raw: str) -> str:
    """Short answers and matching choices: no format, as Moodle reads them."""
    return " ".join(_post(raw).split())


def _provisional_name(text: str) -> str:
    head = text.split("{", 1)[0]
    fmt, body = _split_format(head, "moodle")
    body = _post(body)
    return c.shorten(c.html_to_text(body) if _is_html(fmt, body) else body, 80)


def _read_block(result: ImportResult, block: str, index: int, line: int, tags: list[str]) -> dict | None:
    text = _pre(block)
    report = QuestionReport(result, index=index, line=line)
    title = None
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            report.name = _provisional_name(text[2:])
            report.error(c.GIFT_TITLE_UNCLOSED, code="gift_title_unclosed")
            return None
        title = " ".join(_post(text[2:end]).split())
        text = text[end + 2 :].strip()
    report.name = title or _provisional_name(text)

    opening, closing = text.find("{"), text.find("}")
    if opening < 0 and closing < 0:
        report.warn(DESCRIPTION, code="description_skipped")
        return None
    if closing >= 0 and (opening < 0 or closing < opening):
        report.error(c.GIFT_STRAY_CLOSE, code="gift_stray_close")
        return None
    if closing < 0:
        report.error(c.GIFT_UNTERMINATED, code="gift_unterminated")
        return None
    rest = text[closing + 1 :]
    if "{" in rest:
        report.error(c.GIFT_SEVERAL_PARTS, code="gift_several_parts")
        return None
    if "}" in rest:
        report.error(c.GIFT_STRAY_CLOSE, code="gift_stray_close")
        return None
    # A missing-word question: the stem shows a blank where the answer part stood.
    stem = text[:opening] + BLANK + rest if rest.strip() else text[:opening]

    fmt, _body = _split_format(text[:opening], "moodle")
    prompt = _as_html(stem, "moodle", report)
    name = c.clean_name(report, title) if title else ""
    name = name or c.name_from_prompt(prompt)
    report.name = name
    if not c.html_to_text(prompt):
        report.error(c.EMPTY_PROMPT, code="empty_prompt")

    answer = text[opening + 1 : closing].strip()
    feedback = ""
    separator = answer.rfind("####")
    if separator >= 0:
        feedback = _as_html(answer[separator + 4 :], fmt, report)
        answer = answer[:separator].strip()

    if answer == "":
        kind, data = "rubric", kinds.rubric.overall_rubric(report, Decimal(1))
    elif answer.startswith("#"):
        kind = "numerical"
        data = kinds.numerical.read_gift(
            report, answer[1:], weight=_weight, plain=lambda raw: _as_plain(raw, fmt), post=lambda raw: _post(raw).strip()
        )
    elif answer.startswith(">"):
        kind, data = "ordering", _read_ordering(report, answer[1:], fmt)
    elif "~" in answer:
        data = _read_choice(report, answer, fmt)
        kind = "multiple" if data and isinstance(data.get("correct"), list) else "single"
    elif "=" in answer and "->" in answer:
        kind, data = "matching", _read_matching(report, answer, fmt)
    elif answer.split("#", 1)[0].strip().upper() in TRUE_WORDS + FALSE_WORDS:
        kind, data = "truefalse", _read_truefalse(report, answer, fmt)
    else:
        kind, data = "short", _read_short(report, answer)
    if report.failed or data is None or not dispatch.data_valid(report, kind, data):
        return None
    return {
        "kind": kind,
        "name": name,
        "prompt": prompt,
        "points": Decimal(1),
        "feedback": feedback,
        "data": data,
        "tags": list(tags),
    }


def _answer_parts(answer: str, marker: str) -> list[str]:
    parts = answer.split(marker)
    if parts and not parts[0].strip():
        parts = parts[1:]
    return [part.strip() for part in parts]


def _weight(report: QuestionReport, part: str, default: float) -> tuple[float | None, str]:
    """(grade in percent, rest) of an answer that may start with %weight%."""
    match = WEIGHT.match(part)
    if not match:
        return default, part
    raw = match.group(1).strip()
    try:
        return float(raw), part[match.end() :]
    except ValueError:
        report.error(
            c.INVALID_GRADE,
            code="invalid_grade",
            answer=c.shorten(_post(part[match.end() :].split("#", 1)[0]), c.SHOWN_TEXT_CHARS),
            grade=c.shorten(_post(raw), 20),
        )
        return None, part


def _read_choice(report: QuestionReport, answer: str, fmt: str) -> dict | None:
    parts = _answer_parts(answer.replace("=", "~="), "~")
    right = sum(1 for part in parts if part.startswith("="))
    single = right == 1
    entries = []
    marked = []  # per entry: marked right with "="
    for number, part in enumerate(parts, start=1):
        if part.startswith("="):
            grade, part = 100.0, part[1:]
        else:
            grade, part = _weight(report, part, 0.0)
            if grade is None:
                continue
        text_raw, _hash, feedback_raw = part.partition("#")
        text = _as_plain(text_raw, fmt)
        if not text:
            report.error(c.EMPTY_ANSWER, code="empty_answer", number=number)
            continue
        entries.append((text, grade, _as_plain(feedback_raw, fmt)))
        marked.append(parts[number - 1].startswith("="))
    if report.failed:
        return None
    if right > 1:
        return _several_right(report, entries, marked)
    return kinds.single.choice_data(report, entries, single=single, shuffle=True)


def _several_right(report: QuestionReport, entries: list[tuple[str, float, str]], marked: list[bool]) -> dict | None:
    """Several ``=`` answers: a multiple-response question, every ``=`` answer correct with an equal share;
    refused when other answers carry a positive weight too (or there is no wrong answer)."""
    right = sum(marked)
    wrong = len(entries) - right
    if wrong == 0 or any(grade > 0 and not mark for (_t, grade, _f), mark in zip(entries, marked, strict=True)):
        report.error(SEVERAL_RIGHT_WEIGHTED, code="several_right_weighted", count=right)
        return None
    keys = c.letter_keys(len(entries))
    report.warn(SEVERAL_RIGHT, code="several_right", count=right, wrong=wrong)
    return {
        "options": [
            {"key": key, "text": text, "feedback": feedback}
            for key, (text, _grade, feedback) in zip(keys, entries, strict=True)
        ],
        "correct": [key for key, mark in zip(keys, marked, strict=True) if mark],
        "scoring": "right_minus_wrong",
        "shuffle": True,
    }


def _read_truefalse(report: QuestionReport, answer: str, fmt: str) -> dict | None:
    bits = answer.split("#", 2)
    correct = bits[0].strip().upper() in TRUE_WORDS
    wrong = _as_plain(bits[1], fmt) if len(bits) > 1 else ""
    right = _as_plain(bits[2], fmt) if len(bits) > 2 else ""
    return {
        "correct": correct,
        "feedback_true": right if correct else wrong,
        "feedback_false": wrong if correct else right,
    }


def _read_short(report: QuestionReport, answer: str) -> dict | None:
    entries = []
    for part in _answer_parts(answer, "="):
        grade, part = _weight(report, part, 100.0)
        if grade is None:
            continue
        text_raw, _hash, feedback_raw = part.partition("#")
        fmt_ignored, text_raw = _split_format(text_raw, "moodle")
        entries.append((_raw_plain(text_raw), grade, _as_plain(feedback_raw, "moodle")))
    if report.failed:
        return None
    return kinds.short.short_data(report, entries)


def _read_matching(report: QuestionReport, answer: str, fmt: str) -> dict | None:
    pairs = []
    for part in _answer_parts(answer, "="):
        if "->" not in part:
            report.error(
                c.PAIR_WITHOUT_ARROW, code="pair_without_arrow", pair=c.shorten(_post(part), c.SHOWN_TEXT_CHARS)
            )
            continue
        item_raw, _arrow, choice_raw = part.partition("->")
        pairs.append((_as_plain(item_raw, fmt), _raw_plain(choice_raw)))
    if report.failed:
        return None
    return kinds.matching.matching_data(report, pairs, shuffle=True)


def _read_ordering(report: QuestionReport, answer: str, fmt: str) -> dict | None:
    header, _newline, body = answer.partition("\n")
    count = select = grading = None
    for token in header.split():
        upper = token.upper()
        if upper.isdigit() and count is None and select is None:
            count = upper
        elif upper in ORDERING_SELECT and select is None:
            select = upper
        elif upper in ORDERING_LAYOUT or upper in ("0", "1"):
            continue
        elif upper in ORDERING_GRADING and grading is None:
            grading = upper
        elif upper in ORDERING_SHOW:
            continue
        else:
            report.error(c.GIFT_ORDERING_SYNTAX, code="gift_ordering_syntax")
            return None
    texts = [" ".join(_post(line).split()) for line in body.split("\n")]
    texts = [text for text in texts if text]
    if len(texts) >= 2:
        scoring = kinds.ordering.ordering_scoring_from_moodle(report, grading)
        kinds.ordering.ordering_subset_warning(report, select, count, len(texts))
    else:
        scoring = "positions"
    return kinds.ordering.ordering_data(report, texts, scoring=scoring)
