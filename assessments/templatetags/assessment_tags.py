"""Small lookups the test form needs: a dict entry by key, a key's place in an ordering response."""

from django import template

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
