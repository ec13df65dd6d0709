"""Enrolment and progress belong to the course and lesson across languages."""

import pytest
from django.urls import reverse
from django.utils import translation

from courses import selectors, services
from courses.exceptions import EnrolmentClosed, NotEnrolled
from courses.models import CourseCompletion, Enrolment, LessonPage, LessonProgress
from lms.people.roles import Role
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee(agency_a):
    return person(username="learner", roles=[Role.TRAINEE], agency=agency_a)


def lessons(curriculum, language):
    tot = curriculum["tot"].get_translation(curriculum["locales"][language])
    return list(LessonPage.objects.descendant_of(tot).order_by("path"))


def test_progress_is_kept_when_the_learner_switches_language(curriculum, trainee):
    tk_lessons = lessons(curriculum, "tk")
    services.enrolment_create(user=trainee, course=curriculum["tot"].get_translation(curriculum["locales"]["tk"]))
    services.lesson_complete(user=trainee, lesson=tk_lessons[0])
    ru_course = curriculum["tot"].get_translation(curriculum["locales"]["ru"])
    with_ru = selectors.course_outline(course=ru_course, user=trainee)
    assert with_ru.enrolled
    assert with_ru.done == 1
    assert with_ru.percent == 25
    assert lessons(curriculum, "ru")[0].translation_key in with_ru.modules[0].completed_keys


def test_marking_every_lesson_done_completes_the_course_once(curriculum, trainee):
    services.enrolment_create(user=trainee, course=curriculum["tot"])
    for lesson in lessons(curriculum, "en"):
        services.lesson_complete(user=trainee, lesson=lesson)
        services.lesson_complete(user=trainee, lesson=lesson)  # a double submit counts once
    assert LessonProgress.objects.filter(user=trainee).count() == 4
    completion = CourseCompletion.objects.get(user=trainee, course_key=curriculum["tot"].translation_key)
    assert completion.completed_at is not None


def test_a_completed_course_offers_its_certificate(client, curriculum, trainee):
    course = curriculum["tot"]
    services.enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    with translation.override("en"):  # the English course page links in English
        link = reverse("trainers:course_certificate_pdf", args=[course.translation_key])
    assert link not in client.get(course.url).content.decode()
    for lesson in lessons(curriculum, "en"):
        services.lesson_complete(user=trainee, lesson=lesson)
    assert link in client.get(course.url).content.decode()


def test_reused_lessons_count_in_both_courses(curriculum, trainee):
    refresher = curriculum["refresher"]
    services.enrolment_create(user=trainee, course=refresher)
    nav = selectors.course_nav(course_key=refresher.translation_key, language="en")
    reused = [lesson for lesson in nav.lessons]
    assert [lesson.reused for lesson in reused] == [True, True]
    en_lessons = {lesson.translation_key: lesson for lesson in lessons(curriculum, "en")}
    for item in reused:
        # the refresher links to the lessons of the ToT course; nothing was copied
        assert item.key in en_lessons
        services.lesson_complete(user=trainee, lesson=en_lessons[item.key])
    assert CourseCompletion.objects.filter(user=trainee, course_key=refresher.translation_key).exists()
    assert LessonPage.objects.filter(slug="definitions-one").count() == 3  # en, ru, tk: no copies


def test_progress_needs_an_enrolment(curriculum, trainee):
    with pytest.raises(NotEnrolled):
        services.lesson_complete(user=trainee, lesson=lessons(curriculum, "en")[0])
    assert not LessonProgress.objects.exists()


def test_closed_course_refuses_self_enrolment(curriculum, trainee):
    course = curriculum["tot"]
    course.self_enrolment = False
    with pytest.raises(EnrolmentClosed):
        services.enrolment_create(user=trainee, course=course)
    assert not Enrolment.objects.exists()


def test_mark_as_done_button_enrols_and_moves_the_progress_bar(client, curriculum, trainee):
    client.force_login(trainee)
    first, second = lessons(curriculum, "tk")[:2]
    response = client.post(reverse("courses:lesson_done", args=[first.pk]), {"next": first.url})
    assert response.status_code == 302
    assert client.get(second.url).context["course_percent"] == 25
    client.post(reverse("courses:lesson_done", args=[second.pk]), {"next": second.url})
    page = client.get(second.url)
    assert page.context["course_percent"] == 50
    assert page.context["is_done"]
    assert 'aria-valuenow="50"' in page.content.decode()


def test_done_lessons_can_be_undone(client, curriculum, trainee):
    client.force_login(trainee)
    first = lessons(curriculum, "en")[0]
    client.post(reverse("courses:lesson_done", args=[first.pk]))
    client.post(reverse("courses:lesson_undone", args=[first.pk]))
    assert not LessonProgress.objects.filter(user=trainee).exists()


def test_mark_done_needs_post_and_login(client, curriculum):
    first = lessons(curriculum, "en")[0]
    assert client.post(reverse("courses:lesson_done", args=[first.pk])).status_code == 302
    assert not LessonProgress.objects.exists()


def test_dashboard_continues_where_the_learner_left_off(client, curriculum, trainee):
    client.force_login(trainee)
    tk = lessons(curriculum, "tk")
    client.post(reverse("courses:enrol", args=[curriculum["tot"].pk]))
    client.get(tk[2].url)
    dashboard = client.get("/tk/dashboard/")
    courses = next(section for section in dashboard.context["sections"] if section.key == "courses").items
    assert len(courses) == 1
    assert courses[0].action_url == tk[2].url
    assert "Türkmençe course tot" in dashboard.content.decode()


def test_coordinator_enrols_own_agency_only(client, curriculum, coordinator_a, agency_a, agency_b):
    own = person(username="own", agency=agency_a).profile
    other = person(username="other", agency=agency_b).profile
    client.force_login(coordinator_a)
    client.post(reverse("people:enrol"), {"course": curriculum["tot"].pk, "profiles": [own.pk, other.pk]})
    assert not Enrolment.objects.exists()  # nothing when any selected person is out of scope
    client.post(reverse("people:enrol"), {"course": curriculum["tot"].pk, "profiles": [own.pk]})
    enrolment = Enrolment.objects.get()
    assert (enrolment.user, enrolment.source, enrolment.enrolled_by) == (own.user, "coordinator", coordinator_a)
