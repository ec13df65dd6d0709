from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page

register = template.Library()


def _page_urls_by_language(page: Page, request) -> dict[str, str]:
    """Return the URL of each live translation of ``page``, keyed by language code."""
    urls = {}
    for translated in page.get_translations(inclusive=True).live().select_related("locale"):
        url = translated.get_url(request)
        if url:
            urls[translated.locale.language_code] = url
    return urls


@register.inclusion_tag("components/language_switcher.html", takes_context=True)
def language_switcher(context):
    """The same page in each language: its translation for a Wagtail page, else the same view."""
    request = context["request"]
    page = context.get("page")
    page_urls = _page_urls_by_language(page, request) if isinstance(page, Page) else {}
    current_path = request.get_full_path()
    current = translation.get_language()
    languages = []
    for code, name in settings.LANGUAGES:
        url = page_urls.get(code) or translate_url(current_path, code)
        if url == current_path and code != current:
            url = f"/{code}/"
        languages.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"languages": languages, "request": request}
