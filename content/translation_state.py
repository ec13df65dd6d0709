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
    if instance.pk is None:
        return []
    return translation_states_many([instance])[instance.pk]


def translation_states_many(instances) -> dict[int, list[LanguageState]]:
    """``translation_states`` of many pages or snippets of one model at once (a listing's rows), by primary
    key, in a fixed number of queries whatever their number."""
    from wagtail_localize.models import Translation, TranslationSource

    instances = [instance for instance in instances if instance.pk is not None]
    if not instances:
        return {}
    model = type(instances[0])
    names = dict(settings.LANGUAGES)
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    keys = {instance.translation_key for instance in instances}
    sources = {}
    for source in TranslationSource.objects.filter(object_id__in=keys).select_related("locale").order_by(
        "last_updated_at"
    ):
        sources[source.object_id] = source  # the latest wins
    siblings = model.objects.filter(translation_key__in=keys)
    if any(field.name == "latest_revision" for field in model._meta.get_fields()):
        siblings = siblings.select_related("latest_revision")
    versions = {(sibling.translation_key, sibling.locale_id): sibling for sibling in siblings}
    syncs = {
        (translation.source_id, translation.target_locale_id): translation
        for translation in Translation.objects.filter(source__in=list(sources.values()))
    }
    default_language = Locale.get_default().language_code
    return {
        instance.pk: _states(instance, sources.get(instance.translation_key), locales, versions, syncs, names,
                             default_language)
        for instance in instances
    }


def _states(instance, source, locales, versions, syncs, names, default_language) -> list[LanguageState]:
    key = instance.translation_key
    source_language = source.locale.language_code if source else default_language
    source_instance = None
    if source_language in locales:
        source_instance = versions.get((key, locales[source_language].pk))
    source_instance = source_instance or instance
    changed = _changed_at(source_instance)
    states = []
    for code, _name in settings.LANGUAGES:
        locale = locales.get(code)
        if locale is None:
            continue
        name = str(names[code])
        if code == source_language:
            states.append(LanguageState(code, name, SOURCE, _edit_url(source_instance), changed))
            continue
        translated = versions.get((key, locale.pk))
        if translated is None:
            states.append(LanguageState(code, name, MISSING, _translate_url(source_instance)))
            continue
        state = UP_TO_DATE
        if source is not None:
            applied = getattr(syncs.get((source.pk, locale.pk)), "destination_last_updated_at", None)
            if (changed is not None and changed > source.last_updated_at) or (
                applied is not None and applied < source.last_updated_at
            ):
                state = OUTDATED
        states.append(LanguageState(code, name, state, _edit_url(translated), changed if state == OUTDATED else None))
    return states



# --- the same states as conditions on a queryset (a listing's filter) -----------------------------------


def translation_states_annotate(queryset):
    """``queryset`` with the latest ``TranslationSource`` of each row's translation key (its pk, locale and
    last sync: ``_ts_pk``, ``_ts_locale_id``, ``_ts_updated``), which ``translation_state_q`` reads."""
    from django.db.models import OuterRef, Subquery
    from wagtail_localize.models import TranslationSource

    latest = TranslationSource.objects.filter(object_id=OuterRef("translation_key")).order_by("-last_updated_at", "-pk")
    return queryset.annotate(
        _ts_pk=Subquery(latest.values("pk")[:1]),
        _ts_locale_id=Subquery(latest.values("locale_id")[:1]),
        _ts_updated=Subquery(latest.values("last_updated_at")[:1]),
    )


def translation_state_q(model, *, locale, state: str, default_locale):
    """The condition, on rows of ``model`` annotated by ``translation_states_annotate``, that the item's
    version in ``locale`` is in ``state`` (``SOURCE``, ``MISSING``, ``OUTDATED`` or ``UP_TO_DATE``) by the rules
    of ``translation_states``: it runs in the database, a few subqueries whatever the number of rows, and any
    language version of an item answers the same."""
    from django.db.models import Exists, OuterRef, Q
    from wagtail_localize.models import Translation

    key = OuterRef("translation_key")
    is_source = Q(_ts_pk__isnull=False, _ts_locale_id=locale.pk)
    not_source = Q(_ts_pk__isnull=False) & ~Q(_ts_locale_id=locale.pk)
    if locale.pk == default_locale.pk:  # never synced: the default language is the source
        is_source |= Q(_ts_pk__isnull=True)
    else:
        not_source |= Q(_ts_pk__isnull=True)
    if state == SOURCE:
        return is_source
    present = Exists(model.objects.filter(translation_key=key, locale_id=locale.pk))
    if state == MISSING:
        return ~present & not_source
    # a sync brought source text the translation has not taken in yet ...
    stale = Exists(
        Translation.objects.filter(
            source_id=OuterRef("_ts_pk"),
            target_locale_id=locale.pk,
            destination_last_updated_at__lt=OuterRef("_ts_updated"),
        )
    )
    # ... or the source changed (was published, else revised) after the last sync
    fields = {field.name for field in model._meta.get_fields()}
    changed_conditions = None
    if "last_published_at" in fields:
        changed_conditions = Q(last_published_at__gt=OuterRef("_ts_updated"))
        if "latest_revision" in fields:
            changed_conditions |= Q(last_published_at__isnull=True, latest_revision__created_at__gt=OuterRef("_ts_updated"))
    elif "latest_revision" in fields:
        changed_conditions = Q(latest_revision__created_at__gt=OuterRef("_ts_updated"))
    outdated, up_to_date = stale, ~stale
    if changed_conditions is not None:
        changed = Exists(
            model.objects.filter(translation_key=key, locale_id=OuterRef("_ts_locale_id")).filter(changed_conditions)
        )
        outdated, up_to_date = stale | changed, ~stale & ~changed
    if state == OUTDATED:
        return present & not_source & outdated
    if state == UP_TO_DATE:
        return present & not_source & up_to_date
    raise ValueError(state)
