"""A person's API token: one per person, replaced as a whole so that the old one stops working at once."""

from django.db import transaction
from rest_framework.authtoken.models import Token


def token_get(*, user) -> Token | None:
    return Token.objects.filter(user=user).first()


@transaction.atomic
def token_reset(*, user) -> Token:
    """Make the user's token, or replace it: a program holding the old one is refused from now on."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def token_revoke(*, user) -> None:
    """Remove the user's token: the API then answers only to their browser session."""
    Token.objects.filter(user=user).delete()
