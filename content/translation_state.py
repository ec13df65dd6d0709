"""Per language, whether a translatable page or snippet is translated, and whether that translation is up
to date with its source (wagtail-localize).

A translation is *outdated* when the source was published after its last sync (wagtail-localize's
``TranslationSource.last_updated_at``), or when a sync brought new source text that the translation has not
taken in yet (its ``destination_last_updated_at`` is older than the sync). No page or snippet in a language
is *missing*.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page

SOURCE = "source"
UP_TO_DATE = "up_to_date"
OUTDATED = "outdated"
MISSING = "missing"

LABELS = {
    SOURCE: _("source"),
    UP_TO_DATE: _("up to date"),
    OUTDATED: _("source changed since the last sync"),
    MISSING: _("missing"),
}


@dataclass(frozen=True)
class LanguageState:
    language: str
    name: str
    state: str
    edit_url: str = ""
    changed_at: datetime | None = None

    @property
    def label(self) -> str:
        return str(LABELS[self.state])


def _changed_at(instance) -> datetime | None:
    """When the source last changed: its last publication, else its latest revision."""
    published = getattr(instance, "last_published_at", None)
    if published is not None:
        return published
    revision = getattr(instance, "latest_revision", None)
    return getattr(revision, "created_at", None)


def _edit_url(instance) -> str:
    if isinstance(instance, Page):
        return reverse("wagtailadmin_pages:edit", args=[instance.pk])
    from wagtail.admin.admin_url_finder import AdminURLFinder

    return AdminURLFinder().get_edit_url(instance) or ""


def _translate_url(source) -> str:
    if isinstance(source, Page):
        return reverse("wagtail_localize:submit_page_translation", args=[source.pk])
    meta = source._meta
    return reverse("wagtail_localize:submit_snippet_translation", args=[meta.app_label, meta.model_name, source.pk])


def translation_states(instance) -> list[LanguageState]:
    """One entry per language of the site, in ``settings.LANGUAGES`` order: the source, then each
    translation's state with the link to its editor (or, when missing, to start it)."""
    from wagtail_localize.models import Translation, TranslationSource

    if instance.pk is None:
        return []
    names = dict(settings.LANGUAGES)
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    source = TranslationSource.objects.filter(object_id=instance.translation_key).select_related("locale").order_by(
        "-last_updated_at"
    ).first()
    source_language = source.locale.language_code if source else Locale.get_default().language_code
    source_instance = instance.get_translation_or_none(locales[source_language]) if source_language in locales else None
    source_instance = source_instance or instance
    changed = _changed_at(source_instance)
    syncs = {}
    if source is not None:
        syncs = {
            translation.target_locale_id: translation
            for translation in Translation.objects.filter(source=source)
        }
    states = []
    for code, _name in settings.LANGUAGES:
        locale = locales.get(code)
        if locale is None:
            continue
        name = str(names[code])
        if code == source_language:
            states.append(LanguageState(code, name, SOURCE, _edit_url(source_instance), changed))
            continue
        translated = instance.get_translation_or_none(locale)
        if translated is None:
            states.append(LanguageState(code, name, MISSING, _translate_url(source_instance)))
            continue
        state = UP_TO_DATE
        if source is not None:
            applied = getattr(syncs.get(locale.pk), "destination_last_updated_at", None)
            if (changed is not None and changed > source.last_updated_at) or (
                applied is not None and applied < source.last_updated_at
            ):
                state = OUTDATED
        states.append(LanguageState(code, name, state, _edit_url(translated), changed if state == OUTDATED else None))
    return states
