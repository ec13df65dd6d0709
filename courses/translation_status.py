"""Which translations lag behind their English source (for the admin report)."""

from django.db.models import Max
from wagtail.models import Page
from wagtail_localize.models import Translation, TranslationLog


def translations_out_of_date() -> list[dict]:
    """Return translated pages whose source changed after the translation was last synced.

    A translation is out of date when the source page was published after wagtail-localize last read
    it (nobody pressed "Sync translated pages"), or when the source was re-read but the translation was
    not saved since.
    """
    translations = list(
        Translation.objects.filter(enabled=True, source__object__content_type__model__isnull=False)
        .select_related("source", "source__object", "target_locale")
    )
    keys = {translation.source.object.translation_key for translation in translations}
    pages = {
        (page.translation_key, page.locale_id): page
        for page in Page.objects.filter(translation_key__in=keys).select_related("locale")
    }
    logs = {
        (row["source_id"], row["locale_id"]): row["last"]
        for row in TranslationLog.objects.values("source_id", "locale_id").annotate(last=Max("created_at"))
    }
    rows = []
    for translation in translations:
        source = translation.source
        source_page = pages.get((source.object.translation_key, source.locale_id))
        target_page = pages.get((source.object.translation_key, translation.target_locale_id))
        if source_page is None or target_page is None:
            continue  # a snippet, or a translation not made yet
        last_synced = logs.get((source.pk, translation.target_locale_id))
        source_edited = bool(source_page.last_published_at and source_page.last_published_at > source.last_updated_at)
        not_saved = bool(last_synced is None or last_synced < source.last_updated_at)
        if source_edited or not_saved:
            rows.append(
                {
                    "source_page": source_page,
                    "page": target_page,
                    "locale": translation.target_locale,
                    "source_published_at": source_page.last_published_at,
                    "last_synced_at": last_synced,
                    "translation": translation,
                }
            )
    return sorted(rows, key=lambda row: (row["source_page"].path, row["locale"].language_code))
