"""Cached routes, view restrictions, permissions and lesson bodies never serve what changed since."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from lms.people.roles import Role
from tests.courses.helpers import lesson_in
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee(agency_a):
    return person(username="learner", roles=[Role.TRAINEE], agency=agency_a)


@pytest.fixture
def trainer(agency_a):
    return person(username="coach", roles=[Role.TRAINER], agency=agency_a)


def test_warm_lesson_page_needs_few_queries(client, curriculum, trainee, django_assert_num_queries, settings):
    """The page and the learner's progress: the session (cached_db, as in production), the user with their
    roles and permissions (the header menu, trainer notes) and the last visit cost no query; nothing per
    block, lesson or module."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(trainee)
    url = lesson_in(curriculum, "ru").url
    client.get(url)
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200


def test_warm_lesson_page_with_database_sessions(client, curriculum, trainee, django_assert_num_queries):
    """The embedded default keeps sessions in the database: one query more."""
    client.force_login(trainee)
    url = lesson_in(curriculum, "ru").url
    client.get(url)
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200


def test_unpublished_lesson_is_not_served_from_a_cached_route(client, curriculum, trainee):
    client.force_login(trainee)
    lesson = lesson_in(curriculum, "ru")
    url = lesson.url
    assert client.get(url).status_code == 200
    lesson.unpublish()
    response = client.get(url)
    # the Russian page is gone: the English source is served under /ru/ with the notice
    assert response.status_code == 200
    assert "notice--fallback" in response.content.decode()
    assert "English one paragraph one." in response.content.decode()


def test_moved_slug_gives_the_old_url_a_404(client, curriculum, trainee):
    client.force_login(trainee)
    lesson = lesson_in(curriculum, "en")
    old_url = lesson.url
    assert client.get(old_url).status_code == 200
    lesson.slug = "definitions-renamed"
    lesson.save_revision().publish()
    assert client.get(old_url).status_code == 404
    assert client.get(old_url.replace("definitions-one", "definitions-renamed")).status_code == 200


def test_new_view_restriction_applies_at_once(client, curriculum, trainee):
    client.force_login(trainee)
    lesson = lesson_in(curriculum, "en")
    assert client.get(lesson.url).status_code == 200
    restriction = PageViewRestriction.objects.create(page=lesson, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get(name=Role.MANAGER)])
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_cached_restrictions_are_the_same_as_wagtails(curriculum):
    from wagtail.models import Page

    lesson = lesson_in(curriculum, "tk")
    expected = set(Page.get_view_restrictions(lesson).values_list("pk", flat=True))
    assert expected  # the course index asks for a login
    assert {restriction.pk for restriction in lesson.get_view_restrictions()} == expected
    assert lesson.get_view_restrictions().order_by("pk").exists()


def test_trainer_notes_disappear_when_the_role_is_removed(client, curriculum, trainer):
    url = lesson_in(curriculum, "en").url
    client.force_login(trainer)
    assert "secret facilitation note" in client.get(url).content.decode()
    trainer.groups.remove(Group.objects.get(name=Role.TRAINER))
    assert "secret facilitation note" not in client.get(url).content.decode()


def test_cached_body_of_a_trainer_is_not_shown_to_a_trainee(client, curriculum, trainee, trainer):
    url = lesson_in(curriculum, "tk").url
    client.force_login(trainer)
    assert "data-trainer-notes" in client.get(url).content.decode()
    client.force_login(trainee)
    assert "data-trainer-notes" not in client.get(url).content.decode()


def test_published_edit_and_provision_change_show_at_once(client, curriculum, trainee):
    client.force_login(trainee)
    lesson = lesson_in(curriculum, "en")
    assert "English one paragraph one." in client.get(lesson.url).content.decode()
    for block in lesson.body:
        if block.block_type == "text":
            block.value = block.block.to_python("<p>A paragraph rewritten by an editor.</p>")
            break
    lesson.save_revision().publish()
    html = client.get(lesson.url).content.decode()
    assert "A paragraph rewritten by an editor." in html
    assert "English one paragraph one." not in html

    provision = curriculum["provisions"]["cc-129-1-2010"]
    provision.title = "A title changed by an editor"
    provision.save()
    assert "A title changed by an editor" in client.get(lesson.url).content.decode()
