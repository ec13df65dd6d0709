"""Render stored rich text (Wagtail's format) as HTML, sanitised again at render time."""

from django import template
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

from content.sanitize import sanitize_rendered_html

register = template.Library()


@register.filter
def clean_richtext(value) -> str:
    """Like Wagtail's ``richtext`` filter, but passed through bleach: a crafted row cannot inject script."""
    return mark_safe(sanitize_rendered_html(expand_db_html(str(value or ""))))
