"""Read responses from the test form (which works without JavaScript; autosave posts the same fields).

Field names per item at position N: ``qN`` (single, multiple, true/false, short, numerical, rubric),
``qN-<item>`` (matching: the chosen choice; ordering: the position given to the item) and
``qN-<element>`` (case qualification) and ``qN-<gap>`` (embedded answers: the text, option or options of
each gap). The result has the shapes of ``assessments/FORMAT.md``;
``assessments.scoring.response_validate`` checks them against the question. Each kind reads its own
fields (``Kind.from_post`` in ``assessments/kinds/``).
"""

from django import forms

from content.bounds import bounded

from . import kinds
from .kinds.ordering import ORDER_INCOMPLETE  # noqa: F401 — the knowledge check's view tells it apart
from .models import Answer


def response_from_post(*, item, post):
    """The response to item ``item`` (an ``ItemView``) in ``post`` (a QueryDict), or None if unanswered."""
    rules = kinds.get(item.kind)
    return rules.from_post(item=item, post=post, name=f"q{item.position}") if rules is not None else None


class AutosaveForm(forms.Form):
    """The item an autosave is for: its position in the attempt (the column's range)."""

    position = forms.IntegerField(**bounded(Answer, "position"))
