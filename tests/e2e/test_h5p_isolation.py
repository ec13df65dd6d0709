"""A hostile H5P package cannot read the learner's cookies or act on the site as the learner."""

import io
import re

import pytest
from django.core.management import call_command

from content.h5p.services import h5p_package_create
from content.models import H5PStatement
from courses.models import LessonPage
from tests.content.h5p_builders import probe_package_bytes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def probe_lesson(live_server):
    call_command("seed_demo", "--without-curriculum", verbosity=0)
    package = h5p_package_create(upload=io.BytesIO(probe_package_bytes(live_server.url)))
    lesson = LessonPage.objects.get(slug="definitions-one", locale__language_code="en")
    lesson.body.append(("h5p", {"package": package, "introduction": "A probe"}))
    lesson.save_revision().publish()
    return live_server, lesson, package


def test_package_script_runs_without_the_sites_origin(probe_lesson, page, screenshot):
    server, lesson, package = probe_lesson
    page.goto(server.url + "/en/accounts/login/")
    page.fill("#id_username", "trainee")
    page.fill("#id_password", "tot-demo-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/dashboard/")
    assert any(cookie["name"] == "sessionid" for cookie in page.context.cookies())

    page.goto(server.url + lesson.url)
    page.evaluate("() => localStorage.setItem('lms-probe-secret', 'site-secret')")
    page.reload()
    section = page.locator(f"[data-h5p-package='{package.pk}']")
    section.scroll_into_view_if_needed()
    iframe = section.locator("iframe")
    assert iframe.get_attribute("sandbox") == "allow-scripts"
    frame = iframe.element_handle().content_frame()
    frame.wait_for_selector(".probe")
    frame.wait_for_function(
        "() => ['fetch', 'post'].every(k => document.documentElement.hasAttribute('data-probe-' + k))"
    )
    probe = frame.evaluate(
        "() => Object.fromEntries([...document.documentElement.attributes]"
        ".filter(a => a.name.startsWith('data-probe-')).map(a => [a.name.slice(11), a.value]))"
    )
    screenshot("30-h5p-probe")
    assert probe["cookie"] == "blocked", probe
    # the sandbox denies the site's storage; the player's memory stand-in starts empty
    assert probe["storage"] in {"blocked", "read:null"}, probe
    assert probe["parent"] == "blocked", probe
    assert probe["fetch"] == "blocked", probe  # our pages cannot be read from the player
    assert not H5PStatement.objects.exists()  # its direct post to our endpoint recorded nothing

    # opened directly, a package's SVG runs no script with our origin either
    src = iframe.get_attribute("src")
    token = re.match(r"/h5p/([^/]+)/player/", src).group(1)
    page.goto(f"{server.url}/h5p/{token}/libraries/LMS.Probe-1.0/probe.svg")
    assert page.evaluate("() => document.documentElement.getAttribute('data-svg-cookie')") is None
    assert page.evaluate("() => { try { return 'read:' + document.cookie } catch (e) { return 'blocked' } }") == "blocked"
