"""Editors edit, programme managers review and publish; translations show their sync status."""

import pytest
from django.core.management import call_command
from wagtail.models import WorkflowState

from courses.models import LessonPage
from courses.translation_status import translations_out_of_date
from lms.people.roles import Role
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return person(username="ed", roles=[Role.EDITOR], agency=None, language="ru")


@pytest.fixture
def reviewer():
    return person(username="pm", roles=[Role.MANAGER], agency=None, language="en")


def test_editors_cannot_publish_and_a_manager_approves(curriculum, editor, reviewer):
    lesson = LessonPage.objects.get(slug="definitions-one", locale__language_code="en")
    assert lesson.permissions_for_user(editor).can_edit()
    assert not lesson.permissions_for_user(editor).can_publish()
    assert lesson.permissions_for_user(reviewer).can_publish()

    lesson.title = "Edited by the editor"
    revision = lesson.save_revision(user=editor)
    workflow = lesson.get_workflow()
    assert workflow.name == "Legal and methodology review"
    state = workflow.start(lesson, editor)
    lesson.refresh_from_db()
    assert lesson.title != "Edited by the editor"  # nothing is published before the review
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    state.current_task_state.approve(user=reviewer)
    lesson.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert lesson.title == "Edited by the editor"
    assert lesson.live_revision == revision or lesson.live_revision.created_at >= revision.created_at


def test_the_review_covers_translations(curriculum):
    tk_lesson = LessonPage.objects.get(slug="definitions-one", locale__language_code="tk")
    assert tk_lesson.get_workflow().name == "Legal and methodology review"


def test_editors_cannot_see_learners_data(client, curriculum, editor):
    client.force_login(editor)
    assert client.get("/ru/people/").status_code == 403
    assert client.get("/admin/").status_code == 200


def test_out_of_date_translations_are_listed_after_a_source_edit(client, curriculum, reviewer):
    assert translations_out_of_date() == []
    lesson = LessonPage.objects.get(slug="definitions-two", locale__language_code="en")
    lesson.summary = "A changed English summary"
    lesson.save_revision(user=reviewer).publish()
    rows = translations_out_of_date()
    assert {(row["source_page"].pk, row["locale"].language_code) for row in rows} == {(lesson.pk, "ru"), (lesson.pk, "tk")}
    client.force_login(reviewer)
    html = client.get("/admin/translations/out-of-date/").content.decode()
    assert html.count("data-translation-row") == 2


def test_search_finds_content_in_the_active_language_only(client, curriculum, agency_a):
    call_command("update_index", verbosity=0)
    client.force_login(person(username="reader", agency=agency_a))
    tk = client.get("/tk/learn/search/", {"q": "Türkmençe"}).context["page"]
    assert tk.paginator.count >= 1
    assert all(result.locale.language_code == "tk" for result in tk)
    ru = client.get("/ru/learn/search/", {"q": "Русский"}).context["page"]
    assert ru.paginator.count >= 1
    assert all(result.locale.language_code == "ru" for result in ru)
    nothing = client.get("/ru/learn/search/", {"q": "Türkmençe"}).context["page"]
    assert nothing.paginator.count == 0


def test_search_hides_login_only_content_from_anonymous_visitors(client, curriculum):
    call_command("update_index", verbosity=0)
    page = client.get("/en/learn/search/", {"q": "English"}).context["page"]
    assert page.paginator.count == 0
