"""What refuses a change to the pool of trainers; ``message`` says why in the user's language."""

from django.utils.translation import gettext_lazy as _


class TrainersError(Exception):
    """Base of the errors that trainers services raise with a message for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NotPermitted(TrainersError):
    """The acting user may not do this to this record."""


class TransitionRefused(TrainersError):
    """The certification cannot move from its status to the one asked for."""


class RequirementsNotMet(TrainersError):
    """A candidate or trainer lacks a requirement of the programme."""


class InvalidEvaluation(TrainersError):
    """A practice-teaching evaluation with a score out of range, no feedback, or a wrong evaluator."""


NOT_PERMITTED = _("You may not do this.")
ALREADY_NOMINATED = _("%(name)s is already in this programme (status: %(status)s).")
NOT_OF_YOUR_AGENCY = _("%(name)s is not in your agency.")
COHORT_CLOSED = _("This cohort ended on %(date)s: candidates can no longer be added.")
ILLEGAL_TRANSITION = _("A certification that is “%(status)s” cannot be %(action)s.")
REASON_REQUIRED = _("Give the reason: it is kept in the certification's history.")
REQUIREMENTS_UNMET = _("Not every requirement is met: %(unmet)s.")
VALIDITY_PASSED = _("The validity ended on %(date)s: the trainer has to be recertified instead.")
NOT_A_MASTER_TRAINER = _("Only a master trainer of the candidate's cohort may evaluate their practice teaching.")
SCORE_OUT_OF_RANGE = _("Each criterion is scored from 1 to 5.")
FEEDBACK_REQUIRED = _("Write the feedback for the candidate.")
NOT_A_CANDIDATE = _("Practice teaching is evaluated for candidates only.")
COURSE_NOT_COMPLETED = _("The course is not completed yet.")
TRY_AGAIN = _("Someone else changed these records at the same moment. Try again.")
