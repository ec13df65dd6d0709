"""The XLSX import of OJT records, and its template.

The first row names the columns, in English, Russian or Turkmen (``HEADERS``), in any order; unknown
columns are ignored. Staff are named by username or e-mail; the unit by its code or its name in any
language. Every row is checked with the rules of ``services.record_create``; each bad row is reported
with its number (the header is row 1) and the reason in the user's language, and nothing is imported
while any row is bad.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from content import spreadsheets
from content.bounds import field_range
from content.spreadsheets import DATE_FORMAT, XLSX_CONTENT_TYPE, Sheet, xlsx_bytes  # noqa: F401 (the type, for the views)
from lms.people.models import TrainingUnit

from . import exceptions as errors
from . import services
from .models import OJTRecord

MAX_BYTES = 2 * 1024 * 1024
MODULE_MAX = field_range(OJTRecord, "module")[1]
MAX_ROWS = 2000
REQUIRED = ("staff", "date", "hours", "topic", "instructor")
# the column names of the file in each language (the first is the one the template writes)
HEADERS = {
    "staff": {"en": ["staff", "username", "e-mail", "email"], "ru": ["сотрудник", "логин", "эл. почта"],
              "tk": ["işgär", "ulanyjy", "e-poçta"]},
    "date": {"en": ["date"], "ru": ["дата"], "tk": ["sene"]},
    "hours": {"en": ["hours"], "ru": ["часы", "часов"], "tk": ["sagat"]},
    "topic": {"en": ["topic"], "ru": ["тема"], "tk": ["tema"]},
    "module": {"en": ["module"], "ru": ["модуль"], "tk": ["modul"]},
    "instructor": {"en": ["instructor", "mentor", "instructor or mentor"], "ru": ["инструктор", "наставник"],
                   "tk": ["tälimçi", "halypa", "mugallym"]},
    "evidence": {"en": ["evidence"], "ru": ["подтверждение", "доказательство"], "tk": ["subutnama", "tassyklama"]},
    "unit": {"en": ["unit", "training unit"], "ru": ["подразделение"], "tk": ["bölüm", "bölümi"]},
}
COLUMNS = tuple(HEADERS)
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d.%m.%y")


# the file as a whole cannot be read (not XLSX, too big, no header …)
ImportFileError = errors.OJTFileRefused


@dataclass
class ImportResult:
    created: int = 0
    problems: list = field(default_factory=list)  # services.RowProblem, by row


def _key(text) -> str:
    """A header cell reduced to its name: lower case, no star, no explanation in brackets."""
    text = re.sub(r"\(.*?\)", "", str(text or "")).replace("*", "")
    return " ".join(text.lower().split())


ALIASES = {name: column for column, names in HEADERS.items() for words in names.values() for name in words}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sheet_rows(upload) -> list[tuple[int, list]]:
    """The non-empty rows of the first sheet with their row numbers (content.spreadsheets reads and caps)."""
    try:
        limits = spreadsheets.ReadLimits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
        return spreadsheets.table_read(upload, limits=limits, formats=(spreadsheets.XLSX,)).rows
    except spreadsheets.SpreadsheetRefused as refused:
        raise ImportFileError(refused.message) from None


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _cell(value)
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise errors.OJTRefused(errors.OJT_BAD_DATE % {"value": text})


def _hours(value):
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    text = _cell(value).replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise errors.OJTRefused(errors.OJT_BAD_HOURS % {"value": _cell(value)})
    return text


def _module(value) -> int | None:
    text = _cell(value)
    if not text:
        return None
    # ASCII digits ("²".isdigit() is true too) within the column's range
    if not (text.isascii() and text.isdigit() and len(text) <= 5 and int(text) <= MODULE_MAX):
        raise errors.OJTRefused(errors.OJT_BAD_MODULE % {"value": text})
    return int(text)


def _people(values: set[str]) -> tuple[dict, dict]:
    """Users by username and by lower-case e-mail, in two queries."""
    User = get_user_model()
    names = {value for value in values if "@" not in value}
    mails = {value.lower() for value in values if "@" in value}
    by_name = {user.username.lower(): user for user in User.objects.annotate(low=Lower("username")).filter(
        low__in=[name.lower() for name in names])}
    by_mail: dict[str, list] = {}
    for user in User.objects.annotate(low=Lower("email")).filter(low__in=mails).select_related("profile"):
        by_mail.setdefault(user.email.lower(), []).append(user)
    return by_name, by_mail


def _staff(value: str, by_name, by_mail, agency):
    """The user a cell names; an e-mail shared by several people names the one of the agency, if one."""
    if "@" not in value:
        return by_name.get(value.lower())
    found = by_mail.get(value.lower(), [])
    ours = [user for user in found if getattr(getattr(user, "profile", None), "agency_id", None) == agency.pk]
    candidates = ours or found
    return candidates[0] if len(candidates) == 1 else None


def _unit(value: str, units: list[TrainingUnit]):
    wanted = value.lower()
    for unit in units:
        if wanted in {unit.code.lower(), unit.name_en.lower(), unit.name_ru.lower(), unit.name_tk.lower()} - {""}:
            return unit
    return None


def records_import_file(*, actor, agency, upload, today: date | None = None) -> ImportResult:
    """Read the uploaded XLSX and import its rows as OJT records of ``agency`` (all or nothing).

    Raises ``ImportFileError`` when the file as a whole is unusable; otherwise returns the number of
    records created, or the problems of the bad rows (and nothing is created).
    """
    table = _sheet_rows(upload)
    if not table:
        raise ImportFileError(errors.OJT_NO_HEADER)
    positions: dict[str, int] = {}
    for index, cell in enumerate(table[0][1]):
        column = ALIASES.get(_key(cell))
        if column is not None and column not in positions:
            positions[column] = index
    if not positions:
        raise ImportFileError(errors.OJT_NO_HEADER)
    missing = [column for column in REQUIRED if column not in positions]
    if missing:
        names = ", ".join(HEADERS[column][_language()][0] for column in missing)
        raise ImportFileError(errors.OJT_MISSING_COLUMNS % {"columns": names})

    def value(cells, column):
        index = positions.get(column)
        return cells[index] if index is not None and index < len(cells) else None

    lines = table[1:]
    if not lines:
        raise ImportFileError(errors.OJT_NO_ROWS)
    by_name, by_mail = _people({_cell(value(cells, "staff")) for _number, cells in lines} - {""})
    units = list(TrainingUnit.objects.filter(agency=agency))
    rows, problems = [], []
    for number, cells in lines:
        try:
            staff_value = _cell(value(cells, "staff"))
            if not staff_value:
                raise errors.OJTRefused(errors.OJT_STAFF_REQUIRED)
            staff = _staff(staff_value, by_name, by_mail, agency)
            if staff is None:
                raise errors.OJTRefused(errors.OJT_UNKNOWN_STAFF % {"value": staff_value})
            unit_value = _cell(value(cells, "unit"))
            unit = _unit(unit_value, units) if unit_value else None
            if unit_value and unit is None:
                raise errors.OJTRefused(errors.OJT_UNKNOWN_UNIT % {"value": unit_value, "agency": agency.name})
            given = services.RecordInput(
                staff=staff, topic=_cell(value(cells, "topic")), date=_date(value(cells, "date")),
                hours=_hours(value(cells, "hours")), instructor=_cell(value(cells, "instructor")),
                module=_module(value(cells, "module")), unit=unit, evidence=_cell(value(cells, "evidence")),
            )
        except errors.OJTRefused as refused:
            problems.append(services.RowProblem(number, refused.message))
            continue
        rows.append((number, given))
    if problems:
        # report the rows that could not be read together with the rule-breaking ones, nothing written
        _count, more = services.records_import(actor=actor, agency=agency, rows=rows, today=today, dry_run=True)
        return ImportResult(0, sorted([*problems, *more], key=lambda problem: problem.row))
    created, problems = services.records_import(actor=actor, agency=agency, rows=rows, today=today)
    return ImportResult(created, problems)


def _language() -> str:
    language = (get_language() or "en")[:2]
    return language if language in ("en", "ru", "tk") else "en"


def template_workbook() -> bytes:
    """An empty import sheet with the column names in the user's language, and a sheet explaining them."""
    language = _language()
    explanations = {
        "staff": _("Username or e-mail of a person of your agency (required)."),
        "date": _("Date of the training, not in the future (required)."),
        "hours": _("Hours, more than 0 and at most 24, e.g. 2 or 1.5 (required)."),
        "topic": _("What was trained (required)."),
        "module": _("Number of the module of the national course (optional)."),
        "instructor": _("Instructor or mentor (required)."),
        "evidence": _("Where the evidence is kept, e.g. an order number or a sign-in sheet (optional)."),
        "unit": _("Code or name of the training unit; empty: the person's own unit (optional)."),
    }
    records = Sheet(
        title=_("OJT records"),
        header=[HEADERS[column][language][0] for column in COLUMNS],
        widths=(24, 12, 8, 40, 8, 28, 40, 16),
        column_formats={COLUMNS.index("date"): DATE_FORMAT},
    )
    help_sheet = Sheet(
        title=_("Columns"),
        header=None,
        rows=[[HEADERS[column][language][0], str(explanations[column])] for column in COLUMNS],
        widths=(16, 90),
    )
    return xlsx_bytes([records, help_sheet], write_only=False)  # small
