"""Lesson texts for the terminology check (see ``content.terminology``)."""

from collections.abc import Iterator

from wagtail.admin.admin_url_finder import AdminURLFinder

from content.terminology import Text, strings

from .models import LessonPage


def lesson_texts() -> Iterator[Text]:
    """Title, summary and every text of the body (StreamField) of each lesson, in every language."""
    finder = AdminURLFinder()
    lessons = LessonPage.objects.select_related("locale").order_by("path")
    for lesson in lessons:
        location = f"{lesson.title} ({lesson.url_path})"
        url = finder.get_edit_url(lesson) or ""
        body = "\n".join(strings(lesson.body.raw_data, skip_keys=frozenset({"id", "type"})))
        yield Text("lesson", location, lesson.locale.language_code, "\n".join([lesson.title, lesson.summary or "", body]), url)
