from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page

from courses.selectors import translation_urls
from lms.navigation import breadcrumb_trail
from lms.people.names import display_name as _display_name

register = template.Library()


@register.inclusion_tag("components/language_switcher.html", takes_context=True)
def language_switcher(context):
    """The same page in each language: its translation for a Wagtail page, else the same view."""
    request = context["request"]
    page = context.get("page")
    page_urls = translation_urls(page=page, request=request) if isinstance(page, Page) else {}
    current_path = request.get_full_path()
    current = translation.get_language()
    languages = []
    for code, name in settings.LANGUAGES:
        url = page_urls.get(code) or translate_url(current_path, code)
        if url == current_path and code != current:
            url = f"/{code}/"
        languages.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"languages": languages, "request": request}


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, or None."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def display_name(user) -> str:
    """``{{ user|display_name }}``: the name the site shows for a person (``lms.people.names``)."""
    return _display_name(user) if getattr(user, "is_authenticated", False) else ""


@register.inclusion_tag("components/breadcrumbs.html")
def breadcrumbs(*parts):
    """``{% breadcrumbs "sessions" session _("Roster") %}``: Dashboard › Cascade sessions › the session › Roster.

    Each part is a section key of ``lms.navigation.CRUMBS``, an object with a page (a session, a cohort) or
    the label of the current page; the last part is the current page.
    """
    return {"trail": breadcrumb_trail(*parts)}
