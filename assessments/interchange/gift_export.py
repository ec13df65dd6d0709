"""Writing GIFT files (``questions_to_gift``): our question dicts as Moodle's plain-text format.

The mapping and what each kind loses are described in ``gift`` (which reads GIFT and re-exports
``questions_to_gift``); the format's name and the missing-word blank live here, the lower of the two
modules, so that ``gift`` imports them without a cycle.
"""

from __future__ import annotations

import html
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from assessments import kinds
from assessments.interchange import common as c
from assessments.interchange import dispatch, files

FORMAT_NAME = "GIFT"
BLANK = "_____"  # where the answer part of a missing-word question stood, as Moodle shows it

EXPORT_FILES = _(
    "GIFT cannot hold embedded files: the images and documents of its text are not exported. Add them again "
    "after the import, or export to Moodle XML."
)


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
        tags = [" ".join(str(tag).split()) for tag in question.get("tags") or [] if str(tag).strip()]
        tag = tags[0] if tags else ""
        if tag != current_tag:
            blocks.append("$CATEGORY: $course$/top" + ("/" + tag.replace("/", "//") if tag else ""))
            current_tag = tag
        points = Decimal(str(question.get("points", 1)))
        if points != 1:
            report.warn(index, name, c.EXPORT_POINTS, code="export_points", points=c.points_value(points))
        blocks.append(_metadata_comment(question.get("id") or "", tags[1:]) + _write_question(report, index, question))
    if report.errors:
        raise c.ExportError(report.errors)
    lines = c.loss_notice(report.warnings, format_name=FORMAT_NAME) if notice else []
    header = "".join(f"// {line}\n" for line in lines)
    if not blocks:
        return header
    return (header + "\n" if header else "") + "\n\n".join(blocks) + "\n"


def _metadata_comment(external_id: str, tags: list[str]) -> str:
    """``// [id:…] [tag:…]`` before a question (Moodle 3.6 and later read them), with a line break; "" when
    there is nothing to say. The category holds the first tag."""
    parts = [f"[id:{_comment_value(external_id)}]"] if external_id.strip() else []
    parts += [f"[tag:{_comment_value(tag)}]" for tag in tags if not set(tag) & set("<>`")]
    return "// " + " ".join(parts) + "\n" if parts else ""


def _comment_value(text: str) -> str:
    return " ".join(text.split()).replace("]", "\\]")


def _without_files(report: c.ExportReport, index: int, question: dict) -> dict:
    """The question with its embedded-file references removed (warning): GIFT has no place for files."""
    prompt, feedback = question.get("prompt") or "", question.get("feedback") or ""
    if not question.get("files") and files.PLUGINFILE not in prompt + feedback:
        return question
    report.warn(index, question.get("name") or "", EXPORT_FILES, code="export_files")
    return {**question, "prompt": files.link_files(prompt, {}), "feedback": files.link_files(feedback, {})}


def _write_question(report: c.ExportReport, index: int, question: dict) -> str:
    question = _without_files(report, index, question)
    text, after = (question.get("prompt") or "").strip(), ""
    if question["kind"] != "ordering" and text.count(BLANK) == 1:
        text, after = text.split(BLANK)  # a missing-word question: the answer part goes where the blank is
    head = ""
    if question.get("name"):
        head += "::" + _escape(" ".join(question["name"].split())) + "::"
    head += "[html]" + _escape(text)
    after = _escape(after)
    return _question_text(report, index, question, head) + after


def _question_text(report: c.ExportReport, index: int, question: dict, head: str) -> str:
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
    report.warn_scoring(index, question, format_name=FORMAT_NAME)
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
