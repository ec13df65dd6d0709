"""A trainee completes the case-sort activity in Turkmen in the real player; the lesson is marked done,
and the activity resumes where it was when the lesson is opened again."""

import json

import pytest
from django.core.management import call_command

from content.models import H5PStatement, H5PUserState
from content.seed.h5p.package import ACTIVITIES_DIR
from courses.models import LessonPage, LessonProgress

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def lesson_server(live_server):
    call_command("seed_demo", "--without-curriculum", verbosity=0)
    return live_server


def player_frame(page):
    """The activity's frame: our sandboxed player."""
    section = page.locator("[data-h5p-package]").first
    section.scroll_into_view_if_needed()
    outer = section.locator("iframe").element_handle().content_frame()
    outer.locator(".lms-cs").wait_for()
    return outer


def test_trainee_completes_the_activity_and_the_lesson_is_done(lesson_server, page, screenshot):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    content = json.loads((ACTIVITIES_DIR / "case-sort.json").read_text(encoding="utf-8"))["languages"]["tk"]["content"]
    labels = {category["key"]: category["label"] for category in content["categories"]}
    keys = [statement["category"] for statement in content["statements"]]

    page.goto(lesson_server.url + "/tk/accounts/login/")
    page.fill("#id_username", "trainee")
    page.fill("#id_password", "tot-demo-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/tk/dashboard/")

    lesson = LessonPage.objects.get(slug="definitions-two", locale__language_code="tk")
    page.goto(lesson_server.url + lesson.url)
    frame = player_frame(page)
    items = frame.locator(".lms-cs-item")
    assert items.count() == len(keys)
    # answer half, leave, and come back: the answers are kept on the server
    half = len(keys) // 2
    for index in range(half):
        items.nth(index).get_by_role("radio", name=labels[keys[index]], exact=True).check()
    for _attempt in range(40):
        if H5PUserState.objects.filter(user__username="trainee").exists():
            break
        page.wait_for_timeout(500)
    saved = json.loads(H5PUserState.objects.get(user__username="trainee").data)
    assert saved["answers"][:half] == keys[:half]
    page.reload()
    frame = player_frame(page)
    items = frame.locator(".lms-cs-item")
    for index in range(half):
        assert items.nth(index).get_by_role("radio", name=labels[keys[index]], exact=True).is_checked()

    for index in range(half, len(keys)):
        items.nth(index).get_by_role("radio", name=labels[keys[index]], exact=True).check()
    frame.get_by_role("button", name="Barlamak", exact=True).click()
    page.locator("[data-h5p-done]").wait_for()
    assert "sapak geçildi" in page.locator("#lesson-status").inner_text()
    screenshot("31-h5p-lesson-done-tk")

    progress = LessonProgress.objects.get(user__username="trainee", lesson_key=lesson.translation_key)
    assert progress.source == LessonProgress.Source.ACTIVITY
    # the activity reports "answered" (result.completion true) and then "completed": each completes, once
    completing = H5PStatement.objects.filter(user__username="trainee", completed=True)
    assert sorted(verb.rsplit("/", 1)[1] for verb in completing.values_list("verb", flat=True)) == ["answered", "completed"]
    page.reload()
    assert page.locator("#lesson-status .notice--ok").count() == 1
    assert errors == []
