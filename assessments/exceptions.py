"""What can go wrong when a learner starts, answers or submits a test, or a trainer grades it."""

from django.utils.translation import gettext_lazy as _


class AssessmentError(Exception):
    """A rule of the test refuses the action; ``message`` says why in the user's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class TestNotOpen(AssessmentError):
    """The test is not published, or outside its availability window."""


class NoAttemptsLeft(AssessmentError):
    """The learner used every attempt the test allows."""


class AttemptClosed(AssessmentError):
    """The attempt was submitted or its time ran out: answers are no longer taken."""


class SubmitNotConfirmed(AssessmentError):
    """A learner's final submit came without the confirmation of the summary page."""


class BadResponse(AssessmentError):
    """A response of the wrong shape, or for an item the attempt does not have."""


class NotEnoughItems(AssessmentError):
    """The bank cannot supply what the test's blueprint asks for."""


class GradingRefused(AssessmentError):
    """Awarded points outside a criterion's range, or an answer that needs no grading."""


TEST_NOT_PUBLISHED = _("This test is not open.")
TEST_NOT_YET_OPEN = _("This test opens on %(date)s.")
TEST_CLOSED = _("This test closed on %(date)s.")
NO_ATTEMPTS_LEFT = _("You have used all %(count)s attempts of this test.")
NO_ATTEMPT_LEFT_ONE = _("You have used the only attempt this test allows.")
ALREADY_PASSED = _("You passed this test; it is not taken again.")
SUBMIT_NOT_CONFIRMED = _("The test was not submitted: check the list of questions and confirm with “Submit for grading”.")
ATTEMPT_CLOSED = _("This attempt is closed: it was submitted or its time ran out.")
UNKNOWN_ITEM = _("This test has no item %(position)s.")
NOT_ENOUGH_ITEMS = _("The question bank has %(found)s items for module %(module)s, form %(form)s; the test needs %(count)s.")
NOTHING_TO_GRADE = _("This answer is graded automatically.")
