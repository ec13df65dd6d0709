"""Real-browser tests: Debian's Chromium driven by Playwright's Python API (no downloaded browser)."""

import os
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from assessments.models import Assessment, AssessmentItem, Question
from courses.models import CoursePage
from lms.trainers.models import Certification, CertificationProgramme
from tests.assessments.bank import bank_load

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Every browser context of these tests reports Content-Security-Policy violations (of our pages, the
# admin, and the sandboxed H5P player alike) to Python; a test with one fails (see _no_csp_violations).
CSP_VIOLATIONS: list[dict] = []
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  const report = {
    document: event.documentURI, directive: event.effectiveDirective, blocked: event.blockedURI,
    source: event.sourceFile ? `${event.sourceFile}:${event.lineNumber}` : "", sample: event.sample,
  };
  try { window.__lmsCspViolation(report); } catch (error) { /* a frame without the binding */ }
}, true);
"""


def csp_watch(context):
    """Make ``context`` record every CSP violation in CSP_VIOLATIONS: from the page's own listener
    (``securitypolicyviolation``, in every frame) and from Chromium's console messages about them."""
    context.expose_binding("__lmsCspViolation", lambda source, report: CSP_VIOLATIONS.append(report))
    context.add_init_script(CSP_LISTENER)

    def console(message):
        if "Content Security Policy" in message.text:
            CSP_VIOLATIONS.append({"console": message.text, "location": message.location.get("url", "")})

    context.on("console", console)
    return context


class CSPWatchingBrowser:
    """The session's Chromium, whose new contexts watch for CSP violations (tests make their own too)."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **kwargs):
        return csp_watch(self._browser.new_context(**kwargs))

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(autouse=True)
def _no_csp_violations():
    """A browser test fails on any Content-Security-Policy violation its pages caused.

    Set up before the test's other fixtures, so it checks after they closed their browser contexts
    (which delivers the last reports)."""
    CSP_VIOLATIONS.clear()
    yield
    violations = list(CSP_VIOLATIONS)
    CSP_VIOLATIONS.clear()
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(map(str, violations)), pytrace=False)


# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures here
# are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _one_request_at_a_time_on_sqlite():
    """On SQLite the test database lives in memory and the live server's threads share its one
    connection: two requests at once (an H5P state save and an xAPI statement) then fail with
    "cannot start a transaction within a transaction". Serve one request at a time there;
    PostgreSQL keeps the threaded server, with a connection per thread as in production."""
    from django.core.servers.basehttp import WSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    if connection.vendor != "sqlite":
        yield
        return
    class OneAtATime(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            # requests run in the live server's own thread, which already holds the shared connection
            super().__init__(*args, **kwargs)

    threaded = LiveServerThread.server_class
    LiveServerThread.server_class = OneAtATime
    yield
    LiveServerThread.server_class = threaded


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is required in CI (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        # From here on the test runs in Playwright's greenlet, whose context holds new Django
        # connection objects: hand them the data that `serialized_rollback` restores.
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield CSPWatchingBrowser(browser)
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="tk-TM", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
  }));
}"""


@pytest.fixture
def axe_check():
    """Run axe-core (npm's ``axe-core``, from node_modules) on the page as it is now; fail on a critical or
    serious violation. The script is handed to the page through the DevTools protocol, not as an inline
    <script>, so the page's Content-Security-Policy stays as strict as it is for people."""
    if not AXE_SOURCE.exists():
        pytest.fail(f"{AXE_SOURCE} is missing: run `make install` (npm ci)")
    source = AXE_SOURCE.read_text()

    def check(page, where: str = ""):
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(source)
        violations = page.evaluate(AXE_RUN)
        serious = [v for v in violations if v["impact"] in ("critical", "serious")]
        assert not serious, f"axe-core on {where or page.url}:\n" + "\n".join(map(str, serious))
        return violations

    return check


# --- live servers with demo data ------------------------------------------------------------------------


@pytest.fixture
def trainer_server(live_server):
    call_command("seed_demo", "--without-curriculum", verbosity=0)
    today = timezone.localdate()
    tot = CoursePage.objects.get(locale__language_code="en", slug="tot")
    programme = CertificationProgramme.objects.create(
        code="tot-cjs", name_en="Certified trainer: anti-trafficking", course_key=tot.translation_key,
        modules=[1, 2, 3, 4],
    )
    Certification.objects.create(
        user=get_user_model().objects.get(username="trainer"), programme=programme, status="certified",
        number="TOT-E2E-1", code=uuid.uuid4().hex, certified_on=today - timedelta(days=30),
        valid_until=today + timedelta(days=700),
    )
    return live_server


@pytest.fixture
def pre_test_keys():
    """The questions of the pre-test ``live_server_with_pre_test`` publishes (a module may override them)."""
    return ["m1-single", "m1-truefalse", "m1-short", "m1-multiple", "m2-matching"]


@pytest.fixture
def live_server_with_pre_test(live_server, pre_test_keys):
    """The live server with the demo accounts and a published, unshuffled 30-minute pre-test."""
    call_command("seed_demo", "--without-curriculum", verbosity=0)
    bank_load()
    test = Assessment.objects.create(
        slug="pre", title_en="Pre-test", title_tk="Giriş synagy", purpose=Assessment.Purpose.PRE,
        published=True, shuffle_items=False, shuffle_options=False, time_limit_minutes=30,
    )
    for position, key in enumerate(pre_test_keys):
        question = Question.objects.get(key=key, locale__language_code="en")
        AssessmentItem.objects.create(assessment=test, question_key=question.translation_key, position=position)
    return live_server
