"""Course, module and lesson pages: tree rules, rendering, navigation, trainer notes, fallback."""

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from courses.models import CourseIndexPage, CoursePage, HomePage, LessonPage, ModulePage
from lms.people.roles import Role
from tests.courses.helpers import lesson_in
from tests.factories import person

pytestmark = pytest.mark.django_db


class PageTreeTests(WagtailPageTestCase):
    def test_page_tree_rules(self):
        self.assertAllowedSubpageTypes(HomePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage})
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage})
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})


@pytest.fixture
def trainee(agency_a):
    return person(username="learner", roles=[Role.TRAINEE], agency=agency_a)


@pytest.fixture
def trainer(agency_a):
    return person(username="coach", roles=[Role.TRAINER], agency=agency_a)


def test_course_pages_need_login(client, curriculum):
    lesson = lesson_in(curriculum, "tk")
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_lesson_renders_in_each_language(client, curriculum, trainee):
    client.force_login(trainee)
    for language, word in (("en", "English"), ("ru", "Русский"), ("tk", "Türkmençe")):
        lesson = lesson_in(curriculum, language)
        assert lesson.url.startswith(f"/{language}/")
        html = client.get(lesson.url).content.decode()
        assert f"{word} one paragraph one." in html
        assert f"{word} one key points" in html
        assert f'<html lang="{language}">' in html


def test_lesson_shows_the_provision_in_the_same_language(client, curriculum, trainee):
    client.force_login(trainee)
    html = client.get(lesson_in(curriculum, "tk").url).content.decode()
    assert "129-1-nji madda" in html
    assert "ç)" in html  # item labels exactly as written
    html_ru = client.get(lesson_in(curriculum, "ru").url).content.decode()
    assert "Статья 129-1" in html_ru


def test_trainer_notes_only_for_trainers(client, curriculum, trainee, trainer):
    url = lesson_in(curriculum, "en").url
    client.force_login(trainee)
    html = client.get(url).content.decode()
    assert "secret facilitation note" not in html
    assert "data-trainer-notes" not in html
    client.force_login(trainer)
    html = client.get(url).content.decode()
    assert "secret facilitation note" in html
    assert "English one step one" in html


def test_previous_and_next_navigation_crosses_modules(client, curriculum, trainee):
    client.force_login(trainee)
    second = lesson_in(curriculum, "tk", "definitions-two")
    context = client.get(second.url).context
    assert context["previous_lesson"].title == "Türkmençe lesson definitions one"
    assert context["next_lesson"].title == "Türkmençe lesson interviewing one"
    assert context["next_lesson"].url.startswith("/tk/")


def test_missing_translation_falls_back_to_english_with_a_notice(client, curriculum, trainee):
    tk_lesson = lesson_in(curriculum, "tk", "interviewing-two")
    en_lesson = lesson_in(curriculum, "en", "interviewing-two")
    tk_url = tk_lesson.url
    tk_lesson.unpublish()
    client.force_login(trainee)
    fallback_url = "/tk/" + en_lesson.url.split("/", 2)[2]
    response = client.get(fallback_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="tk">' in html
    assert "English two paragraph one." in html
    assert "notice--fallback" in html
    # the module page in Turkmen links to the fallback under /tk/
    module_html = client.get(tk_url.rsplit("/", 2)[0] + "/").content.decode()
    assert fallback_url in module_html


def test_lesson_page_query_count_is_constant(client, curriculum, trainee, django_assert_max_num_queries):
    client.force_login(trainee)
    url = lesson_in(curriculum, "tk").url
    client.get(url)  # warm the navigation cache
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200


def test_course_page_lists_modules_with_progress(client, curriculum, trainee):
    client.force_login(trainee)
    course = curriculum["tot"].get_translation(curriculum["locales"]["ru"])
    response = client.get(course.url)
    outline = response.context["outline"]
    assert [module.module.title for module in outline.modules] == ["Русский module 1", "Русский module 2"]
    assert outline.total == 4
    assert outline.percent == 0
