"""A page view writes nothing: the last visit is written only when it changes, at most once a minute per learner."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import selectors
from courses.models import LastVisit, LessonPage
from lms.people.roles import Role
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee(agency_a):
    return person(username="learner", roles=[Role.TRAINEE], agency=agency_a)


def lessons(curriculum, language):
    tot = curriculum["tot"].get_translation(curriculum["locales"][language])
    return list(LessonPage.objects.descendant_of(tot).order_by("path"))


def writes(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].split(None, 1)[0].upper() in {"UPDATE", "INSERT", "DELETE"}]


def a_minute_passes(user):
    cache.delete(f"courses:last-visit-written:{user.pk}")


def test_a_second_view_within_a_minute_writes_nothing(client, curriculum, trainee):
    client.force_login(trainee)
    lesson = lessons(curriculum, "tk")[0]
    with CaptureQueriesContext(connection) as first:
        assert client.get(lesson.url).status_code == 200
    assert any("courses_lastvisit" in sql for sql in writes(first))
    with CaptureQueriesContext(connection) as second:
        assert client.get(lesson.url).status_code == 200
    assert writes(second) == []
    assert not any("courses_lastvisit" in q["sql"] for q in second.captured_queries)


def test_the_same_lesson_after_a_minute_is_not_written_again(client, curriculum, trainee):
    client.force_login(trainee)
    lesson = lessons(curriculum, "tk")[0]
    client.get(lesson.url)
    a_minute_passes(trainee)
    with CaptureQueriesContext(connection) as again:
        client.get(lesson.url)
    assert writes(again) == []


def test_another_lesson_within_the_minute_is_remembered_and_written_later(client, curriculum, trainee):
    client.force_login(trainee)
    tk = lessons(curriculum, "tk")
    client.post(reverse("courses:enrol", args=[curriculum["tot"].pk]))
    client.get(tk[0].url)
    with CaptureQueriesContext(connection) as moved:
        client.get(tk[2].url)
    assert writes(moved) == []  # within the minute: the cache only
    course_key = curriculum["tot"].translation_key
    assert LastVisit.objects.get(user=trainee, course_key=course_key).lesson_key == tk[0].translation_key
    # the dashboard and the course page already continue at the newer lesson
    dashboard = client.get("/tk/dashboard/")
    courses = next(section for section in dashboard.context["sections"] if section.key == "courses").items
    assert courses[0].action_url == tk[2].url
    assert selectors.last_visits(user=trainee, course_keys=[course_key]) == {course_key: tk[2].translation_key}
    # the next view after the minute writes it
    a_minute_passes(trainee)
    with CaptureQueriesContext(connection) as later:
        client.get(tk[2].url)
    assert len(writes(later)) == 1
    assert LastVisit.objects.get(user=trainee, course_key=course_key).lesson_key == tk[2].translation_key


def test_a_lost_cache_falls_back_to_the_stored_visit(client, curriculum, trainee):
    client.force_login(trainee)
    tk = lessons(curriculum, "tk")
    client.get(tk[1].url)
    cache.clear()
    course_key = curriculum["tot"].translation_key
    assert selectors.last_visits(user=trainee, course_keys=[course_key]) == {course_key: tk[1].translation_key}


def test_a_preview_records_no_visit(curriculum, trainee, rf):
    from courses import services

    tk = lessons(curriculum, "tk")
    request = rf.get(tk[0].url)
    request.user = trainee
    request.is_preview = True
    tk[0].get_context(request)
    assert not LastVisit.objects.filter(user=trainee).exists()
    assert services.last_visit_record(user=trainee, course_key=curriculum["tot"].translation_key, lesson_key=tk[0].translation_key)
