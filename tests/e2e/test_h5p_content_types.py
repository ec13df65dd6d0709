"""Our H5P content types (LMS.CaseSort, LMS.IndicatorCheck, both built on LMS.ChoiceTask) in the real
h5p-standalone player, without Django.

Each test extracts a built seed package into a temporary folder next to the player's dist/, serves it on
127.0.0.1 and drives Debian's Chromium. The player's default embed type is used (an iframe): the H5P
instance lives in the iframe, while xAPI statements reach ``H5P.externalDispatcher`` of the page.

Previous state: h5p-standalone 3.8.2 hands the core ``contentUserData`` unchanged, and the core reads
``contentUserData[subContentId][dataType]`` as a JSON string, then passes it to the constructor as
``extras.previousState`` only when ``saveFreq`` is a number. So the shape that works is
``{saveFreq: <seconds>, contentUserData: [{state: "<JSON>"}]}``; the README's
``[{dataType: 'state', previousState: '…', subContentId: '*'}]`` is ignored (checked below).
"""

import functools
import io
import json
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from content.seed.h5p.package import ACTIVITIES_DIR, LANGUAGES, activity_slugs, package_build

PLAYER_DIST = Path(__file__).resolve().parents[2] / "node_modules" / "h5p-standalone" / "dist"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
PAGE = """<!doctype html>
<html lang="{language}">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>H5P test</title></head>
<body>
<div id="h5p-container"></div>
<script type="application/json" id="options">{options}</script>
<script src="/dist/main.bundle.js"></script>
<script>
  window.__stmts = [];
  window.__errors = [];
  var options = JSON.parse(document.getElementById("options").textContent);
  new H5PStandalone.H5P(document.getElementById("h5p-container"), options).then(function () {{
    H5P.externalDispatcher.on("xAPI", function (event) {{ window.__stmts.push(event.data.statement); }});
    window.__ready = true;
  }}).catch(function (error) {{ window.__errors.push(String(error)); }});
</script>
</body>
</html>
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A folder served on 127.0.0.1: dist/ (the player) and pkg-<slug>-<language>/ (extracted packages)."""
    if not PLAYER_DIST.is_dir():
        pytest.skip("node_modules/h5p-standalone is not installed (npm ci)")
    root = tmp_path_factory.mktemp("h5p-site")
    (root / "dist").symlink_to(PLAYER_DIST, target_is_directory=True)
    for slug in activity_slugs():
        for language in LANGUAGES:
            with zipfile.ZipFile(io.BytesIO(package_build(slug=slug, language=language))) as archive:
                archive.extractall(root / f"pkg-{slug}-{language}")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"root": root, "url": f"http://127.0.0.1:{server.server_address[1]}"}
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def h5p_page(browser):
    # the session's Chromium of conftest.py: Playwright's sync API runs once per process
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def _activity(slug):
    return json.loads((ACTIVITIES_DIR / f"{slug}.json").read_text(encoding="utf-8"))


def _open_player(page, site, *, slug, language, name, **extra_options):
    """Write an HTML page for one package, open it and return the player's iframe (a Playwright Frame)."""
    options = {
        "h5pJsonPath": f"/pkg-{slug}-{language}",
        "frameJs": "/dist/frame.bundle.js",
        "frameCss": "/dist/styles/h5p.css",
        **extra_options,
    }
    html = PAGE.format(language=language, options=json.dumps(options).replace("<", "\\u003c"))
    (site["root"] / f"{name}.html").write_text(html, encoding="utf-8")
    page.goto(f"{site['url']}/{name}.html")
    page.wait_for_function("window.__ready === true || window.__errors.length > 0")
    assert page.evaluate("window.__errors") == []
    frame = page.locator("iframe.h5p-iframe").element_handle().content_frame()
    frame.locator(".lms-cs, .lms-ic").first.wait_for()
    return frame


def _statements(page, verb):
    return page.evaluate("(verb) => window.__stmts.filter((s) => s.verb.id === verb)", verb)


def _state(frame):
    return json.loads(frame.evaluate("JSON.stringify(H5P.instances[0].getCurrentState())"))


def test_case_sort_all_correct_reports_completed_with_full_score(h5p_page, site):
    content = _activity("case-sort")["languages"]["en"]["content"]
    labels = {category["key"]: category["label"] for category in content["categories"]}
    keys = [statement["category"] for statement in content["statements"]]
    frame = _open_player(h5p_page, site, slug="case-sort", language="en", name="case-sort-en")

    items = frame.locator(".lms-cs-item")
    assert items.count() == len(keys)
    for index, key in enumerate(keys):
        items.nth(index).get_by_role("radio", name=labels[key], exact=True).check()
    frame.get_by_role("button", name="Check", exact=True).click()

    h5p_page.wait_for_function("(verb) => window.__stmts.some((s) => s.verb.id === verb)", arg=COMPLETED)
    answered, completed = _statements(h5p_page, ANSWERED), _statements(h5p_page, COMPLETED)
    assert len(answered) == 1 and len(completed) == 1
    total = len(keys)
    assert completed[0]["result"]["score"] == {"min": 0, "max": total, "raw": total, "scaled": 1}
    assert completed[0]["result"]["success"] is True
    assert completed[0]["result"]["completion"] is True
    assert answered[0]["result"]["score"]["scaled"] == 1
    assert answered[0]["object"]["definition"]["interactionType"] == "matching"
    assert answered[0]["result"]["response"] == answered[0]["object"]["definition"]["correctResponsesPattern"][0]
    assert [verb for verb in h5p_page.evaluate("window.__stmts.map((s) => s.verb.id)")] == [ANSWERED, COMPLETED]

    assert frame.locator(".lms-cs-item-correct").count() == total
    assert frame.locator(".lms-cs-summary").inner_text() == f"Score: {total} of {total}."
    assert frame.locator(".lms-cs-explanation").first.inner_text() == content["statements"][0]["explanation"]
    assert _state(frame) == {"answers": keys, "checked": True}
    assert frame.get_by_role("button", name="Try again").is_visible()
    assert not frame.get_by_role("button", name="Show solution").is_visible()


def test_case_sort_in_turkmen_shows_turkmen_texts(h5p_page, site):
    content = _activity("case-sort")["languages"]["tk"]["content"]
    frame = _open_player(h5p_page, site, slug="case-sort", language="tk", name="case-sort-tk")

    assert frame.get_by_role("button", name="Barlamak", exact=True).is_visible()
    first = frame.locator(".lms-cs-item").first
    for label in ("Hereket", "Täsir ediş serişdesi", "Maksat"):  # "means" by its one Turkmen term
        assert first.get_by_role("radio", name=label, exact=True).is_visible()
    assert "Bu waka toslama." in frame.locator(".lms-cs-intro").inner_text()
    assert frame.get_by_role("group", name=content["statements"][0]["text"]).is_visible()

    # Answer only the first statement, wrongly, with the keyboard.
    first.get_by_role("radio", name="Täsir ediş serişdesi", exact=True).focus()
    h5p_page.keyboard.press("Space")
    frame.get_by_role("button", name="Barlamak").focus()
    h5p_page.keyboard.press("Enter")

    total = len(content["statements"])
    assert frame.locator(".lms-cs-summary").inner_text() == f"Netije: {total} baldan 0 bal."
    assert first.locator(".lms-cs-feedback").inner_text().startswith("✗Jogabyňyz ýalňyş. Dogry jogap: Hereket.")
    assert frame.locator(".lms-cs-item-unanswered").count() == total - 1
    assert "Jogap berilmedi." in frame.locator(".lms-cs-item").nth(1).inner_text()
    # Not every statement has an answer: "answered" only, no "completed".
    assert len(_statements(h5p_page, ANSWERED)) == 1
    assert _statements(h5p_page, COMPLETED) == []

    frame.get_by_role("button", name="Dogry jogaplary görkezmek").click()
    assert frame.locator(".lms-cs-option-solution").count() == total
    frame.get_by_role("button", name="Täzeden synanyşmak").click()
    assert _state(frame) == {"answers": [None] * total, "checked": False}
    assert frame.get_by_role("button", name="Barlamak").is_visible()


def test_indicator_check_one_wrong_answer_lowers_the_score_and_the_state_restores(h5p_page, site):
    content = _activity("indicator-check")["languages"]["tk"]["content"]
    answers = [statement["isTrue"] for statement in content["statements"]]
    answers[2] = not answers[2]
    total = len(answers)
    frame = _open_player(h5p_page, site, slug="indicator-check", language="tk", name="indicator-check-tk")

    items = frame.locator(".lms-ic-item")
    assert items.count() == total
    for index, answer in enumerate(answers):
        items.nth(index).get_by_role("radio", name="Dogry" if answer else "Ýalňyş", exact=True).check()
    frame.get_by_role("button", name="Barlamak", exact=True).click()

    h5p_page.wait_for_function("(verb) => window.__stmts.some((s) => s.verb.id === verb)", arg=COMPLETED)
    (completed,) = _statements(h5p_page, COMPLETED)
    score = completed["result"]["score"]
    assert score["raw"] == total - 1 and score["max"] == total
    assert score["scaled"] == round((total - 1) / total, 4)
    assert completed["result"]["success"] is ((total - 1) * 100 >= content["behaviour"]["passPercentage"] * total)
    assert frame.locator(".lms-ic-summary").inner_text() == f"Netije: {total} baldan {total - 1} bal."
    assert items.nth(2).locator(".lms-ic-feedback").inner_text().startswith("✗Jogabyňyz ýalňyş.")
    assert frame.get_by_role("button", name="Dogry jogaplary görkezmek").is_visible()

    state = frame.evaluate("JSON.stringify(H5P.instances[0].getCurrentState())")
    assert json.loads(state) == {"answers": answers, "checked": True}

    restored = _open_player(
        h5p_page,
        site,
        slug="indicator-check",
        language="tk",
        name="indicator-check-tk-restored",
        saveFreq=30,
        contentUserData=[{"state": state}],
    )
    assert _state(restored) == {"answers": answers, "checked": True}
    restored_items = restored.locator(".lms-ic-item")
    for index, answer in enumerate(answers):
        assert restored_items.nth(index).get_by_role("radio", name="Dogry", exact=True).is_checked() is answer
        assert restored_items.nth(index).get_by_role("radio", name="Ýalňyş", exact=True).is_checked() is not answer
        assert restored_items.nth(index).get_by_role("radio", name="Dogry", exact=True).is_disabled()
    assert restored.locator(".lms-ic-summary").inner_text() == f"Netije: {total} baldan {total - 1} bal."
    assert restored.locator(".lms-ic-item-incorrect").count() == 1
    assert h5p_page.evaluate("window.__stmts.length") == 0, "restoring must not report xAPI again"

    restored.get_by_role("button", name="Täzeden synanyşmak").click()
    assert _state(restored) == {"answers": [None] * total, "checked": False}
    assert not restored_items.first.get_by_role("radio", name="Dogry", exact=True).is_disabled()


@pytest.mark.parametrize(
    "options",
    [
        # README of h5p-standalone 3.8.2: not what its core reads.
        {"saveFreq": 30, "contentUserData": [{"dataType": "state", "previousState": "STATE", "subContentId": "*"}]},
        # h5p.d.ts shape without saveFreq: the core drops previousState unless saveFreq is set.
        {"contentUserData": [{"state": "STATE"}]},
    ],
    ids=["readme-shape", "without-saveFreq"],
)
def test_other_state_option_shapes_do_not_restore(h5p_page, site, options):
    state = json.dumps({"answers": [True] * 8, "checked": True})
    options = json.loads(json.dumps(options).replace('"STATE"', json.dumps(state)))
    frame = _open_player(h5p_page, site, slug="indicator-check", language="en", name="ignored-state", **options)
    assert _state(frame)["checked"] is False
    assert frame.locator("input:checked").count() == 0


@pytest.mark.parametrize(("slug", "language"), [(s, lang) for s in activity_slugs() for lang in LANGUAGES])
def test_every_package_plays_in_its_language(h5p_page, site, slug, language):
    content = _activity(slug)["languages"][language]["content"]
    frame = _open_player(h5p_page, site, slug=slug, language=language, name=f"smoke-{slug}-{language}")
    assert frame.get_by_role("button", name=content["l10n"]["checkAnswer"], exact=True).is_visible()
    assert frame.locator(".lms-cs-item, .lms-ic-item").count() == len(content["statements"])
    assert frame.locator("legend").first.inner_text().endswith(content["statements"][0]["text"])
    # rendered and styled by the shared library (LMS.ChoiceTask) that the content type preloads
    assert frame.locator(".lms-ct-item").count() == len(content["statements"])
    item_style = frame.locator(".lms-ct-item").first.evaluate(
        "(item) => [getComputedStyle(item).borderLeftWidth, getComputedStyle(item).borderLeftStyle]"
    )
    assert item_style == ["4px", "solid"]
