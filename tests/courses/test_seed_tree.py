import pytest

pytestmark = pytest.mark.django_db


def test_curriculum_seed_builds_translated_tree(curriculum):
    from courses.models import LessonPage
    tot = curriculum["tot"]
    lessons = LessonPage.objects.descendant_of(tot)
    assert lessons.count() == 4
    for language in ("ru", "tk"):
        translated = tot.get_translation(curriculum["locales"][language])
        assert translated.live
        assert LessonPage.objects.descendant_of(translated).count() == 4
