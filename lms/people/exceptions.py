class PeopleError(Exception):
    """Base of the errors that people services raise with a message for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class NotPermitted(PeopleError):
    """The acting user may not do this to this record."""


class InvalidAssignment(PeopleError):
    """An agency, unit or region does not fit together with the others."""
