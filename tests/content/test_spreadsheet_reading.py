"""Reading uploaded spreadsheets (content.spreadsheets.table_read): caps on size, rows and columns, blank rows
skipped with line numbers kept, headers matched in en/ru/tk, and clear, translated messages."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from assessments import paper
from content import spreadsheets
from content.spreadsheets import ReadLimits, SpreadsheetRefused, header_names, header_positions, table_read


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=number, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def refused(upload, **kwargs) -> SpreadsheetRefused:
    with pytest.raises(SpreadsheetRefused) as caught:
        table_read(upload, **kwargs)
    return caught.value


def test_csv_and_xlsx_keep_line_numbers_and_skip_blank_rows():
    csv_table = table_read(SimpleUploadedFile("a.csv", "\ufeffname;date\n\n;\nAýna;2025-03-01\n".encode()))
    assert csv_table.format == "csv"
    assert csv_table.rows == [(1, ["name", "date"]), (4, ["Aýna", "2025-03-01"])]
    book = table_read(SimpleUploadedFile("a.xlsx", xlsx([["name", "hours"], [], ["Aýna", 12.0, None]])))
    assert book.format == "xlsx"
    assert book.rows == [(1, ["name", "hours"]), (3, ["Aýna", 12.0])]  # trailing blanks dropped
    assert spreadsheets.cell_text(12.0) == "12"


def test_size_cap_before_and_while_reading():
    limits = ReadLimits(max_bytes=1024 * 1024)
    big = SimpleUploadedFile("a.csv", b"x" * (1024 * 1024 + 1))
    error = refused(big, limits=limits)
    assert error.code == "too_big" and str(error.message) == "The file is larger than 1 MB."
    stream = io.BytesIO(b"x" * (1024 * 1024 + 1))  # no size attribute: counted while reading
    stream.name = "a.csv"
    assert refused(stream, limits=limits).code == "too_big"


def test_row_cap_counts_the_rows_after_the_header():
    limits = ReadLimits(max_rows=3)
    assert len(table_read(SimpleUploadedFile("a.csv", b"h\n1\n2\n3\n"), limits=limits).rows) == 4
    error = refused(SimpleUploadedFile("a.csv", b"h\n1\n2\n3\n4\n"), limits=limits)
    assert error.code == "too_many_rows"
    assert str(error.message) == "The file has more than 3 rows: split it into smaller files."
    # a sheet of blank rows is not read to its end
    blank = refused(SimpleUploadedFile("a.csv", b"h\n" + b"\n" * 50 + b"1\n"), limits=ReadLimits(max_scanned_rows=20))
    assert blank.code == "too_many_rows"


@pytest.mark.parametrize("name, data", [("a.csv", ("x," * 5 + "x\n").encode()), ("a.xlsx", xlsx([["x"] * 6]))])
def test_column_cap_names_the_row(name, data):
    error = refused(SimpleUploadedFile(name, b"h\n" + data if name.endswith(".csv") else data),
                    limits=ReadLimits(max_columns=5))
    assert error.code == "too_many_columns"
    row = 2 if name.endswith(".csv") else 1
    assert str(error.message) == (
        f"Row {row} has more than 5 filled columns: remove the columns the import does not use."
    )


@pytest.mark.parametrize(
    "upload, code",
    [
        (SimpleUploadedFile("a.pdf", b"%PDF-1.7"), "not_a_table"),
        (SimpleUploadedFile("a.xls", b"\xd0\xcf\x11\xe0 old Excel"), "not_a_table"),
        (SimpleUploadedFile("a.xlsx", b"PK\x03\x04 broken"), "not_a_table"),
        (SimpleUploadedFile("a.xlsx", b"name,date\n"), "not_a_table"),
        (SimpleUploadedFile("a.csv", "Фамилия;Имя\n".encode("cp1251")), "not_a_table"),
        (SimpleUploadedFile("a.csv", b"a\x00b\n"), "not_a_table"),
        (SimpleUploadedFile("a.csv", b""), "empty"),
        (SimpleUploadedFile("a.csv", b" \n\n,,\n"), "empty"),
    ],
)
def test_files_that_are_not_tables(upload, code):
    assert refused(upload).code == code


def test_workbooks_only():
    error = refused(SimpleUploadedFile("a.csv", b"name,date\n"), formats=(spreadsheets.XLSX,))
    assert error.code == "not_xlsx" and error.message == spreadsheets.NOT_XLSX
    assert table_read(SimpleUploadedFile("export", xlsx([["a"]])), formats=(spreadsheets.XLSX,)).rows == [(1, ["a"])]


COLUMNS = {"staff": [_("Staff"), "username", "логин"], "date": [_("Date")], "hours": [_("Hours")]}
LABELS = {"staff": "Staff", "date": "Date", "hours": "Hours"}
RU_EMPTY = "Файл пуст."


def test_headers_match_in_each_language_and_with_notes_stars_and_case():
    names = header_names(COLUMNS)
    with translation.override("ru"):
        ru_date = str(_("Date"))
    with translation.override("tk"):
        tk_hours = str(_("Hours"))
    cells = ["№", "USER-NAME", f"{ru_date} (ДД.ММ.ГГГГ) *", tk_hours.upper(), "note"]
    assert header_positions(cells, names, required=("staff", "date", "hours")) == {"staff": 1, "date": 2, "hours": 3}


def test_duplicate_and_missing_columns_are_named():
    names = header_names(COLUMNS)
    error = pytest.raises(SpreadsheetRefused, header_positions, ["Staff", "Date", "username"], names).value
    assert error.code == "duplicate_column"
    assert str(error.message) == "Columns A “Staff” and C “username” both give “username”: keep one of them."
    error = pytest.raises(SpreadsheetRefused, header_positions, ["Staff"], names, required=("staff", "date", "hours"),
                          labels=LABELS).value
    assert error.code == "missing_columns"
    assert str(error.message).startswith("The file has no column “Date”, “Hours”.")


def test_messages_come_in_the_users_language():
    error = refused(SimpleUploadedFile("a.csv", b""))
    with translation.override("ru"):
        assert str(error.message) == RU_EMPTY
        assert spreadsheets.cell_problem(row=4, column=2, header="Дата", problem="нет даты") == (
            "Строка 4, столбец C “Дата”: нет даты"
        )
    with translation.override("tk"):
        assert spreadsheets.cell_problem(row=4, column=27, problem="x") == "Setir 4, sütün AB: x"


def test_the_paper_form_import_has_size_and_row_caps(monkeypatch):
    monkeypatch.setattr(paper, "READ_LIMITS", ReadLimits(max_bytes=1024 * 1024, max_rows=2))
    rows = "username,1\n" + "".join(f"learner{n},A\n" for n in range(3))
    with pytest.raises(paper.PaperFileError) as caught:
        paper.paper_rows_from_file(SimpleUploadedFile("results.csv", rows.encode()))
    assert str(caught.value.message) == "The file has more than 2 rows: split it into smaller files."
    with pytest.raises(paper.PaperFileError) as caught:
        paper.paper_rows_from_file(SimpleUploadedFile("results.csv", b"username,1\n" + b"x" * (1024 * 1024)))
    assert str(caught.value.message) == "The file is larger than 1 MB."
    # blank lines are skipped and each row keeps its line in the file
    result = paper.paper_rows_from_file(SimpleUploadedFile("results.csv", b"username,1\n\nlearner1,A\n"))
    assert result == [{"row": 3, "username": "learner1", "cells": {1: "A"}}]


@pytest.mark.parametrize("header", ["username", "User name", "Логин", "Имя пользователя", "Ulanyjy ady"])
def test_the_paper_form_import_knows_the_username_column_in_each_language(header):
    upload = SimpleUploadedFile("results.csv", f"{header},1\nlearner1,B\n".encode())
    assert paper.paper_rows_from_file(upload) == [{"row": 2, "username": "learner1", "cells": {1: "B"}}]
