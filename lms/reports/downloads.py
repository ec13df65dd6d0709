"""Tables of the reports as template rows, CSV and XLSX responses, and server-drawn bar charts.

Shared by the dashboards of this app, so a download is built the same way everywhere: real numbers and
dates in the cells (not text), UTF-8 with a BOM for CSV (Excel then opens Turkmen and Russian letters).
"""

import io
import math

import pandas as pd
from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHART_WIDTH = 500  # the drawing width of a bar at 100%, in SVG units (labels take the first 160)


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows for a template, with NaN as None (shown as a dash)."""
    return [
        {key: (None if isinstance(value, float) and math.isnan(value) else value) for key, value in row.items()}
        for row in frame.to_dict("records")
    ]


def _excel_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Excel has no time zones: keep the local wall time of aware datetimes."""
    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]) and getattr(frame[column].dt, "tz", None) is not None:
            frame[column] = frame[column].dt.tz_localize(None)
    return frame


def xlsx_response(sheets: dict, *, filename: str, readme: list[tuple] | None = None) -> HttpResponse:
    """A workbook with one sheet per frame (named by its key, cut to Excel's 31 characters) and, with
    ``readme``, a first sheet "Read me" holding those rows (title lines and definitions)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            _excel_ready(frame).to_excel(writer, sheet_name=name[:31], index=False)
        if readme is not None:
            sheet = writer.book.create_sheet("Read me", 0)
            for row in readme:
                sheet.append([str(cell) if cell is not None else None for cell in row])
            sheet.column_dimensions["A"].width = 28
            sheet.column_dimensions["B"].width = 28
            sheet.column_dimensions["C"].width = 100
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(frame: pd.DataFrame, *, filename: str) -> HttpResponse:
    """One table as CSV, UTF-8 with a BOM."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    frame.to_csv(response, index=False)
    return response


def bars(rows: list[dict], *, label: str, value: str, title: str = "") -> list[dict]:
    """Horizontal bars for ``reports/_bars.html``: ``label``, ``value`` and ``width`` (0..CHART_WIDTH,
    proportional to the largest value). Rows without a value are left out."""
    shown = [row for row in rows if row.get(value) is not None]
    top = max((float(row[value]) for row in shown), default=0.0)
    return [
        {
            "label": row.get(label) or "—",
            "value": row[value],
            "width": int(round(float(row[value]) / top * CHART_WIDTH)) if top > 0 else 0,
            "title": row.get(title) or "",
        }
        for row in shown
    ]
