"""Writes to the page tree: locales, home pages and (with the curriculum) courses."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Locale, Page, Site

from .models import HomePage

SOURCE_LANGUAGE = "en"


def locales_ensure() -> list[Locale]:
    """Create a Wagtail Locale for each site language; return them in settings order."""
    return [
        Locale.objects.get_or_create(language_code=code)[0] for code, _name in settings.LANGUAGES
    ]


def _publish_if_changed(page: HomePage, *, title: str, slug: str, intro: str) -> None:
    if page.live and (page.title, page.slug, page.intro) == (title, slug, intro):
        return
    page.title, page.slug, page.intro = title, slug, intro
    page.save_revision().publish()


def _welcome_page_remove() -> None:
    """Remove the placeholder page that Wagtail's first migration creates (and its site)."""
    plain_page_type = ContentType.objects.get_for_model(Page)
    for page in Page.objects.filter(depth=2, content_type=plain_page_type):
        Site.objects.filter(root_page=page).delete()
        page.delete()


@transaction.atomic
def home_pages_ensure(*, texts: dict[str, dict[str, str]], site_name: str) -> HomePage:
    """Create or update the home page in English and its translations; make it the site root."""
    locales = {locale.language_code: locale for locale in locales_ensure()}
    _welcome_page_remove()
    source_locale = locales[SOURCE_LANGUAGE]
    home = HomePage.objects.filter(locale=source_locale, depth=2).first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(live=False, locale=source_locale, **texts[SOURCE_LANGUAGE])
        )
    _publish_if_changed(home, **texts[SOURCE_LANGUAGE])

    for code, locale in locales.items():
        if code == SOURCE_LANGUAGE:
            continue
        translation = home.get_translation_or_none(locale)
        if translation is None:
            translation = home.copy_for_translation(locale)
        _publish_if_changed(translation.specific, **texts[code])

    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname = site.hostname or "localhost"
    site.port = site.port or 80
    site.site_name = site_name
    site.root_page = home
    site.save()
    return home
