"""A trainee plays a SCORM 2004 package of three SCOs in Chromium: the lesson's table of contents, the
SCOs' own navigation requests (adl.nav.request continue, previous, choice, exit) and the lesson page's
Previous/Next, each leaving a SCO only after its data is committed; a SCO resumed shows the interaction
it recorded before (cmi.interactions through the server) and receives the learner's name and id."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from content.models import ScormAttempt
from content.scorm.learner import learner_id, learner_name
from content.scorm.services import scorm_package_create
from courses.models import LessonPage
from tests.content.scorm_builders import scorm_zip
from tests.e2e.test_scorm_lesson import wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCOS = [("one", "Part one", "one.html"), ("two", "Part two", "two.html"), ("three", "Part three", "three.html")]
REQUESTS = {"continue": "continue", "previous": "previous", "choose-three": "{target=three}choice", "exit": "exit"}

# the SCO: shows what the runtime gave it, records an interaction, and leaves with a navigation request
PROBE = """
(function () {
  var api = window.API_1484_11;
  api.Initialize("");
  var out = document.getElementById("out");
  ["cmi.entry", "cmi.learner_name", "cmi.learner_id", "cmi.interactions._count", "cmi.location",
   "adl.nav.request_valid.previous", "adl.nav.request_valid.continue"].forEach(function (element) {
    out.setAttribute("data-" + element.replace(/[._]/g, "-"), api.GetValue(element));
  });
  out.textContent = "ready";
  document.querySelector("[data-do=answer]").addEventListener("click", function () {
    var n = Number(api.GetValue("cmi.interactions._count"));
    api.SetValue("cmi.interactions." + n + ".id", document.body.id + "-q" + n);
    api.SetValue("cmi.interactions." + n + ".type", "true-false");
    api.SetValue("cmi.interactions." + n + ".learner_response", "true");
    api.SetValue("cmi.interactions." + n + ".result", "correct");
    api.SetValue("cmi.objectives.0.id", document.body.id + "-objective");
    api.SetValue("cmi.objectives.0.success_status", "passed");
    api.Commit("");
    out.setAttribute("data-answered", String(n + 1));
  });
  document.querySelectorAll("[data-request]").forEach(function (button) {
    button.addEventListener("click", function () {
      api.SetValue("cmi.location", "left-by-" + button.getAttribute("data-do"));
      api.SetValue("cmi.completion_status", "incomplete");
      api.SetValue("cmi.exit", "suspend");
      api.SetValue("adl.nav.request", button.getAttribute("data-request"));
      api.Terminate("");
    });
  });
})();
"""


def page_html(identifier: str, title: str) -> str:
    buttons = "".join(
        f'<button type="button" data-do="{name}" data-request="{request}">{name}</button>'
        for name, request in REQUESTS.items()
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
        f'<body id="{identifier}"><h1>{title}</h1><p id="out">loading</p>'
        f'<button type="button" data-do="answer">answer</button>{buttons}'
        f'<script src="probe.js"></script></body></html>'
    )


@pytest.fixture
def lesson_server(live_server):
    call_command("seed_demo", "--without-curriculum", verbosity=0)
    return live_server


def attach_three():
    lesson = LessonPage.objects.get(slug="definitions-one", locale__language_code="tk")
    files = {href: page_html(identifier, title) for identifier, title, href in SCOS}
    files["probe.js"] = PROBE
    package = scorm_package_create(upload=io.BytesIO(scorm_zip(version="2004", scos=SCOS, extra=files)))
    lesson.body = [*lesson.body.raw_data, {"type": "scorm", "value": {"package": package.pk, "introduction": "SCORM"}}]
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk), package


def playing(page, package, identifier: str):
    """Wait until the SCO ``identifier`` plays and has started its runtime; return its frame's output."""
    frame = page.frame_locator(f"[data-scorm-package='{package.pk}'] iframe")
    frame.locator(f"body#{identifier} #out[data-cmi-entry]").wait_for(timeout=40_000)
    return frame, frame.locator("#out")


def test_a_multi_sco_package_follows_the_scos_navigation_requests_and_the_lesson_buttons(lesson_server, page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    lesson, package = attach_three()
    trainee = get_user_model().objects.get(username="trainee")
    page.goto(lesson_server.url + "/tk/accounts/login/")
    page.fill("#id_username", "trainee")
    page.fill("#id_password", "tot-demo-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/tk/dashboard/")
    page.goto(lesson_server.url + lesson.url)
    section = page.locator(f"[data-scorm-package='{package.pk}']")
    # the table of contents: every SCO in the organization's order
    assert section.locator(".scorm-activity__item strong").all_inner_texts() == ["Part one", "Part two", "Part three"]
    section.locator("[data-action=scorm-open]").first.click()

    frame, out = playing(page, package, "one")
    assert out.get_attribute("data-cmi-entry") == "ab-initio"
    assert out.get_attribute("data-cmi-learner-name") == learner_name(trainee)
    assert out.get_attribute("data-cmi-learner-id") == learner_id(trainee)
    assert (out.get_attribute("data-adl-nav-request-valid-previous"),
            out.get_attribute("data-adl-nav-request-valid-continue")) == ("false", "true")
    assert section.locator("[data-action=scorm-previous]").is_disabled()
    frame.locator("[data-do=answer]").click()
    frame.locator("#out[data-answered='1']").wait_for()

    # the SCO asks to continue: the next SCO plays, after the first one's data is kept
    frame.locator("[data-do=continue]").click()
    frame, out = playing(page, package, "two")
    assert section.locator("[data-scorm-position]").get_attribute("data-scorm-position") == "1"
    first = ScormAttempt.objects.get(package=package, sco="one")
    assert (first.exit, first.location, first.cmi["cmi.interactions.0.id"]) == ("suspend", "left-by-continue", "one-q0")

    # the SCO asks for the previous one, which resumes with the interaction it recorded
    frame.locator("[data-do=previous]").click()
    frame, out = playing(page, package, "one")
    assert out.get_attribute("data-cmi-entry") == "resume"
    assert out.get_attribute("data-cmi-interactions--count") == "1"
    assert out.get_attribute("data-cmi-location") == "left-by-continue"

    # the lesson page's Next: the SCO is asked to end its session first, then the next one plays
    section.locator("[data-action=scorm-next]").click()
    frame, out = playing(page, package, "two")
    assert wait_for(lambda: ScormAttempt.objects.get(package=package, sco="one").exit == "", page)

    # a choice by identifier, then the last SCO's exit goes back to the table of contents
    frame.locator("[data-do=choose-three]").click()
    frame, out = playing(page, package, "three")
    assert out.get_attribute("data-adl-nav-request-valid-continue") == "false"
    assert section.locator("[data-action=scorm-next]").is_disabled()
    frame.locator("[data-do=exit]").click()
    section.locator("iframe").wait_for(state="detached")
    section.locator("[data-scorm-menu]").wait_for()
    assert wait_for(lambda: ScormAttempt.objects.filter(package=package, sco="three", location="left-by-exit").exists(), page)
    assert set(ScormAttempt.objects.filter(package=package).values_list("sco", flat=True)) == {"one", "two", "three"}
    assert errors == []
