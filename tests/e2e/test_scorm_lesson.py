"""A trainee takes the seed SCORM 1.2 and SCORM 2004 modules in Turkmen in Chromium: launches one,
answers, saves and closes it, comes back to resume where it was, and completes it; the lesson is done."""

import io
import json

import pytest
from django.core.management import call_command

from content.models import ScormAttempt
from content.scorm.services import scorm_package_create
from courses.models import LessonPage, LessonProgress
from tests.content.scorm_builders import seed_zip

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def lesson_server(live_server):
    call_command("seed_demo", "--without-curriculum", verbosity=0)
    return live_server


def attach(slug: str, version: str):
    lesson = LessonPage.objects.get(slug=slug, locale__language_code="tk")
    package = scorm_package_create(upload=io.BytesIO(seed_zip(version, "tk")))
    lesson.body = [*lesson.body.raw_data, {"type": "scorm", "value": {"package": package.pk, "introduction": "SCORM"}}]
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk), package


def wait_for(predicate, page, tries: int = 40):
    from django.db import OperationalError

    for _attempt in range(tries):
        try:
            if predicate():
                return True
        except OperationalError:  # SQLite: the live server (same connection) is writing right now
            pass
        page.wait_for_timeout(250)
    return False


CONSOLE: list = []  # the console of every frame of the test's page, printed when a SCO does not start


def sco_frame(page, package):
    section = page.locator(f"[data-scorm-package='{package.pk}']")
    section.scroll_into_view_if_needed()
    frame = page.frame_locator(f"[data-scorm-package='{package.pk}'] iframe")
    try:
        # a loaded machine may take a while to parse the runtime in a new frame
        frame.locator("h2#question-heading").wait_for(timeout=40_000)
    except Exception:
        print("console:", CONSOLE)
        raise
    return section, frame


# definitions-one holds no H5P activity: a player above the menu resizes while it loads and moves the buttons
@pytest.mark.parametrize("version, slug", [("1.2", "definitions-one"), ("2004", "definitions-one")])
def test_trainee_answers_closes_resumes_and_completes_a_scorm_module(lesson_server, page, axe_check, version, slug):
    errors = []
    CONSOLE.clear()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: CONSOLE.append(f"{message.type}: {message.text}"))
    lesson, package = attach(slug, version)
    page.goto(lesson_server.url + "/tk/accounts/login/")
    page.fill("#id_username", "trainee")
    page.fill("#id_password", "tot-demo-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/tk/dashboard/")

    page.goto(lesson_server.url + lesson.url)
    section = page.locator(f"[data-scorm-package='{package.pk}']")
    assert section.locator("[data-scorm-state]").get_attribute("data-scorm-state") == "new"
    axe_check(page, f"lesson with SCORM {version}")
    section.locator("[data-action=scorm-open]").click()
    section, frame = sco_frame(page, package)
    frame.locator("input[type=radio]").first.check()  # the first question's right answer
    frame.locator("[data-feedback=right]").wait_for()
    frame.locator("[data-action=next]").click()
    frame.locator("[data-question='1']").wait_for()
    frame.locator("[data-action=save-close]").click()
    # the SCO finishes, its last commit arrives, and the lesson page closes it
    section.locator("iframe").wait_for(state="detached")
    assert wait_for(lambda: ScormAttempt.objects.filter(package=package, exit="suspend").exists(), page)
    page.wait_for_timeout(500)
    attempt = ScormAttempt.objects.get(package=package)
    assert attempt.location == "1"
    assert json.loads(attempt.suspend_data) == {"answers": [0, None, None]}
    assert not LessonProgress.objects.filter(user=attempt.user, lesson_key=lesson.translation_key).exists()

    page.reload()
    section = page.locator(f"[data-scorm-package='{package.pk}']")
    assert section.locator("[data-scorm-state]").get_attribute("data-scorm-state") == "started"
    section.locator("[data-action=scorm-open]").click()
    section, frame = sco_frame(page, package)
    frame.locator("[data-notice=welcome_back]").wait_for()
    assert frame.locator("[data-question='1']").count() == 1  # where the learner left off
    frame.locator("input[type=radio]").first.check()
    frame.locator("[data-action=next]").click()
    frame.locator("[data-question='2']").wait_for()
    frame.locator("input[type=radio]").nth(1).check()
    frame.locator("[data-action=finish]").click()
    page.locator("#lesson-status .notice--ok").wait_for()
    section.locator("[data-scorm-state]").first.wait_for()
    assert wait_for(lambda: section.locator("[data-scorm-state]").get_attribute("data-scorm-state") in ("completed", "passed"), page)

    assert wait_for(lambda: ScormAttempt.objects.filter(package=package, finished=True).exists(), page)
    page.wait_for_timeout(500)
    attempt = ScormAttempt.objects.get(package=package)
    assert attempt.score_raw == 3 and attempt.number == 1 and attempt.finished
    if version == "1.2":
        assert attempt.lesson_status == "completed"
    else:
        assert (attempt.completion_status, attempt.success_status, attempt.score_scaled) == ("completed", "passed", 1.0)
    progress = LessonProgress.objects.get(user=attempt.user, lesson_key=lesson.translation_key)
    assert progress.source == LessonProgress.Source.ACTIVITY
    axe_check(page, f"lesson with SCORM {version} done")
    assert errors == []
