"""Paper mode: print a test form as PDF, read typed or uploaded results back into responses.

For sessions without connectivity a trainer prints a ``PaperForm`` (the items drawn once, in one
language, under a short code), learners mark the answer sheet, and the trainer enters the sheets later
(the keyboard grid or an XLSX/CSV file). Writing the attempts is ``services.paper_results_import``.

What a cell on the sheet means (options, items and choices are lettered A, B, C… in their stored
order, so a letter names the same key in every language):

- single: one letter, ``B``;
- multiple: the letters chosen, ``AC`` (order, spaces and commas ignored);
- truefalse: ``A`` or ``T`` for true, ``B`` or ``F`` for false (the sheet prints A = true, B = false);
- matching: one choice letter per item, in item order, ``BAC``; ``-`` for an item left blank;
- ordering: the item letters in the order given, ``CAB``;
- short: the text as written;
- numerical: the number as written (``3,5`` or ``3.5``).

Each kind reads its own cells (``Kind.cell_response`` in ``assessments/kinds/``); the kinds that can be
answered on paper are those with ``paper = True`` (``paper_kinds``).

An empty cell is "not answered". Cyrillic letters that look like Latin ones (А В С Е Н К М О Р Т Х)
are read as the Latin letter, so a trainer typing on a Russian keyboard layout is understood.
"""

import re
import uuid
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from content import spreadsheets
from content.virusscan import UploadRefused, upload_scan

from . import kinds
from .exceptions import AssessmentError
from .kinds.base import LETTERS
from .selectors import questions_in_language

USERNAME_COLUMN = "username"
# a results file: one learner a row, "username" and the item numbers a column (a form has far fewer items)
# the first column's header as the template writes it, or as people write it in en, ru or tk
USERNAME_HEADERS = spreadsheets.header_names(
    {"username": [USERNAME_COLUMN, "login", "логин", "имя пользователя", "ulanyjy", "ulanyjy ady"]}
)
READ_LIMITS = spreadsheets.ReadLimits(max_bytes=2 * 1024 * 1024, max_rows=2000, max_columns=201)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no O/0, I/1: codes are read off paper

NO_ITEM = _("The form has no item here: its items are numbered 1 to %(count)s.")
NO_USERNAME = _("Give the learner's username.")
UNKNOWN_USER = _("There is no user “%(username)s”.")
NOT_YOUR_LEARNER = _("“%(username)s” is not one of the learners you may enter results for.")
ALREADY_ENTERED = _("The results of “%(username)s” on form %(code)s are already entered.")
TWICE = _("“%(username)s” is already entered in row %(row)s.")
NOT_ON_PAPER = _("This item cannot be answered on paper.")
NO_HEADER = _("The file has no header row: the first row must be “username, 1, 2, …”.")
NO_USERNAME_COLUMN = _("The first column of the header must be “username”.")
UNKNOWN_COLUMN = _("Unknown column “%(column)s”: columns after “username” are item numbers 1, 2, …")
DUPLICATE_COLUMN = _("Column “%(column)s” appears twice.")
NOT_A_TABLE = _("The file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8.")
NO_ITEMS_ON_PAPER = _("No item of this test can be answered on paper (case and open-response items cannot).")


class PaperImportError(AssessmentError):
    """Results that cannot be imported; ``problems`` lists every one as (row, column, message)."""

    def __init__(self, problems):
        super().__init__(_("The results were not imported: correct the rows listed and try again."))
        self.problems = problems


class PaperFileError(AssessmentError):
    """An uploaded results file that cannot be read as a table of results."""


# --- cells to responses ------------------------------------------------------------------------------


def paper_kinds() -> tuple:
    """The kinds a paper answer sheet can hold (case and open-response items cannot)."""
    return tuple(kind.name for kind in kinds.all() if kind.paper)


def cell_response(*, kind: str, data: dict, text):
    """The response a cell of the answer sheet stands for, before ``scoring.response_validate``.

    Returns None for an empty cell; raises ``ValueError`` (its message is for the trainer) for a
    cell that names no option.
    """
    text = "" if text is None else str(text).strip()
    if not text:
        return None
    rules = kinds.get(kind)
    if rules is None or not rules.paper:
        raise ValueError(str(NOT_ON_PAPER))
    return rules.cell_response(data if isinstance(data, dict) else {}, text)


# --- files -------------------------------------------------------------------------------------------


def _table_rows(upload) -> list[tuple[int, list[str]]]:
    """The rows of the file that hold something, as text, each with its line number (capped in size and rows)."""
    try:
        table = spreadsheets.table_read(upload, limits=READ_LIMITS)
    except spreadsheets.SpreadsheetRefused as refused:
        raise PaperFileError(NO_HEADER if refused.code == "empty" else refused.message) from None
    return [(number, [spreadsheets.cell_text(value) for value in values]) for number, values in table.rows]


def _whole(value: str) -> int | None:
    value = value.strip()
    if value.endswith(".0"):  # a spreadsheet's number 3 read back as "3.0"
        value = value[:-2]
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def paper_rows_from_file(upload) -> list:
    """Read an XLSX or CSV results file into the rows ``services.paper_results_import`` takes.

    The header is ``username, 1, 2, …`` (item positions, any subset in any order); a row's number is
    its line in the file (the header is line 1). Blank lines are skipped. Raises ``PaperFileError``.
    """
    try:
        upload_scan(upload)
    except UploadRefused as refused:
        raise PaperFileError(refused.message) from None
    table = _table_rows(upload)
    header = [cell.strip() for cell in table[0][1]]
    if not header or spreadsheets.header_key(header[0]) not in USERNAME_HEADERS:
        raise PaperFileError(NO_USERNAME_COLUMN)
    positions = []
    for column in header[1:]:
        position = _whole(column)
        if position is None and not column:
            positions.append(None)  # an empty trailing header cell of a spreadsheet
            continue
        if position is None or position < 1:
            raise PaperFileError(str(UNKNOWN_COLUMN) % {"column": column})
        if position in positions:
            raise PaperFileError(str(DUPLICATE_COLUMN) % {"column": column})
        positions.append(position)
    rows = []
    for number, cells in table[1:]:
        values = {
            position: (cells[index + 1] if index + 1 < len(cells) else "").strip()
            for index, position in enumerate(positions)
            if position is not None
        }
        rows.append({"row": number, "username": (cells[0] if cells else "").strip(), "cells": values})
    return rows


# --- the printed form --------------------------------------------------------------------------------

FONT_DIR = Path(settings.BASE_DIR) / "node_modules" / "@fontsource" / "noto-sans"
FONT_SUBSETS = ("latin", "latin-ext", "cyrillic", "cyrillic-ext")
_FACE = re.compile(r"/\* noto-sans-(?P<subset>[\w-]+?)-(?P<weight>\d+)-normal \*/\s*(?P<rule>@font-face\s*{[^}]*})")


def font_faces() -> str:
    """@font-face rules for the Noto Sans files the app ships, by absolute file URL (no network).

    Each subset becomes a family of its own ("Noto Sans latin-ext", …) listed in ``FONT_FAMILY``:
    WeasyPrint does not choose among faces of one family by ``unicode-range``, and took ş, ň and ž from
    the Latin subset, which lacks them; with one family per subset, Pango falls back glyph by glyph.
    """
    rules = []
    for weight in (400, 700):
        css = (FONT_DIR / f"{weight}.css").read_text(encoding="utf-8")
        for match in _FACE.finditer(css):
            if match["subset"] in FONT_SUBSETS:
                rule = match["rule"].replace("url(./files/", f"url({(FONT_DIR / 'files').as_uri()}/")
                rule = re.sub(r"font-family:\s*'Noto Sans';", f"font-family: 'Noto Sans {match['subset']}';", rule)
                rules.append(re.sub(r"\s*unicode-range:[^;]*;", "", rule))
    return "\n".join(rules)


FONT_FAMILY = ", ".join(f"'Noto Sans {subset}'" for subset in FONT_SUBSETS) + ", sans-serif"


def qr_svg(code: str) -> str:
    import segno

    return segno.make(code, error="m").svg_inline(scale=3, omitsize=False)


def form_questions(form) -> dict:
    """``{position: question}`` of ``form``, each question in the form's language (else the source)."""
    keys = [uuid.UUID(str(key)) for key in form.keys]
    questions = questions_in_language(keys=keys, language=form.language)
    return {position: questions[key] for position, key in enumerate(keys, start=1)}


def paper_form_items(form) -> list:
    """The printed items of ``form``: position, question (in the form's language) and lettered lists.

    ``prompt`` is the stored rich text; the template renders it with ``safe_richtext``."""
    items = []
    for position, question in form_questions(form).items():
        data = question.data if isinstance(question.data, dict) else {}

        def lettered(entries):
            return [(LETTERS[index], entry.get("text", "")) for index, entry in enumerate(entries or [])]

        items.append(
            {
                "position": position,
                "question": question,
                "kind": question.kind,
                "prompt": question.prompt,
                "options": lettered(data.get("options")),
                "items": lettered(data.get("items")),
                "choices": lettered(data.get("choices")),
            }
        )
    return items


def paper_form_document(form, *, font_config=None):
    """``form`` as a WeasyPrint document: the items, then an answer sheet with the form code and its QR
    code, in the form's language. A document rather than bytes so that its pages can follow another's
    (the cascade trainer kit appends a session's forms to its own pages)."""
    from weasyprint import HTML

    with translation.override(form.language):
        context = {
            "form": form,
            "title": form.assessment.title,
            "items": paper_form_items(form),
            "fonts": font_faces(),
            "font_family": FONT_FAMILY,
            "qr": qr_svg(form.code),
            "language": form.language,
        }
        html = render_to_string("assessments/paper/form.html", context)
    return HTML(string=html, base_url=str(FONT_DIR)).render(font_config=font_config)


def paper_form_pdf(form) -> bytes:
    """Render ``form`` as a PDF (``paper_form_document``)."""
    return paper_form_document(form).write_pdf()
