"""Small lookups the test form needs: a dict entry by key, a key's place in an ordering response; the text of
an embedded-answers item with its gaps."""

import re

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from assessments.kinds.cloze import MARKER
from content.sanitize import render_richtext

register = template.Library()


@register.filter
def lookup(mapping, key):
    """``mapping[key]``, or None when there is no such entry (or no mapping)."""
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None


@register.filter
def position_of(sequence, key):
    """The 1-based place of ``key`` in an ordering response, or None."""
    if isinstance(sequence, list) and key in sequence:
        return sequence.index(key) + 1
    return None


# An HTML tag (quoted attribute values may hold ">") or the text between tags.
_HTML_TAG = re.compile(r"(<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>)")


@register.simple_tag
def cloze_text(prompt, item, name, review=False):
    """The text of an embedded-answers item with its gaps in place of ``{#N}``: inputs for the learner, or
    (``review``) what the learner answered, marked right or wrong.

    The text goes through ``render_richtext`` (bleach) first; each gap is rendered from a template with
    autoescaping, and only the markers of the text between tags are replaced.
    """
    public = getattr(item, "public", None) or {}
    gaps = {gap["key"]: gap for gap in public.get("gaps") or []}
    response = item.response if isinstance(getattr(item, "response", None), dict) else {}
    parts = ((getattr(item, "extra", None) or {}).get("parts") or {}) if review else {}
    total = len(gaps)

    def gap_html(match):
        gap = gaps.get(match.group(1))
        if gap is None:
            return match.group(0)
        key = gap["key"]
        value = response.get(key)
        chosen = value if isinstance(value, list) else ([value] if value else [])
        part = parts.get(key)
        context = {
            "gap": gap,
            "field": f"{name}-{key}",
            "id": f"{name}-gap-{key}",
            "number": key,
            "total": total,
            "value": value if isinstance(value, str) else "",
            "chosen": chosen,
            "shown": ", ".join(option["text"] for option in gap.get("options") or [] if option["key"] in chosen)
            if gap["type"] == "choice"
            else (value or ""),
            "review": review,
            "verdict": None if part is None else ("right" if str(part) == "1" else ("wrong" if str(part) == "0" else "partly")),
        }
        return render_to_string("assessments/_cloze_gap.html", context).strip()

    pieces = _HTML_TAG.split(str(render_richtext(prompt)))
    out = [piece if piece.startswith("<") else MARKER.sub(gap_html, piece) for piece in pieces]
    return mark_safe("".join(out))  # noqa: S308 - bleach-cleaned text and autoescaped gap templates
