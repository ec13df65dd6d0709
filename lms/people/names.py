"""The name the site shows for a person: one rule for pages, messages, mails, exports and the API."""


def display_name(user) -> str:
    """Return the user's full name, or their username when they gave no name."""
    return user.get_full_name() or user.get_username()
