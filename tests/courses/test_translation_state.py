"""The admin shows, per language, whether a lesson's translation is up to date, outdated or missing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Locale

from content.translation_state import MISSING, OUTDATED, SOURCE, UP_TO_DATE, translation_states
from courses.models import LessonPage

pytestmark = pytest.mark.django_db


def _states(page):
    return {entry.language: entry.state for entry in translation_states(page)}


def test_a_seeded_lesson_is_up_to_date_then_outdated_after_a_source_edit_then_missing_when_deleted(admin_client):
    lesson = LessonPage.objects.filter(locale__language_code="en").first()
    assert _states(lesson) == {"en": SOURCE, "ru": UP_TO_DATE, "tk": UP_TO_DATE}
    # any language version reports the same
    ru = lesson.get_translation(Locale.objects.get(language_code="ru"))
    assert _states(ru) == _states(lesson)
    # the source is published again after the last sync: both translations are outdated
    lesson.summary = "A new summary"
    lesson.save_revision().publish()
    LessonPage.objects.filter(pk=lesson.pk).update(last_published_at=timezone.now() + timedelta(seconds=5))
    lesson.refresh_from_db()
    assert _states(lesson) == {"en": SOURCE, "ru": OUTDATED, "tk": OUTDATED}
    # the editor sees it on the lesson's edit page, with a link to each translation editor
    html = admin_client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert 'data-language="ru" data-state="outdated"' in html
    assert f'href="/admin/pages/{ru.pk}/edit/"' in html
    assert admin_client.get(f"/admin/pages/{ru.pk}/edit/").status_code == 200  # the translation editor still opens
    # a translation deleted: missing, with a link to start it again
    lesson.get_translation(Locale.objects.get(language_code="tk")).delete()
    assert _states(lesson)["tk"] == MISSING
    html = admin_client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert 'data-language="tk" data-state="missing"' in html and "/localize/submit/page/" in html
