class CourseError(Exception):
    """Base of the errors that course services raise with a message for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class EnrolmentClosed(CourseError):
    """The course does not accept self-enrolment."""


class NotEnrolled(CourseError):
    """Progress is recorded only for learners enrolled in a course that holds the lesson."""


class ActivityNotAllowed(CourseError):
    """The activity is not used by a live lesson that this learner may see."""


class AttemptOutdated(CourseError):
    """A SCORM commit names an attempt that is no longer the learner's current one."""


class CompletedByCheck(CourseError):
    """The lesson is completed by answering its knowledge check, not by hand."""
