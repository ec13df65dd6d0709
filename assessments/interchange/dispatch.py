"""What the formats ask the kinds (``assessments.kinds``): is imported data valid, can a question be written.

Both formats read their own syntax; the data of each kind is built by the kind's module and checked here
by the same rules of the kind as ``scoring.question_data_validate`` applies for the editor and the seed, so an import cannot store what they
refuse. Before an export, each question is checked by its kind (``Kind.export_problem``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from assessments import kinds
from assessments.interchange import common as c


def data_valid(report: c.QuestionReport, kind: str, data: dict) -> bool:
    """Last check of an imported question: the shape of its kind (FORMAT.md), by the kind's own rules, as
    ``scoring.question_data_validate`` checks it for the editor and the seed."""
    problems: list = []
    kinds.get(kind).check_data(data, problems)
    for problem in problems:
        report.error(c.INVALID_DATA, code="invalid_data", problem=problem)
    return not problems


def export_problem(question: dict) -> str | None:
    """The first field that makes ``question`` impossible to write, or None."""
    data = question.get("data")
    if not isinstance(data, dict):
        return "data"
    rules = kinds.get(question.get("kind"))
    problem = rules.export_problem(data) if rules is not None else None
    if problem:
        return problem
    try:
        Decimal(str(question.get("points", 1)))
    except InvalidOperation:
        return "points"
    return None


def exportable(report: c.ExportReport, questions, *, format_name: str, writers: dict, skip_unsupported: bool):
    """Yield ``(index, question)`` for each question the format can hold; report the others.

    A refused question is an error (nothing is exported) or, with ``skip_unsupported``, a warning. An
    embedded-answers question in a format without them (GIFT) is always left out with a warning.
    """
    for index, question in enumerate(questions, start=1):
        kind = question.get("kind")
        refusal = None
        if kind == "case":
            refusal = (c.EXPORT_CASE, "export_case", {"format": format_name})
        elif kind == "cloze" and kind not in writers:
            # GIFT has no embedded answers: always left out with a warning, the rest of the bank goes out
            report.warn(index, question.get("name") or "", kinds.cloze.EXPORT_CLOZE_GIFT, code="export_cloze")
            continue
        elif kind not in writers:
            refusal = (c.EXPORT_UNKNOWN_KIND, "export_unknown_kind", {"kind": c.shorten(str(kind), 40)})
        else:
            problem = export_problem(question)
            if problem:
                refusal = (c.EXPORT_INVALID, "export_invalid", {"field": problem})
        if refusal:
            template, code, params = refusal
            name = question.get("name") or ""
            (report.warn if skip_unsupported else report.error)(index, name, template, code=code, **params)
            continue
        yield index, question
