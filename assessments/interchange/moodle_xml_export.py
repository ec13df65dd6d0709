"""Writing Moodle XML files (``questions_to_moodle_xml``): our question dicts as Moodle's XML format.

The mapping and what each kind loses are described in ``moodle_xml`` (which reads the format and
re-exports ``questions_to_moodle_xml``); the format's name and the combined-feedback tags live here, the
lower of the two modules, so that ``moodle_xml`` imports them without a cycle.
"""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET  # building only; parsing goes through defusedxml (in moodle_xml)
from decimal import Decimal

from assessments import kinds
from assessments.interchange import common as c
from assessments.interchange import dispatch
from assessments.interchange import files as f

FORMAT_NAME = "Moodle XML"
COMBINED_FEEDBACK = ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")


def questions_to_moodle_xml(
    questions: list[dict], *, warnings: list | None = None, skip_unsupported: bool = False, notice: bool = True
) -> bytes:
    """Write the questions as a Moodle XML file (UTF-8).

    Raises ``ExportError`` naming every question that cannot be written (``case``, invalid data), unless
    ``skip_unsupported`` is set: then they are left out and reported in ``warnings``. Losses (scoring with
    no Moodle equivalent) are appended to ``warnings`` when a list is given and, with ``notice``, listed in
    an XML comment before ``<quiz>`` (Moodle and our import ignore it).
    """
    report = c.ExportReport(warnings)
    quiz = ET.Element("quiz")
    current = ""
    for index, question in dispatch.exportable(
        report, questions, format_name=FORMAT_NAME, writers=WRITERS, skip_unsupported=skip_unsupported
    ):
        tags = [" ".join(str(tag).split()) for tag in question.get("tags") or [] if str(tag).strip()]
        tag = tags[0] if tags else ""
        if tag != current:  # the first tag is the category, as in a Moodle export
            current = tag
            category = ET.SubElement(quiz, "question", {"type": "category"})
            _add_text(category, "category", "$course$/top" + ("/" + tag.replace("/", "//") if tag else ""), None)
        quiz.append(_write_question(report, index, question))
    if report.errors:
        raise c.ExportError(report.errors)
    ET.indent(quiz, space="  ")
    body = ET.tostring(quiz, encoding="unicode", short_empty_elements=False)
    lines = c.loss_notice(report.warnings, format_name=FORMAT_NAME) if notice else []
    header = "<!--\n" + "".join(f"  {_comment_safe(line)}\n" for line in lines) + "-->\n" if lines else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + header + body + "\n").encode("utf-8")


def _comment_safe(text: str) -> str:
    """Text that cannot end an XML comment early: "--" is not allowed inside one."""
    while "--" in text:
        text = text.replace("--", "- -")
    return text


def _add_text(parent, tag: str, text: str, fmt: str | None = "html"):
    node = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(node, "text").text = text or ""
    return node


def _add_files(text_node, files: dict, written: set) -> None:
    """The embedded files a text refers to, as Moodle writes them (base64, after the <text>)."""
    for name in f.referenced_names(text_node.findtext("text") or ""):
        if name in files and name not in written:
            folder, _slash, base = name.rpartition("/")
            node = ET.SubElement(
                text_node, "file", {"name": base, "path": "/" + (folder + "/" if folder else ""), "encoding": "base64"}
            )
            node.text = base64.b64encode(files[name]["content"]).decode("ascii")
            written.add(name)


def _add(parent, tag: str, text: str):
    node = ET.SubElement(parent, tag)
    node.text = text
    return node


def _answer(parent, fraction: str, text: str, feedback: str = "", fmt: str = "html"):
    node = ET.SubElement(parent, "answer", {"fraction": fraction, "format": fmt})
    ET.SubElement(node, "text").text = text
    _add_text(node, "feedback", c.plain_to_html_text(feedback))
    return node


def _combined_feedback(parent) -> None:
    for tag in COMBINED_FEEDBACK:
        _add_text(parent, tag, "")


def _write_question(report: c.ExportReport, index: int, question: dict):
    kind = question["kind"]
    qtype = {"single": "multichoice", "multiple": "multichoice", "short": "shortanswer", "rubric": "essay"}.get(
        kind, kind
    )
    node = ET.Element("question", {"type": qtype})
    _add_text(node, "name", question.get("name") or c.name_from_prompt(question.get("prompt", "")), None)
    files = {item["name"]: item for item in question.get("files") or []}
    _add_files(_add_text(node, "questiontext", (question.get("prompt") or "").strip()), files, set())
    written = set(f.referenced_names(question.get("prompt") or ""))
    _add_files(_add_text(node, "generalfeedback", (question.get("feedback") or "").strip()), files, written)
    _add(node, "defaultgrade", f"{Decimal(str(question.get('points', 1))):.7f}")
    _add(node, "penalty", {"truefalse": "1.0000000", "rubric": "0.0000000"}.get(kind, "0.3333333"))
    _add(node, "hidden", "0")
    _add(node, "idnumber", " ".join(str(question.get("id") or "").split()))
    WRITERS[kind](report, index, question, node)
    tags = [t for t in question.get("tags") or [] if str(t).strip()]
    if tags:
        tags_node = ET.SubElement(node, "tags")
        for tag in tags:
            _add_text(tags_node, "tag", str(tag), None)
    return node


def _write_choice(report: c.ExportReport, index: int, question: dict, node) -> None:
    data = question["data"]
    single = question["kind"] == "single"
    _add(node, "single", "true" if single else "false")
    _add(node, "shuffleanswers", "true" if data.get("shuffle", True) else "false")
    _add(node, "answernumbering", "abc")
    _add(node, "showstandardinstruction", "0")
    _combined_feedback(node)
    options = data["options"]
    if single:
        grades = [100.0 if option["key"] == data["correct"] else 0.0 for option in options]
    else:
        report.warn_scoring(index, question, format_name=FORMAT_NAME)
        grades = kinds.single.grades_for_multiple(options, data["correct"])
    for option, grade in zip(options, grades, strict=True):
        _answer(
            node, c.format_number(grade, 5), c.plain_to_html_text(option.get("text", "")), option.get("feedback", "")
        )


def _write_truefalse(report: c.ExportReport, index: int, question: dict, node) -> None:
    data = question["data"]
    _answer(node, "100" if data["correct"] else "0", "true", data.get("feedback_true", ""), "moodle_auto_format")
    _answer(node, "0" if data["correct"] else "100", "false", data.get("feedback_false", ""), "moodle_auto_format")


def _write_matching(report: c.ExportReport, index: int, question: dict, node) -> None:
    data = question["data"]
    _add(node, "shuffleanswers", "true" if data.get("shuffle", True) else "false")
    _combined_feedback(node)
    for item, choice in kinds.matching.matching_pairs_for_export(data):
        sub = _add_text(node, "subquestion", c.plain_to_html_text(item))
        answer = ET.SubElement(sub, "answer")
        ET.SubElement(answer, "text").text = choice


def _write_short(report: c.ExportReport, index: int, question: dict, node) -> None:
    _add(node, "usecase", "0")
    for text in question["data"]["accepted"]:
        text = str(text).strip()
        if text:
            _answer(node, "100", kinds.short.short_answer_for_moodle(text), "", "moodle_auto_format")


def _write_ordering(report: c.ExportReport, index: int, question: dict, node) -> None:
    data = question["data"]
    _add(node, "layouttype", "VERTICAL")
    _add(node, "selecttype", "ALL")
    _add(node, "selectcount", "0")
    _add(node, "gradingtype", kinds.ordering.ORDERING_TO_MOODLE.get(data.get("scoring", "positions"), "ABSOLUTE_POSITION"))
    _add(node, "showgrading", "SHOW")
    _add(node, "numberingstyle", "none")
    _combined_feedback(node)
    for position, text in enumerate(kinds.ordering.ordering_texts_for_export(data), start=1):
        node_answer = ET.SubElement(node, "answer", {"fraction": str(position), "format": "html"})
        ET.SubElement(node_answer, "text").text = c.plain_to_html_text(text)


def _write_rubric(report: c.ExportReport, index: int, question: dict, node) -> None:
    data = question["data"]
    max_words = data.get("max_words")
    _add(node, "responseformat", "editor")
    _add(node, "responserequired", "1")
    _add(node, "responsefieldlines", "15")
    _add(node, "minwordlimit", "")
    _add(node, "maxwordlimit", str(max_words) if max_words else "")
    _add(node, "attachments", "0")
    _add(node, "attachmentsrequired", "0")
    _add(node, "maxbytes", "0")
    _add(node, "filetypeslist", "")
    _add_text(node, "graderinfo", kinds.rubric.rubric_to_graderinfo(data))
    _add_text(node, "responsetemplate", "")


def _write_numerical(report: c.ExportReport, index: int, question: dict, node) -> None:
    kinds.numerical.write_moodle(question["data"], node, add=_add, answer_node=_answer)


def _write_cloze(report: c.ExportReport, index: int, question: dict, node) -> None:
    kinds.cloze.write_moodle(report, index, question, node)


WRITERS = {
    "cloze": _write_cloze,
    "numerical": _write_numerical,
    "single": _write_choice,
    "multiple": _write_choice,
    "truefalse": _write_truefalse,
    "matching": _write_matching,
    "short": _write_short,
    "ordering": _write_ordering,
    "rubric": _write_rubric,
}
