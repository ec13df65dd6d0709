"""Tables of the reports as template rows, and server-drawn bar charts.

The XLSX and CSV downloads are written by ``content.spreadsheets`` (``frame_sheet`` for a DataFrame), the one
writer of the project: real numbers and dates in the cells, no text that runs as a formula.
"""

import math

import pandas as pd

CHART_WIDTH = 500  # the drawing width of a bar at 100%, in SVG units (labels take the first 160)


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows for a template, with NaN as None (shown as a dash)."""
    return [
        {key: (None if isinstance(value, float) and math.isnan(value) else value) for key, value in row.items()}
        for row in frame.to_dict("records")
    ]


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
