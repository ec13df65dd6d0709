"""Absolute links from one public base URL (``WAGTAILADMIN_BASE_URL``), for whatever leaves the site:
QR codes on certificates, e-mails, calendar feeds, printed kits and exports.

A link in something sent to a person is reversed in *their* language (``translation.override``), so it
carries their language prefix: ``absolute_reverse_lazy`` defers the reversing until the link is rendered,
which ``lms.people.mail.mail_in_language`` does in the recipient's language.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.functional import lazy

# The setting's value when WAGTAILADMIN_BASE_URL is not in the environment (lms/settings/base.py): the
# embedded default, where the site may run on any host and port, so a request's own host is the better guess.
EMBEDDED_BASE_URL = "http://127.0.0.1:8000"


def base_url(request=None) -> str:
    """Return the public base URL of the site, without a trailing slash.

    The setting when it is configured; in the embedded default (the setting left at its default) the
    address the request came in by, when there is a request, else the default.
    """
    configured = (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")
    if request is not None and configured in ("", EMBEDDED_BASE_URL):
        return f"{request.scheme}://{request.get_host()}"
    return configured or EMBEDDED_BASE_URL


def absolute_url(path: str, *, request=None) -> str:
    """Return ``path`` (``/ru/training/sessions/12/``) as an absolute URL on the public base URL."""
    return base_url(request) + "/" + str(path).lstrip("/")


def absolute_reverse(viewname: str, *, args=None, kwargs=None, request=None) -> str:
    """Reverse ``viewname`` in the active language and make it absolute."""
    return absolute_url(reverse(viewname, args=args, kwargs=kwargs), request=request)


# reversed when rendered: in an e-mail, in the recipient's language
absolute_reverse_lazy = lazy(absolute_reverse, str)
