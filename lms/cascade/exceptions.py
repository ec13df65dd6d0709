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
NOT_OF_AGENCY = _("%(name)s is not in the session's agency.")
ATTENDANCE_CLOSED = _("Attendance is taken for approved and delivered sessions.")
DAY_NOT_YET = _("Attendance of %(date)s can be taken from that day on.")
BAD_ATTENDANCE = _("The attendance sheet is not valid: reload the page and try again.")
REPORT_ACCEPTED = _("The report is already accepted.")
