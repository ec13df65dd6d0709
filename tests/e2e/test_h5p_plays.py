"""Real-world H5P needs, each built into one small package that plays in the lesson's sandboxed player:
code made with eval/new Function (QuestionSet's EmbeddedJS), a blob: worker (AudioRecorder), a fetch
that makes the browser send a preflight OPTIONS (Timeline), an image drawn on a canvas and read back
(Agamotto: only possible when the image was loaded with crossorigin and the file answers CORS), and a
standalone question that reports only "answered" with result.completion true, which completes the lesson.

The CSP listener of conftest.py fails the test on any violation, in the player's frame as elsewhere.
"""

import io
import json
import struct
import zlib

import pytest
from django.core.management import call_command
from django.core.signals import request_started

from content.h5p.services import h5p_package_create
from content.models import H5PStatement
from courses.models import LessonPage, LessonProgress
from tests.content.h5p_builders import library_files, package_bytes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PLAYS_JS = """
(function () {
  window.LMS = window.LMS || {};
  LMS.Plays = function (params, contentId) {
    H5P.EventDispatcher.call(this);
    this.params = params;
    this.contentId = contentId;
  };
  LMS.Plays.prototype = Object.create(H5P.EventDispatcher.prototype);
  LMS.Plays.prototype.constructor = LMS.Plays;
  LMS.Plays.prototype.attach = function ($container) {
    var self = this;
    var root = document.documentElement;
    var report = function (key, value) { root.setAttribute("data-plays-" + key, String(value)); };

    // 1. template code compiled at run time, as EmbeddedJS does
    try { report("eval", new Function("a", "b", "return a + b;")(20, 22) + eval("0")); }
    catch (error) { report("eval", "blocked:" + error.name); }

    // 2. a worker from a blob: URL, as AudioRecorder's encoder
    try {
      var source = URL.createObjectURL(new Blob(["postMessage(6 * 7);"], { type: "text/javascript" }));
      var worker = new Worker(source);
      worker.onmessage = function (event) { report("worker", event.data); };
      worker.onerror = function () { report("worker", "error"); };
    } catch (error) { report("worker", "blocked:" + error.name); }

    // 3. a request with a header that is not CORS-safelisted: the browser sends a preflight first
    fetch(H5P.getPath("data.json", self.contentId), { headers: { "Content-Type": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) { report("preflight", data.answer); })
      .catch(function (error) { report("preflight", "failed:" + error); });

    // 4. an image of the package drawn on a canvas and read back
    var image = new Image();
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = 2; canvas.height = 2;
      var context = canvas.getContext("2d");
      context.drawImage(image, 0, 0);
      try { report("canvas", Array.prototype.slice.call(context.getImageData(0, 0, 1, 1).data, 0, 3).join(","));
            report("crossorigin", image.crossOrigin); }
      catch (error) { report("canvas", "tainted:" + error.name); }
    };
    image.onerror = function () { report("canvas", "not loaded"); };
    H5P.setSource(image, { path: "images/red.png" }, self.contentId);

    // 5. a standalone question: only "answered", with result.completion true
    var button = document.createElement("button");
    button.type = "button";
    button.className = "plays-answer";
    button.textContent = "Answer";
    button.addEventListener("click", function () { self.triggerXAPIScored(1, 1, "answered", true, true); });
    $container.append(button);
    report("microphone", document.featurePolicy ? document.featurePolicy.allowsFeature("microphone") : "unknown");
  };
})();
"""


def png_red_2x2() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def plays_package_bytes() -> bytes:
    return package_bytes(
        title="Plays",
        main="LMS.Plays",
        libraries=library_files("LMS.Plays", js=PLAYS_JS),
        content={"text": "plays"},
        extra={
            "content/data.json": json.dumps({"answer": 42}),
            "content/images/red.png": png_red_2x2(),
            "README.md": "ignored, as H5P does",
            "__MACOSX/content/._data.json": "ignored",
        },
    )


@pytest.fixture
def plays_lesson(live_server):
    call_command("seed_demo", "--without-curriculum", verbosity=0)
    package = h5p_package_create(upload=io.BytesIO(plays_package_bytes()))
    package.microphone = True
    package.save(update_fields=["microphone"])
    lesson = LessonPage.objects.get(slug="definitions-one", locale__language_code="en")
    lesson.body.append(("h5p", {"package": package, "introduction": "Plays"}))
    lesson.save_revision().publish()
    return live_server, lesson, package


def test_a_package_needing_eval_workers_preflight_and_an_untainted_canvas_plays_and_completes(plays_lesson, page):
    server, lesson, package = plays_lesson
    errors, preflights = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def seen(sender, environ, **kwargs):  # Chromium's preflights do not reach Playwright's request events
        if environ.get("REQUEST_METHOD") == "OPTIONS":
            preflights.append(environ.get("PATH_INFO", ""))

    request_started.connect(seen)
    page.goto(server.url + "/en/accounts/login/")
    page.fill("#id_username", "trainee")
    page.fill("#id_password", "tot-demo-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/dashboard/")

    page.goto(server.url + lesson.url)
    section = page.locator(f"[data-h5p-package='{package.pk}']")
    section.scroll_into_view_if_needed()
    iframe = section.locator("iframe")
    assert iframe.get_attribute("sandbox") == "allow-scripts"
    assert iframe.get_attribute("allow") == "microphone"  # the editor opted this package in
    frame = iframe.element_handle().content_frame()
    frame.locator(".plays-answer").wait_for()
    frame.wait_for_function(
        "() => ['eval', 'worker', 'preflight', 'canvas'].every(k => document.documentElement.hasAttribute('data-plays-' + k))"
    )
    plays = frame.evaluate(
        "() => Object.fromEntries([...document.documentElement.attributes]"
        ".filter(a => a.name.startsWith('data-plays-')).map(a => [a.name.slice(11), a.value]))"
    )
    assert plays["eval"] == "42", plays
    assert plays["worker"] == "42", plays
    assert plays["preflight"] == "42", plays
    request_started.disconnect(seen)
    assert any(path.endswith("/content/data.json") for path in preflights), preflights
    assert plays["canvas"] == "255,0,0", plays
    assert plays["crossorigin"] == "anonymous", plays
    assert plays["microphone"] == "true", plays

    frame.locator(".plays-answer").click()
    page.locator("[data-h5p-done]").wait_for()
    progress = LessonProgress.objects.get(user__username="trainee", lesson_key=lesson.translation_key)
    assert progress.source == LessonProgress.Source.ACTIVITY
    stored = H5PStatement.objects.get(user__username="trainee")
    assert stored.verb.endswith("/answered") and stored.completed
    assert errors == []


def test_without_the_opt_in_the_player_gets_no_microphone(plays_lesson, page):
    server, lesson, package = plays_lesson
    package.microphone = False
    package.save(update_fields=["microphone"])
    page.goto(server.url + "/en/accounts/login/")
    page.fill("#id_username", "trainee")
    page.fill("#id_password", "tot-demo-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/dashboard/")
    page.goto(server.url + lesson.url)
    section = page.locator(f"[data-h5p-package='{package.pk}']")
    section.scroll_into_view_if_needed()
    iframe = section.locator("iframe")
    frame = iframe.element_handle().content_frame()
    frame.locator(".plays-answer").wait_for()
    assert iframe.get_attribute("allow") is None
    assert frame.evaluate("() => document.documentElement.getAttribute('data-plays-microphone')") == "false"
