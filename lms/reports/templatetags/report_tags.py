"""Template filters of the reports: p-values and flags as people read them."""

from django import template

from .. import presentation

register = template.Library()


@register.filter
def p_value(value) -> str:
    """"p < 0.001", "p = 0.03" or "—" (``presentation.p_value``)."""
    return presentation.p_value(value)


@register.filter
def sort_value(value) -> str:
    """The raw value of a cell for ``data-sort`` (a dot as the decimal separator, "" for none)."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value != value:  # NaN
        return ""
    return str(value)
