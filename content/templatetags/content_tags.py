"""``{{ value|safe_richtext }}``: the one template filter for stored rich text (see ``content.sanitize``)."""

from django import template

from content.sanitize import render_richtext

register = template.Library()


@register.filter
def safe_richtext(value):
    """Like Wagtail's ``richtext`` filter, then bleach with the project's allow-list: a crafted row or
    revision cannot inject script. Use it (never ``|richtext`` or ``|safe``) for every stored rich text."""
    return render_richtext(value)
