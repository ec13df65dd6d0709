"""Moodle XML question files ↔ our question dicts (see ``common`` for the dict and the keys).

Mapping (Moodle ↔ ours) and what is lost:

* ``multichoice`` with ``<single>true`` ↔ ``single``. The answer graded 100 % is ``correct``; partial and
  negative grades of the other answers are dropped (warning); two 100 % answers are an error.
* ``multichoice`` with ``<single>false`` ↔ ``multiple``, always ``right_minus_wrong``: answers with a positive
  grade are ``correct``. Exact when the correct answers share 100 % equally and the wrong ones −100 %
  equally (or there are none); unequal shares, wrong answers without penalty and other penalties are
  warnings. On export ``right_minus_wrong`` is written exactly (+100/C, −100/W); ``all_or_nothing`` and
  ``per_option`` have no Moodle equivalent and are written the same way (export warning), so they come back
  as ``right_minus_wrong``.
* ``truefalse`` ↔ ``truefalse``; the feedback of the "true" and "false" answers ↔ ``feedback_true`` and
  ``feedback_false``.
* ``matching`` ↔ ``matching``; a sub-question with empty text is a distractor choice; equal answer texts
  are one choice.
* ``shortanswer`` ↔ ``short``: answers graded 100 % are ``accepted``; other answers (warning), answer
  feedback (warning) and case sensitivity (warning) are not held. Moodle's ``*`` wildcard is kept as a
  literal star (warning); a literal star is written ``\\*``.
* ``ordering`` (the qtype_ordering plugin) ↔ ``ordering``; the answers are in the right order. Grading
  ALL_OR_NOTHING ↔ all_or_nothing, ABSOLUTE_POSITION ↔ positions, RELATIVE_NEXT_EXCLUDE_LAST ↔
  adjacent_pairs; other gradings map to the nearest (warning); a random or contiguous subset of the items
  becomes all items (warning).
* ``essay`` ↔ ``rubric``. Moodle has no criteria. Export writes guidance, the criteria (as a list with their
  points) and the model answer into ``graderinfo`` for Moodle's graders, plus an HTML comment holding them
  exactly, with a digest of the visible part: importing our own export restores the rubric; if the visible
  part was edited since, or the essay comes from elsewhere, it is imported with one criterion "Overall"
  worth the default grade (rounded up to a whole number), the grader information as guidance, and a
  warning. ``maxwordlimit`` ↔ ``max_words``. Attachments and the response template are dropped (warning).
* ``numerical`` ↔ ``numerical``: answers with ``<tolerance>`` and weights (``assessments.kinds.numerical``).
* ``cloze`` (``multianswer``) ↔ ``cloze``: the gaps of the question text in Moodle's syntax become the data
  and ``{#N}`` markers of the prompt (``assessments.kinds.cloze``); SHORTANSWER, MULTICHOICE, MULTIRESPONSE
  and NUMERICAL gaps (and their variants) are read, other gap types (REGEXP, …) refuse the question with a
  message. The points are the sum of the gaps' marks (Moodle has no other grade for it); export writes the
  gaps back into the text (a warning when the points differ from that sum).
* ``case`` has no Moodle equivalent: export refuses it, naming the question (or skips it with a warning
  when ``skip_unsupported`` is set). Other Moodle types (calculated, drag and drop, …) are per-question
  errors; ``description`` is skipped with a warning.
* ``<question type="category">`` ↔ the first tag of the questions after it (the last part of its path, as
  GIFT's ``$CATEGORY``), before their own ``<tags>``; export writes a category entry whenever the first tag
  changes. ``idnumber`` ↔ ``id``.
* Embedded files (``<file name=… path=… encoding="base64">``) that the question text or general feedback
  link with ``@@PLUGINFILE@@/…`` ↔ ``files`` (see ``files``: checked like uploads, images and documents);
  files in answers or their feedback, missing, unreadable or refused files are warnings. A Moodle 1.9
  ``<image_base64>`` is added to the end of the prompt as such a file; an ``<image>`` without its data is a
  warning. Export writes the files of a question back after its text.
* Always: ``name`` ↔ name (at most 200 characters, else shortened with a warning; an empty name is made
  from the question text), ``questiontext`` ↔ prompt (HTML kept; Markdown rendered and sanitised; other
  formats escaped into <p>), ``generalfeedback`` ↔ feedback, ``defaultgrade`` ↔ points, ``shuffleanswers``
  ↔ shuffle, ``<tags>`` ↔ tags. Not held: penalty, hints (warning), combined feedback (warning unless
  Moodle's default texts), hidden, answer numbering.

``index`` in issues counts the questions of the file, category entries not included. Parsing uses
defusedxml and refuses any document type declaration (so entity bombs and external entities are refused
before anything is expanded) and files over 5 MB.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # ParseError only; parsing goes through defusedxml
from decimal import Decimal

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from django.utils.translation import gettext_lazy as _

from assessments import kinds
from assessments.interchange import common as c
from assessments.interchange import dispatch, markup
from assessments.interchange import files as f
from assessments.interchange.common import ImportResult, QuestionReport
from assessments.interchange.gift import category_tags
from assessments.interchange.moodle_xml_export import (  # noqa: F401 (questions_to_moodle_xml and WRITERS stay importable from here)
    COMBINED_FEEDBACK,
    FORMAT_NAME,
    WRITERS,
    questions_to_moodle_xml,
)

DEFAULT_COMBINED_TEXTS = {
    "",
    "Your answer is correct.",
    "Your answer is partially correct.",
    "Your answer is incorrect.",
}
LOOKS_LIKE_HTML = re.compile(r"<[A-Za-z/!][^>]*>")
XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
RICH_PARTS = ("questiontext", "generalfeedback")  # the texts kept as HTML, where embedded files can be linked


# --------------------------------------------------------------------------------------------------
# Import.
# --------------------------------------------------------------------------------------------------


def questions_from_moodle_xml(data: bytes) -> ImportResult:
    """Read a Moodle XML question file. Errors and warnings are reported per question; see the module doc."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > c.MAX_FILE_BYTES:
        return c.file_error_result(
            c.FILE_TOO_LARGE, code="too_large", size=c._size(len(data)), limit=c._size(c.MAX_FILE_BYTES)
        )
    if not data.strip():
        return c.file_error_result(c.FILE_EMPTY, code="empty")
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        return c.file_error_result(c.FILE_UNSAFE_XML, code="unsafe_xml")
    except ET.ParseError as exc:
        if not _utf8_or_declared(data):
            return c.file_error_result(c.FILE_NOT_UTF8, code="not_utf8")
        line, column = getattr(exc, "position", (0, 0))
        return c.file_error_result(c.FILE_NOT_XML, code="not_xml", line=line, column=column + 1)
    if root.tag != "quiz":
        return c.file_error_result(c.FILE_NOT_MOODLE, code="not_moodle", tag=c.shorten(str(root.tag), 40))

    result = ImportResult()
    index = 0
    category: list[str] = []
    for element in root.findall("question"):
        qtype = (element.get("type") or "").strip()
        if qtype == "category":
            category = category_tags(element.findtext("category/text") or "")
            continue
        index += 1
        question = _read_question(result, element, index, qtype, category)
        if question is not None:
            result.questions.append(question)
    if not result.questions and not result.errors:
        result.errors.append(c.file_issue(c.FILE_NO_QUESTIONS, code="no_questions"))
    return result


def _utf8_or_declared(data: bytes) -> bool:
    """False when the bytes are not UTF-8 and the XML declaration names no other encoding."""
    declared = XML_ENCODING.match(data)
    if declared and declared.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        return True
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _read_question(result: ImportResult, element, index: int, qtype: str, category: list[str]) -> dict | None:
    raw_name = _text(element.find("name"))
    prompt = c.editor_html(_html(element.find("questiontext")))
    report = QuestionReport(result, index=index, name=" ".join(raw_name.split()) or c.name_from_prompt(prompt))
    if qtype == "description":
        report.warn(c.DESCRIPTION_SKIPPED, code="description_skipped")
        return None
    if qtype in ("cloze", "multianswer"):
        qtype = "cloze"
    reader = READERS.get(qtype)
    if reader is None and qtype not in READERS:
        report.error(c.UNSUPPORTED_TYPE, code="unsupported_type", type=c.shorten(qtype, 40) or "?")
        return None
    name = c.clean_name(report, raw_name) or c.name_from_prompt(prompt)
    report.name = name
    _warn_losses(report, element, qtype)
    feedback = c.editor_html(_html(element.find("generalfeedback")))
    prompt, files = _embedded_files(report, element, prompt, feedback)
    if not c.html_to_text(prompt) and "<img" not in prompt.lower():
        report.error(c.EMPTY_PROMPT, code="empty_prompt")
    points = c.parse_points(report, element.findtext("defaultgrade"))
    if qtype == "cloze":
        # the gaps are in the text; Moodle gives the question the sum of their marks
        read = kinds.cloze.read_moodle(report, prompt)
        prompt, data = read if read is not None else (prompt, None)
        points = Decimal(kinds.cloze.total_weight(data)) if data is not None else points
    else:
        data = reader(report, element, points)
    if report.failed or data is None or not dispatch.data_valid(report, _kind_of(qtype, data), data):
        return None
    question = {
        "kind": _kind_of(qtype, data),
        "name": name,
        "prompt": prompt,
        "points": points,
        "feedback": feedback,
        "data": data,
        "tags": category + [tag for tag in _tags(element) if tag not in category],
    }
    external_id = " ".join((element.findtext("idnumber") or "").split())
    if external_id:
        question["id"] = external_id
    if files:
        question["files"] = files
    return question


def _embedded_files(report: QuestionReport, element, prompt: str, feedback: str) -> tuple[str, list[dict]]:
    """(prompt, files): the files the prompt and general feedback refer to, checked (``files``); a Moodle
    1.9 ``<image_base64>`` is added to the end of the prompt. Files elsewhere, and missing ones, are warnings."""
    available: dict[str, str] = {}
    for part in element:
        for node in part.iter("file"):
            name = ((node.get("path") or "/").strip("/") + "/" + (node.get("name") or "")).strip("/")
            if part.tag in RICH_PARTS:
                available.setdefault(name, node.text or "")
            elif name:
                report.warn(f.FILE_UNUSED, code="file_unused", file=c.shorten(name, 60))
    old_path = (element.findtext("image") or "").strip()
    old_data = (element.findtext("image_base64") or "").strip()
    if old_path or old_data:
        old_name = old_path.replace("\\", "/").rsplit("/", 1)[-1] or "image.png"
        if old_data:
            available.setdefault(old_name, old_data)
            prompt += f'<p><img src="{f.PLUGINFILE}{html_attribute(old_name)}" alt=""/></p>'
        else:
            report.warn(f.OLD_IMAGE_MISSING, code="old_image_missing", file=c.shorten(old_name, 60))
    files = []
    for name in f.referenced_names(prompt) + [n for n in f.referenced_names(feedback) if n not in f.referenced_names(prompt)]:
        if name not in available:
            report.warn(f.FILE_MISSING, code="file_missing", file=c.shorten(name, 60))
            continue
        content = f.decode(report, name, available[name])
        kept = f.embedded_file(report, name, content) if content is not None else None
        if kept:
            files.append(kept)
    return prompt, files


def html_attribute(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


def _warn_losses(report: QuestionReport, element, qtype: str) -> None:
    if any(_text(hint) for hint in element.findall("hint")):
        report.warn(c.HINTS_DROPPED, code="hints")
    if qtype in ("multichoice", "matching", "ordering"):
        texts = {c.html_to_text(_text(element.find(tag))) for tag in COMBINED_FEEDBACK}
        if not texts <= DEFAULT_COMBINED_TEXTS:
            report.warn(c.COMBINED_FEEDBACK_DROPPED, code="combined_feedback")


def _text(node) -> str:
    """The <text> of a Moodle text element, stripped ("" when absent)."""
    if node is None:
        return ""
    return (node.findtext("text") or "").strip()


def _html(node) -> str:
    """A Moodle text element as HTML: HTML kept as it is, plain text and Markdown escaped into paragraphs."""
    if node is None:
        return ""
    text = _text(node)
    kind = (node.get("format") or "html").strip().lower()
    if kind == "html" or (kind == "moodle_auto_format" and LOOKS_LIKE_HTML.search(text)):
        return text
    if kind == "markdown":
        return markup.markdown_to_html(text)
    return c.text_to_html(text)


def _plain(node, default: str = "html") -> str:
    """A Moodle text element as plain text (for options, items and their feedback)."""
    if node is None:
        return ""
    text = _text(node)
    kind = (node.get("format") or default).strip().lower()
    if kind == "html" or (kind == "moodle_auto_format" and LOOKS_LIKE_HTML.search(text)):
        return c.html_to_text(text)
    if kind == "markdown":
        return c.html_to_text(markup.markdown_to_html(text))
    return " ".join(text.split())


def _flag(value: str | None, default: bool) -> bool:
    value = (value or "").strip().lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    return default


def _tags(element) -> list[str]:
    tags: list[str] = []
    for tag in element.findall("tags/tag"):
        text = " ".join(_text(tag).split())
        if text and text not in tags:
            tags.append(text)
    return tags


def _grade(report: QuestionReport, answer, shown: str) -> float | None:
    raw = (answer.get("fraction") or "0").strip()
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        report.error(
            c.INVALID_GRADE, code="invalid_grade", answer=c.shorten(shown, c.SHOWN_TEXT_CHARS), grade=c.shorten(raw, 20)
        )
        return None
    return value


def _read_multichoice(report: QuestionReport, element, points: Decimal) -> dict | None:
    entries: list[tuple[str, float, str]] = []
    for number, answer in enumerate(element.findall("answer"), start=1):
        raw = _text(answer)
        text = _plain(answer)
        grade = _grade(report, answer, text or raw)
        if grade is None:
            continue
        if not raw and grade <= 0:
            continue  # an unused answer slot
        if not text:
            report.error(c.EMPTY_ANSWER, code="empty_answer", number=number)
            continue
        entries.append((text, grade, _plain(answer.find("feedback"))))
    if report.failed:
        return None
    return kinds.single.choice_data(
        report,
        entries,
        single=_flag(element.findtext("single"), True),
        shuffle=_flag(element.findtext("shuffleanswers"), True),
    )


def _read_truefalse(report: QuestionReport, element, points: Decimal) -> dict | None:
    answers = element.findall("answer")
    if not answers:
        report.error(c.NO_ANSWERS, code="no_answers")
        return None
    by_text = {_text(answer).lower(): answer for answer in answers}
    true_answer = by_text.get("true", answers[0])
    false_answer = by_text.get("false", answers[1] if len(answers) > 1 else None)
    true_grade = _grade(report, true_answer, "true")
    false_grade = _grade(report, false_answer, "false") if false_answer is not None else 0.0
    if true_grade is None or false_grade is None:
        return None
    if true_grade > 0 and true_grade >= false_grade:
        correct = True
    elif false_grade > 0:
        correct = False
    else:
        report.error(c.MISSING_CORRECT, code="missing_correct")
        return None
    return {
        "correct": correct,
        "feedback_true": _plain(true_answer.find("feedback")),
        "feedback_false": _plain(false_answer.find("feedback")) if false_answer is not None else "",
    }


def _read_matching(report: QuestionReport, element, points: Decimal) -> dict | None:
    pairs = []
    for sub in element.findall("subquestion"):
        item = _plain(sub)
        choice = " ".join((sub.findtext("answer/text") or "").split())
        if item or choice:
            pairs.append((item, choice))
    return kinds.matching.matching_data(report, pairs, shuffle=_flag(element.findtext("shuffleanswers"), True))


def _read_shortanswer(report: QuestionReport, element, points: Decimal) -> dict | None:
    entries = []
    for answer in element.findall("answer"):
        text = " ".join(_text(answer).split())
        grade = _grade(report, answer, text)
        if grade is None:
            continue
        entries.append((text, grade, _plain(answer.find("feedback"))))
    if report.failed:
        return None
    return kinds.short.short_data(report, entries, case_sensitive=_flag(element.findtext("usecase"), False))


def _read_ordering(report: QuestionReport, element, points: Decimal) -> dict | None:
    texts = [_plain(answer) for answer in element.findall("answer")]
    texts = [text for text in texts if text]
    if len(texts) >= 2:
        scoring = kinds.ordering.ordering_scoring_from_moodle(report, element.findtext("gradingtype"))
        select = (
            element.findtext("selecttype") if element.find("selecttype") is not None else element.findtext("logical")
        )
        count = (
            element.findtext("selectcount")
            if element.find("selectcount") is not None
            else element.findtext("studentsee")
        )
        kinds.ordering.ordering_subset_warning(report, select, count, len(texts))
    else:
        scoring = "positions"
    return kinds.ordering.ordering_data(report, texts, scoring=scoring)


def _read_essay(report: QuestionReport, element, points: Decimal) -> dict | None:
    if (element.findtext("attachments") or "0").strip() not in ("", "0"):
        report.warn(c.ESSAY_ATTACHMENTS, code="essay_attachments")
    if c.html_to_text(_text(element.find("responsetemplate"))):
        report.warn(c.RESPONSE_TEMPLATE_DROPPED, code="response_template")
    max_words = _positive_int(element.findtext("maxwordlimit"))
    graderinfo = _html(element.find("graderinfo"))
    restored, edited = kinds.rubric.rubric_from_graderinfo(graderinfo)
    if restored is not None:
        if max_words is not None:
            restored["max_words"] = max_words
        return restored
    visible = kinds.rubric.RUBRIC_COMMENT.sub("", graderinfo)
    data = kinds.rubric.overall_rubric(report, points, guidance=c.html_to_text(visible), edited=edited)
    data["max_words"] = max_words
    return data


def _positive_int(value: str | None) -> int | None:
    try:
        number = int((value or "").strip())
    except ValueError:
        return None
    return number if number > 0 else None


def _read_numerical(report: QuestionReport, element, points: Decimal) -> dict | None:
    return kinds.numerical.read_moodle(report, element, grade=_grade, text=_text, plain=_plain)


KINDS = {
    "cloze": "cloze",
    "numerical": "numerical",
    "multichoice": None,  # single or multiple, decided per question
    "truefalse": "truefalse",
    "matching": "matching",
    "shortanswer": "short",
    "ordering": "ordering",
    "essay": "rubric",
}
READERS = {
    "cloze": None,  # read from the question text (``kinds.cloze.read_moodle``)
    "numerical": _read_numerical,
    "multichoice": _read_multichoice,
    "truefalse": _read_truefalse,
    "matching": _read_matching,
    "shortanswer": _read_shortanswer,
    "ordering": _read_ordering,
    "essay": _read_essay,
}


def _kind_of(qtype: str, data: dict) -> str:
    if qtype == "multichoice":
        return "multiple" if isinstance(data.get("correct"), list) else "single"
    return KINDS[qtype]
