"""Shared helpers of the course tests."""

from courses.models import LessonPage


def lesson_in(curriculum, language, slug="definitions-one"):
    lesson = LessonPage.objects.get(slug=slug, locale__language_code="en")
    return lesson.get_translation(curriculum["locales"][language])
