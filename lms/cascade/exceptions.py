"""What refuses a change to a cascade session; ``message`` says why in the user's language."""

from django.utils.translation import gettext_lazy as _


class CascadeError(Exception):
    """Base of the errors that cascade services raise with a message for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NotPermitted(CascadeError):
    """The acting user may not do this to this session."""


class SessionRefused(CascadeError):
    """A rule of scheduling, of the states or of the roster refuses the change."""


NOT_PERMITTED = _("You may not do this.")
NOT_CERTIFIED = _("%(name)s has no trainer certification valid on the session's days.")
CO_TRAINER_NOT_CERTIFIED = _("Co-trainer %(name)s has no trainer certification valid on the session's days.")
CO_TRAINER_OTHER_AGENCY = _(
    "Co-trainer %(name)s is not in the session's agency: co-trainers are certified trainers of the agency "
    "that runs the session."
)
# the pickers (web form, API) offer only those: anyone else given there is refused with this
CO_TRAINER_NOT_OFFERED = _("Choose the co-trainers among the certified trainers of the session's agency.")
OTHER_AGENCY = _("A trainer schedules sessions inside their own agency only.")
UNIT_OF_OTHER_AGENCY = _("The training unit belongs to another agency.")
NO_DAYS = _("Give at least one day with its times.")
END_BEFORE_START = _("On %(date)s the session ends before it starts.")
QUARTER_HOURS = _("Times go by quarter hours (09:00, 09:15, 09:30, 09:45).")
DAY_TWICE = _("%(date)s is given twice.")
CAPACITY = _("The capacity must be at least 1.")
NO_MODULES = _("Choose at least one module.")
OUTSIDE_SCOPE = _("Your certification does not cover module(s) %(modules)s.")
DOUBLE_BOOKED = _("%(name)s is already booked at overlapping times (%(session)s, %(date)s).")
BOOKED_MEANWHILE = _("A trainer was booked at these times a moment ago. Check the times and try again.")
NOT_EDITABLE = _("Only the lead trainer changes a session, and only while it is a draft or returned.")
ILLEGAL_MOVE = _("This is not possible while the session is “%(state)s”.")
COMMENT_REQUIRED = _("Write a comment: it is kept in the session's history and sent to the people concerned.")
NOT_STARTED = _("A session is marked as delivered once it has started.")
METHODS_REQUIRED = _("Describe the methods used.")
ROSTER_CLOSED = _("The roster of a cancelled or reported session cannot change.")
CHOOSE_PERSON = _("Choose a person of the session's agency who is not on the roster yet.")
NOT_OF_AGENCY = _("%(name)s is not in the session's agency.")
ATTENDANCE_CLOSED = _("Attendance is taken for approved and delivered sessions.")
DAY_NOT_YET = _("Attendance of %(date)s can be taken from that day on.")
BAD_ATTENDANCE = _("The attendance sheet is not valid: reload the page and try again.")
REPORT_ACCEPTED = _("The report is already accepted.")
# uploads (the roster import here, the OJT import of lms.ojt)
FILE_TOO_BIG = _("The file is larger than %(size)s MB.")
FILE_TOO_MANY_ROWS = _("The file has more than %(count)s rows: split it into smaller files.")
UNKNOWN_UNIT = _("No training unit “%(value)s” in %(agency)s.")


# --- session tests (paper forms made from the session's tests page) ---------------------------------------

NOT_PAPER_MODE = _("The session's tests are taken online: paper forms are made for sessions that test on paper.")
NO_PRE_TEST = _("The session has no pre-test.")
NO_POST_TEST = _("The session has no post-test.")
FORMS_CLOSED = _("Paper forms are not made for a cancelled session.")


# --- roster import and completion (lms/cascade/roster_import.py, lms/cascade/completion.py) ---------------


class RosterFileRefused(CascadeError):
    """An uploaded roster file that cannot be read as a table of people (wrong type, empty, too large)."""


class RosterRowsRefused(CascadeError):
    """A roster file with bad rows; ``problems`` lists every one as (row, column, message) and nothing is imported."""

    def __init__(self, problems):
        super().__init__(ROSTER_NOT_IMPORTED)
        self.problems = problems


MIN_ATTENDANCE = _("The attendance needed for completion is a percentage from 1 to 100.")
CERTIFICATE_REVOKED_ALREADY = _("This certificate is already revoked.")
CERTIFICATES_NOT_YET = _("Certificates are issued once the session is delivered.")
ROSTER_NOT_IMPORTED = _("Nobody was imported: correct the rows listed and upload the file again.")
ROSTER_NOT_A_TABLE = _("The file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8.")
ROSTER_EMPTY = _("The file is empty.")
ROSTER_NO_PEOPLE = _("The file has no rows of people under its header.")
ROSTER_TOO_BIG = FILE_TOO_BIG
ROSTER_TOO_MANY_ROWS = FILE_TOO_MANY_ROWS
ROSTER_MISSING_COLUMNS = _("The header row has no column %(columns)s (see the template).")
ROSTER_DUPLICATE_COLUMN = _("Column “%(column)s” appears twice.")
ROSTER_REQUIRED = _("This column is required.")
ROSTER_REQUIRED_NEW = _("Required for a new account.")
ROSTER_BAD_EMAIL = _("“%(value)s” is not an e-mail address.")
ROSTER_BAD_USERNAME = _("“%(value)s” is not a valid username (letters, digits and @ . + - _ only, at most 150).")
ROSTER_BAD_GENDER = _("“%(value)s” is not a gender: write male or female.")
ROSTER_UNKNOWN_UNIT = UNKNOWN_UNIT
ROSTER_UNKNOWN_REGION = _("No region “%(value)s” (write its ISO code, e.g. TM-B, or its name).")
ROSTER_BAD_LANGUAGE = _("“%(value)s” is not a language of the site (en, ru or tk).")
ROSTER_OTHER_AGENCY = _("“%(value)s” is a person of another agency: only people of %(agency)s go on this roster.")
ROSTER_NO_AGENCY = _("“%(value)s” is not in %(agency)s.")
ROSTER_INACTIVE = _("The account “%(value)s” is deactivated.")
ROSTER_EMAIL_SHARED = _("Several accounts have the e-mail “%(value)s”: give the username instead.")
ROSTER_SAME_PERSON = _("The same person as in row %(row)s.")
ROSTER_TRAINER = _("“%(value)s” trains this session and cannot be its participant.")
ROSTER_TAKEN_MEANWHILE = _("A username of the file was taken a moment ago. Upload the file again.")
