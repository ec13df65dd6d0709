"""The OJT records as a table for the downloads (XLSX and CSV, written by ``content.spreadsheets``)."""

from django.utils.translation import gettext as _

from content.spreadsheets import Sheet
from lms.people.names import display_name

WIDTHS = (12, 28, 16, 28, 28, 40, 8, 8, 28, 30, 10)


def records_header() -> list[str]:
    return [
        _("Date"), _("Staff member"), _("Username"), _("Agency"), _("Training unit"), _("Topic"), _("Module"),
        _("Hours"), _("Instructor or mentor"), _("Evidence"), _("Source"),
    ]


def _row(record) -> list:
    return [
        record.date, display_name(record.staff), record.staff.username,
        record.agency.name, record.unit.name if record.unit else "", record.topic, record.module,
        record.hours, record.instructor, record.evidence, record.get_source_display(),
    ]


def records_sheet(records) -> Sheet:
    """One sheet: translated headers, then a record per row; the date as a date, module and hours as numbers."""
    return Sheet(
        title=_("OJT records"),
        header=records_header(),
        rows=(_row(record) for record in records),
        widths=WIDTHS,
    )
