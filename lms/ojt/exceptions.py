"""What refuses a change to a training plan or an on-the-job training record; ``message`` says why in the
user's language. The messages of uploads are shared with the roster import of ``lms.cascade``."""

from django.utils.translation import gettext_lazy as _

# the messages OJT shares with the cascade's roster import (NOT_PERMITTED: the services refuse with it)
from lms.cascade.exceptions import (  # noqa: F401
    FILE_TOO_BIG, FILE_TOO_MANY_ROWS, NOT_PERMITTED, UNIT_OF_OTHER_AGENCY, UNKNOWN_UNIT,
)


class OJTError(Exception):
    """Base of the errors that OJT services raise with a message for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NotPermitted(OJTError):
    """The acting user may not do this to this plan or record."""


class OJTRefused(OJTError):
    """A rule of training plans or on-the-job training records refuses the change."""


class OJTFileRefused(OJTRefused):
    """An uploaded OJT file that cannot be read as a whole (not XLSX, too large, no header, no rows)."""


PLAN_YEAR = _("The year must be between %(first)s and %(last)s.")
PLAN_TARGET_NEGATIVE = _("Targets cannot be negative.")
PLAN_MODULES_OUTSIDE = _("Module(s) %(modules)s are not modules of the national course.")
PLAN_UNIT_OF_OTHER_AGENCY = UNIT_OF_OTHER_AGENCY
PLAN_EXISTS = _("%(agency)s already has a plan for %(year)s for this unit (or the whole agency): change that one.")
OJT_STAFF_NOT_OF_AGENCY = _("%(name)s is not on the staff of %(agency)s.")
OJT_HOURS = _("Hours must be more than 0 and at most 24.")
OJT_FUTURE_DATE = _("The date cannot be in the future.")
OJT_TOPIC_REQUIRED = _("Give the topic.")
OJT_INSTRUCTOR_REQUIRED = _("Give the instructor or mentor.")
OJT_MODULE_OUTSIDE = _("Module %(module)s is not a module of the national course.")
OJT_FILE_TOO_BIG = FILE_TOO_BIG
OJT_TOO_MANY_ROWS = FILE_TOO_MANY_ROWS
OJT_NOT_XLSX = _("This is not an XLSX workbook: save the sheet as .xlsx and try again.")
OJT_NO_HEADER = _("The first row must name the columns: staff, date, hours, topic (and module, instructor, evidence, unit).")
OJT_MISSING_COLUMNS = _("The columns %(columns)s are missing.")
OJT_NO_ROWS = _("The file has no records.")
OJT_UNKNOWN_STAFF = _("No person with the username or e-mail “%(value)s”.")
OJT_BAD_DATE = _("“%(value)s” is not a date (write it as YYYY-MM-DD or DD.MM.YYYY).")
OJT_BAD_HOURS = _("“%(value)s” is not a number of hours.")
OJT_BAD_MODULE = _("“%(value)s” is not a module number.")
OJT_UNKNOWN_UNIT = UNKNOWN_UNIT
OJT_STAFF_REQUIRED = _("Give the staff member's username or e-mail.")
