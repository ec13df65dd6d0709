"""Read responses from the test form (which works without JavaScript; autosave posts the same fields).

Field names per item at position N: ``qN`` (single, multiple, true/false, short, rubric),
``qN-<item>`` (matching: the chosen choice; ordering: the position given to the item) and
``qN-<element>`` (case qualification). The result has the shapes of ``assessments/FORMAT.md``;
``assessments.scoring.response_validate`` checks them against the question.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from content.bounds import bounded

from .exceptions import BadResponse
from .models import Answer

ORDER_INCOMPLETE = _("Give every item of the ordering question a different position.")


def response_from_post(*, item, post):
    """The response to item ``item`` (an ``ItemView``) in ``post`` (a QueryDict), or None if unanswered."""
    name = f"q{item.position}"
    kind = item.kind
    if kind == "single":
        return post.get(name) or None
    if kind == "multiple":
        return [value for value in post.getlist(name) if value] or None
    if kind == "truefalse":
        value = post.get(name)
        return {"true": True, "false": False}.get(value)
    if kind in ("short", "rubric"):
        value = (post.get(name) or "").strip()
        return value or None
    if kind == "matching":
        pairs = {entry["key"]: post.get(f"{name}-{entry['key']}") for entry in item.public["items"]}
        pairs = {key: value for key, value in pairs.items() if value}
        return pairs or None
    if kind == "ordering":
        positions = {}
        for entry in item.public["items"]:
            value = post.get(f"{name}-{entry['key']}")
            if value:
                try:
                    positions[entry["key"]] = int(value)
                except ValueError:
                    raise BadResponse(ORDER_INCOMPLETE) from None
        if not positions:
            return None
        if len(positions) != len(item.public["items"]) or sorted(positions.values()) != list(range(1, len(positions) + 1)):
            raise BadResponse(ORDER_INCOMPLETE)
        return sorted(positions, key=positions.get)
    if kind == "case":
        response = {}
        for element in item.public["elements"]:
            values = [value for value in post.getlist(f"{name}-{element['key']}") if value]
            response[element["key"]] = values
        # nothing chosen anywhere is "not answered": an untouched case must not earn the elements
        # whose right answer is to choose nothing
        return response if any(response.values()) else None
    return None


class AutosaveForm(forms.Form):
    """The item an autosave is for: its position in the attempt (the column's range)."""

    position = forms.IntegerField(**bounded(Answer, "position"))
