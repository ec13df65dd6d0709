"""What refuses a report to someone, or a filter; the messages are constants the tests reuse."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

NOT_ALLOWED = _("Reports are open to programme managers and to the training coordinators of an agency.")
PERIOD_ORDER = _("The start of the period is after its end.")


class ReachNotAllowed(PermissionDenied):
    """The person is neither a programme manager nor the training coordinator of an agency."""
