"""E-mail to a person in their own language (the language of their profile)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

log = logging.getLogger(__name__)


def user_language(user) -> str:
    """The language a person reads: their profile's, else the site's default."""
    profile = getattr(user, "profile", None)
    return (getattr(profile, "language", "") or settings.LANGUAGE_CODE)[:2]


def mail_in_language(*, recipient, subject_template: str, body_template: str, context: dict) -> None:
    """Render the subject and body in the recipient's language and send them.

    Pass links as ``content.urls.absolute_reverse_lazy(...)``: they are reversed while the mail is
    rendered, so they carry the recipient's language prefix.

    A mail server that is down is logged, not raised: the change that caused the mail is already made,
    and the other recipients still get theirs.
    """
    with translation.override(user_language(recipient)):
        context = {**context, "recipient": recipient}
        subject = render_to_string(subject_template, context).strip()
        body = render_to_string(body_template, context)
    try:
        send_mail(subject, body, None, [recipient.email])
    except Exception:
        log.exception("Mail to %s failed", recipient.email)
