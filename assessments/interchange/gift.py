"""GIFT question files (Moodle's plain-text format) ↔ our question dicts (see ``common``).

Read as Moodle reads it: questions are separated by blank lines; lines starting with ``//`` are comments;
``::title::`` names a question (without one the name is made from the question text); ``[html]``,
``[moodle]``, ``[plain]`` and ``[markdown]`` set the format of the text after them (answers and feedback
default to the format of the question text); ``\\~ \\= \\# \\{ \\} \\: \\\\`` are literal characters and ``\\n``
a line break; ``$CATEGORY: path`` sets the category of the questions after it.

Mapping (GIFT ↔ ours) and what is lost:

* ``$CATEGORY: $course$/top/m4-elements`` ↔ ``tags == ["m4-elements"]``: the last part of the path (after
  ``$course$``-style contexts and ``top``); a path without one means no tag. GIFT holds one category per
  question, so export writes the first tag only (warning).
* HTML text is kept as it is; plain, Moodle and Markdown text become escaped HTML paragraphs in the prompt
  and feedback, and stay plain text in options and items. Export writes ``[html]`` and escapes.
* ``{=right ~wrong}`` ↔ ``single``; per-answer feedback ``#…``; partial weights ``~%50%`` of a single-choice
  question are dropped (warning); two ``=`` answers are an error.
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
* Not supported, per-question error (the rest of the file still parses): missing-word
  questions (answers in the middle of the text), more than one answer part, an unclosed ``{``, a stray
  ``}``, text without an answer part (a Moodle "description"). ``case`` questions are refused by export.

``index`` in issues counts the questions of the file (category lines and comments not included); ``line``
is the line where the question starts.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

from assessments import kinds
from assessments.interchange import common as c
from assessments.interchange import dispatch
from assessments.interchange.common import ImportResult, QuestionReport

FORMAT_NAME = "GIFT"
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
    for line, lines in _blocks(text):
        if lines[0].lstrip().startswith("$CATEGORY:"):
            tags = _category_tags(lines[0].lstrip()[len("$CATEGORY:") :])
            lines, line = lines[1:], line + 1
            if not "".join(lines).strip():
                continue
        index += 1
        question = _read_block(result, "\n".join(lines).strip(), index, line, tags)
        if question is not None:
            result.questions.append(question)
    if not result.questions and not result.errors:
        result.errors.append(c.file_issue(c.FILE_NO_QUESTIONS, code="no_questions"))
    return result


def _too_large(size: int) -> ImportResult:
    return c.file_error_result(c.FILE_TOO_LARGE, code="too_large", size=c._size(size), limit=c._size(c.MAX_FILE_BYTES))


def _blocks(text: str):
    """(first line number, lines) of each run of non-blank lines, comment lines left out."""
    block: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            if block:
                yield start, block
                block = []
            continue
        if stripped.startswith("//"):
            continue
        if not block:
            start = number
        block.append(line)
    if block:
        yield start, block


def _category_tags(path: str) -> list[str]:
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


def _as_html(raw: str, default: str) -> str:
    fmt, body = _split_format(raw, default)
    body = _post(body).strip()
    return c.editor_html(body if _is_html(fmt, body) else c.text_to_html(body))


def _as_plain(raw: str, default: str) -> str:
    fmt, body = _split_format(raw, default)
    body = _post(body).strip()
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
        report.error(c.GIFT_NO_ANSWER_PART, code="gift_no_answer_part")
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
    if rest.strip():
        report.error(c.GIFT_MISSING_WORD, code="gift_missing_word")
        return None

    fmt, _body = _split_format(text[:opening], "moodle")
    prompt = _as_html(text[:opening], "moodle")
    name = c.clean_name(report, title) if title else ""
    name = name or c.name_from_prompt(prompt)
    report.name = name
    if not c.html_to_text(prompt) and "<img" not in prompt.lower():
        report.error(c.EMPTY_PROMPT, code="empty_prompt")

    answer = text[opening + 1 : closing].strip()
    feedback = ""
    separator = answer.rfind("####")
    if separator >= 0:
        feedback = _as_html(answer[separator + 4 :], fmt)
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
    single = any(part.startswith("=") for part in _answer_parts(answer.replace("=", "~="), "~"))
    entries = []
    for number, part in enumerate(_answer_parts(answer.replace("=", "~="), "~"), start=1):
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
    if report.failed:
        return None
    return kinds.single.choice_data(report, entries, single=single, shuffle=True)


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


# --------------------------------------------------------------------------------------------------
# Export.
# --------------------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    """GIFT escapes: backslash first, then the special characters; line breaks as \\n."""
    text = (text or "").replace("\\", "\\\\")
    for character in "~=#{}:":
        text = text.replace(character, "\\" + character)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _html_field(text: str) -> str:
    """A plain-text field written under [html]: HTML-escaped, then GIFT-escaped."""
    return _escape(html.escape(text or "", quote=False))


def questions_to_gift(
    questions: list[dict], *, warnings: list | None = None, skip_unsupported: bool = False, notice: bool = True
) -> str:
    """Write the questions as a GIFT file.

    Raises ``ExportError`` naming every question that cannot be written (``case``, invalid data), unless
    ``skip_unsupported`` is set: then they are left out and reported in ``warnings``. Losses (points, extra
    tags, rubric details, fixed order, scoring) are appended to ``warnings`` when a list is given and, with
    ``notice``, listed in ``//`` comment lines at the top of the file (an import skips them).
    """
    report = c.ExportReport(warnings)
    blocks: list[str] = []
    current_tag = ""
    for index, question in dispatch.exportable(
        report, questions, format_name=FORMAT_NAME, writers=WRITERS, skip_unsupported=skip_unsupported
    ):
        name = question.get("name") or ""
        tags = [str(tag).strip() for tag in question.get("tags") or [] if str(tag).strip()]
        tag = tags[0] if tags else ""
        if len(tags) > 1:
            report.warn(index, name, c.EXPORT_TAGS, code="export_tags", tag=tag)
        if tag != current_tag:
            blocks.append("$CATEGORY: $course$/top" + ("/" + tag.replace("/", "//") if tag else ""))
            current_tag = tag
        points = Decimal(str(question.get("points", 1)))
        if points != 1:
            report.warn(index, name, c.EXPORT_POINTS, code="export_points", points=c.points_value(points))
        blocks.append(_write_question(report, index, question))
    if report.errors:
        raise c.ExportError(report.errors)
    lines = c.loss_notice(report.warnings, format_name=FORMAT_NAME) if notice else []
    header = "".join(f"// {line}\n" for line in lines)
    if not blocks:
        return header
    return (header + "\n" if header else "") + "\n\n".join(blocks) + "\n"


def _write_question(report: c.ExportReport, index: int, question: dict) -> str:
    head = ""
    if question.get("name"):
        head += "::" + _escape(" ".join(question["name"].split())) + "::"
    head += "[html]" + _escape((question.get("prompt") or "").strip())
    body = WRITERS[question["kind"]](report, index, question)
    feedback = (question.get("feedback") or "").strip()
    if feedback and question["kind"] != "ordering":
        body.append("####" + _escape(feedback))
    elif feedback:
        report.warn(index, question.get("name", ""), c.EXPORT_ORDERING_FEEDBACK, code="export_ordering_feedback")
    if question["kind"] == "ordering":
        return head + "{" + "\n".join(body) + "\n}"
    if not body:
        return head + "{}"
    if len(body) == 1 and question["kind"] in ("truefalse", "rubric"):
        return head + "{" + body[0] + "}"
    return head + "{\n" + "\n".join("\t" + line for line in body) + "\n}"


def _warn_shuffle(report: c.ExportReport, index: int, question: dict) -> None:
    if not question["data"].get("shuffle", True):
        report.warn(index, question.get("name", ""), c.EXPORT_SHUFFLE, code="export_shuffle")


def _option_line(marker: str, text: str, feedback: str) -> str:
    line = marker + _html_field(text)
    if feedback:
        line += "#" + _html_field(feedback)
    return line


def _write_choice(report: c.ExportReport, index: int, question: dict) -> list[str]:
    data = question["data"]
    _warn_shuffle(report, index, question)
    lines = []
    if question["kind"] == "single":
        for option in data["options"]:
            text = option.get("text", "")
            if option["key"] == data["correct"]:
                marker = "="
            else:
                marker = "~%0%" if text.lstrip().startswith("%") else "~"
            lines.append(_option_line(marker, text, option.get("feedback", "")))
        return lines
    scoring = data.get("scoring", "right_minus_wrong")
    if scoring != "right_minus_wrong":
        report.warn(
            index,
            question.get("name", ""),
            c.EXPORT_SCORING,
            code="export_scoring",
            format=FORMAT_NAME,
            scoring=c.SCORING_LABELS.get(scoring, scoring),
        )
    for option, grade in zip(data["options"], kinds.single.grades_for_multiple(data["options"], data["correct"]), strict=True):
        lines.append(
            _option_line(f"~%{c.format_number(grade, 5)}%", option.get("text", ""), option.get("feedback", ""))
        )
    return lines


def _write_truefalse(report: c.ExportReport, index: int, question: dict) -> list[str]:
    data = question["data"]
    correct = data["correct"]
    right = data.get("feedback_true", "") if correct else data.get("feedback_false", "")
    wrong = data.get("feedback_false", "") if correct else data.get("feedback_true", "")
    line = "TRUE" if correct else "FALSE"
    if wrong:
        line += "#" + _html_field(wrong)
    elif right:
        line += "#"
    if right:
        line += "#" + _html_field(right)
    return [line]


def _write_short(report: c.ExportReport, index: int, question: dict) -> list[str]:
    lines = []
    for text in question["data"]["accepted"]:
        text = kinds.short.short_answer_for_moodle(" ".join(str(text).split()))
        if text:
            lines.append(("=%100%" if text.startswith("%") else "=") + _escape(text))
    return lines


def _write_matching(report: c.ExportReport, index: int, question: dict) -> list[str]:
    _warn_shuffle(report, index, question)
    return [
        "=" + (_html_field(item) + " " if item else " ") + "-> " + _escape(choice)
        for item, choice in kinds.matching.matching_pairs_for_export(question["data"])
    ]


def _write_ordering(report: c.ExportReport, index: int, question: dict) -> list[str]:
    data = question["data"]
    texts = kinds.ordering.ordering_texts_for_export(data)
    grading = kinds.ordering.ORDERING_TO_MOODLE.get(data.get("scoring", "positions"), "ABSOLUTE_POSITION")
    return [f">{len(texts)} ALL VERTICAL {grading} SHOW"] + [_escape(" ".join(text.split())) for text in texts]


def _write_rubric(report: c.ExportReport, index: int, question: dict) -> list[str]:
    report.warn(index, question.get("name", ""), c.EXPORT_RUBRIC, code="export_rubric")
    return []


def _write_numerical(report: c.ExportReport, index: int, question: dict) -> list[str]:
    return kinds.numerical.write_gift(question["data"], escape=_html_field)


WRITERS = {
    "numerical": _write_numerical,
    "single": _write_choice,
    "multiple": _write_choice,
    "truefalse": _write_truefalse,
    "matching": _write_matching,
    "short": _write_short,
    "ordering": _write_ordering,
    "rubric": _write_rubric,
}
