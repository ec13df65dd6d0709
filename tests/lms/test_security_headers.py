"""Content-Security-Policy and Permissions-Policy on every HTML page; nothing loaded from the internet.

A guard over representative pages of every part of the site: the policy's directives are there, and the
HTML runs nothing the policy would block (no inline <script> or <style> without the response's nonce, no
on*="" handlers, no style="" attributes). The Wagtail admin has its documented relaxations under /admin/
only; its previews keep the site's policy and may be framed by the admin; the H5P player keeps its own.
"""

import re
from datetime import time, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from assessments import services as assessment_services
from assessments.models import Assessment, AssessmentItem
from content.h5p.views import player_csp
from content.models import H5PUsage
from courses.models import LessonPage
from lms.cascade import services as cascade_services
from lms.cascade.services import Day
from lms.people.roles import Role
from lms.trainers.models import Certification, CertificationProgramme
from tests.assessments.bank import bank_load
from tests.factories import person

pytestmark = pytest.mark.django_db

SITE_DIRECTIVES = {
    "default-src": ["'self'"],
    "font-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
EVENT_HANDLER = re.compile(r"^on[a-z]+$")


def policy_of(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} has no Content-Security-Policy"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        assert name not in directives, f"{name} twice in {header}"
        directives[name] = values
    return directives


def nonce_of(directives, name) -> str | None:
    nonces = [value[len("'nonce-"):-1] for value in directives.get(name, []) if value.startswith("'nonce-")]
    assert len(nonces) <= 1
    return nonces[0] if nonces else None


class Inline(HTMLParser):
    """What in a page's HTML would be inline code: scripts, style elements, handlers, style attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts = []  # (attrs, text) of <script> without src
        self.styles = []  # attrs of <style>
        self.handlers = []  # (tag, attribute)
        self.style_attributes = []  # tag
        self.resources = []  # (tag, attribute, url) of what the browser loads
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if EVENT_HANDLER.match(name):
                self.handlers.append((tag, name))
        if "style" in attrs:
            self.style_attributes.append(tag)
        if tag == "script" and not attrs.get("src"):
            self._script = (attrs, [])
        if tag == "style":
            self.styles.append(attrs)
        loads = {"script": ["src"], "img": ["src", "srcset"], "source": ["src", "srcset"], "iframe": ["src"],
                 "link": ["href"] if attrs.get("rel", "") not in {"alternate", "canonical"} else [],
                 "audio": ["src"], "video": ["src", "poster"], "embed": ["src"], "object": ["data"]}
        for name in loads.get(tag, []):
            if attrs.get(name):
                for url in attrs[name].split(","):
                    self.resources.append((tag, name, url.strip().split(" ")[0]))

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None


def inline_of(response) -> Inline:
    parser = Inline()
    parser.feed(response.content.decode())
    parser.close()
    return parser


def is_data_block(attrs) -> bool:
    """A <script> of JSON (json_script) is data the browser never runs: CSP does not apply to it."""
    return attrs.get("type", "").lower() in {"application/json", "application/ld+json"}


def assert_site_policy(response, *, frame_ancestors="'none'"):
    directives = policy_of(response)
    for name, values in SITE_DIRECTIVES.items():
        expected = [frame_ancestors] if name == "frame-ancestors" else values
        assert directives.get(name) == expected, (response.request["PATH_INFO"], name, directives.get(name))
    for name in ("script-src", "style-src"):
        values = directives[name]
        assert values[0] == "'self'" and all(v == "'self'" or v.startswith("'nonce-") for v in values), (name, values)
    assert nonce_of(directives, "script-src") == nonce_of(directives, "style-src")
    html = inline_of(response)
    path = response.request["PATH_INFO"]
    nonce = nonce_of(directives, "script-src")
    for attrs, text in html.scripts:
        if not is_data_block(attrs):
            assert nonce and attrs.get("nonce") == nonce, f"{path}: inline script without the nonce: {text[:80]!r}"
    for attrs in html.styles:
        assert nonce and attrs.get("nonce") == nonce, f"{path}: <style> without the nonce"
    assert html.handlers == [], f"{path}: event handler attributes {html.handlers}"
    assert html.style_attributes == [], f"{path}: style attributes on {html.style_attributes}"
    return directives


def assert_no_foreign_resources(response):
    host = response.wsgi_request.get_host()
    for tag, attribute, url in inline_of(response).resources:
        parts = urlsplit(url)
        assert not parts.scheme or parts.scheme in {"data", "blob"} or parts.netloc == host, (tag, attribute, url)
        assert not url.startswith("//"), (tag, attribute, url)


# --- the people and the records the pages show --------------------------------------------------------


@pytest.fixture
def people(agency_a):
    return {
        role: person(username=f"csp.{role.name.lower()}", roles=[role], agency=agency_a, language="en")
        for role in Role
    } | {"manager": person(username="csp.pm", roles=[Role.MANAGER], agency=None, language="en")}


@pytest.fixture
def lesson(curriculum):
    """The English lesson with an H5P activity (it embeds the player's iframe)."""
    lesson = LessonPage.objects.get(slug="definitions-two", locale__language_code="en")
    assert H5PUsage.objects.filter(page=lesson).exists()
    return lesson


@pytest.fixture
def attempt(site_home, people):
    bank = bank_load()
    test = Assessment.objects.create(slug="csp-pre", title_en="Pre-test", purpose="pre", published=True)
    for position, question in enumerate(q for q in bank if q.locale.language_code == "en"):
        AssessmentItem.objects.create(assessment=test, question_key=question.translation_key, position=position)
    return assessment_services.attempt_start(user=people[Role.TRAINEE], assessment=test, language="en")


@pytest.fixture
def session(curriculum, people):
    programme = CertificationProgramme.objects.create(
        code="csp", name_en="Certified trainer", course_key=curriculum["tot"].translation_key, modules=[1, 2]
    )
    trainer = people[Role.TRAINER]
    today = timezone.localdate()
    Certification.objects.create(
        user=trainer, programme=programme, status="certified", number="TOT-CSP", code="code-csp",
        certified_on=today - timedelta(days=100), valid_until=today + timedelta(days=400),
    )
    return cascade_services.session_schedule(
        actor=trainer, title="Identifying victims", course_key=programme.course_key, modules=[1],
        days=[Day(today + timedelta(days=10), time(9), time(13))], venue="Daşoguz", capacity=5, language="en",
    )


def site_pages(lesson, attempt, session):
    """(role or None, URL) of representative pages of the site."""
    day = session.days.first()
    return [
        (None, "/en/"),
        (None, reverse("accounts:login")),
        *((role, reverse("dashboard")) for role in Role),
        (Role.TRAINEE, lesson.url),
        (Role.TRAINEE, lesson.get_parent().url),
        (Role.TRAINEE, lesson.get_parent().get_parent().url),
        (Role.TRAINEE, reverse("assessments:detail", args=[attempt.assessment.slug])),
        (Role.TRAINEE, reverse("assessments:take", args=[attempt.pk])),
        (Role.TRAINER, reverse("cascade:session_list")),
        (Role.TRAINER, reverse("cascade:session_create")),
        (Role.TRAINER, reverse("cascade:session_detail", args=[session.pk])),
        (Role.TRAINER, reverse("cascade:session_roster", args=[session.pk])),
        (Role.TRAINER, reverse("cascade:session_attendance", args=[session.pk, day.pk])),
        (Role.TRAINER, reverse("cascade:calendar_month")),
        (Role.TRAINER, reverse("cascade:calendar_week")),
        (Role.COORDINATOR, reverse("cascade:approval_queue")),
        ("manager", reverse("reports:knowledge_gain")),
        ("manager", reverse("reports:reach")),
        ("manager", reverse("ojt:ojt_dashboard")),
    ]


def test_every_page_of_the_site_carries_the_policy_and_runs_no_inline_code(client, people, lesson, attempt, session):
    for role, url in site_pages(lesson, attempt, session):
        client.logout()
        if role is not None:
            client.force_login(people[role])
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, (role, url, response.status_code)
        assert response["Content-Type"].startswith("text/html")
        assert_site_policy(response)
        assert_no_foreign_resources(response)
        assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"


def test_the_lesson_page_frames_the_player_from_this_site(client, people, lesson):
    client.force_login(people[Role.TRAINEE])
    response = client.get(lesson.url)
    frames = [url for tag, _attribute, url in inline_of(response).resources if tag == "iframe"]
    players = response.context["h5p"]["players"].values()
    # the player's iframe is written by h5p-embed.js from the page's data; its address is on this site
    assert players and all(src.startswith("/h5p/") for src in players)
    assert all(url.startswith("/") for url in frames)
    assert policy_of(response)["frame-src"] == ["'self'"]


def test_a_nonce_is_new_on_every_response_and_matches_the_header(rf, client, people):
    from django.template import engines

    from lms.middleware import ContentSecurityPolicyMiddleware

    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}">go()</script>')

    def view(request):
        from django.http import HttpResponse

        return HttpResponse(template.render({}, request))

    middleware = ContentSecurityPolicyMiddleware(view)
    first, second = (middleware(rf.get("/en/")) for _ in range(2))
    nonces = []
    for response in (first, second):
        directives = policy_of(response)
        nonce = nonce_of(directives, "script-src")
        assert nonce and nonce == nonce_of(directives, "style-src")
        assert f'<script nonce="{nonce}">' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_permissions_policy_keeps_a_views_own(rf):
    from django.http import HttpResponse

    from lms.middleware import PermissionsPolicyMiddleware

    def own(request):
        response = HttpResponse()
        response["Permissions-Policy"] = "fullscreen=(self)"
        return response

    assert PermissionsPolicyMiddleware(own)(rf.get("/"))["Permissions-Policy"] == "fullscreen=(self)"
    plain = PermissionsPolicyMiddleware(lambda request: HttpResponse())(rf.get("/"))
    assert plain["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"


# --- the H5P player keeps its own, sandboxed policy -------------------------------------------------------


def test_the_h5p_player_keeps_its_own_sandbox_policy(client, people, lesson):
    client.force_login(people[Role.TRAINEE])
    src = next(iter(client.get(lesson.url).context["h5p"]["players"].values()))
    player = client.get(src)
    assert player.status_code == 200
    assert player["Content-Security-Policy"] == player_csp()  # not replaced, nor joined by the site's
    assert "nonce-" not in player["Content-Security-Policy"]
    assert player["X-Frame-Options"] == "SAMEORIGIN"


# --- the Wagtail admin: relaxations under /admin/ only ----------------------------------------------------


def admin_pages(lesson):
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[lesson.get_parent().pk]),
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        reverse("wagtailadmin_pages:history", args=[lesson.pk]),
        reverse("wagtailimages:index"),
        reverse("wagtaildocs:index"),
        reverse("wagtailadmin_account"),
        reverse("wagtailusers_users:index"),
    ]


@pytest.fixture
def admin_user(db):
    return person(username="csp.admin", roles=[Role.EDITOR], agency=None, language="en", is_superuser=True,
                  email="editor@example.org")


def test_the_admin_gets_its_relaxations_and_nothing_else(client, admin_user, lesson):
    client.force_login(admin_user)
    for url in admin_pages(lesson):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = policy_of(response)
        # Wagtail's widgets write inline scripts and styles (see lms/middleware.py): no nonce, which
        # would switch 'unsafe-inline' off
        assert directives["script-src"] == ["'self'", "'unsafe-inline'"], url
        assert directives["style-src"] == ["'self'", "'unsafe-inline'"], url
        assert directives["img-src"] == ["'self'", "data:", "blob:"], url
        for name in ("default-src", "font-src", "connect-src", "frame-src", "object-src", "base-uri",
                     "form-action", "frame-ancestors"):
            assert directives[name] == SITE_DIRECTIVES[name], (url, name)
        assert inline_of(response).handlers == [], url
        assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"


def test_the_admin_loads_nothing_from_another_host(client, admin_user, lesson):
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False
    client.force_login(admin_user)
    for url in admin_pages(lesson):
        response = client.get(url)
        assert_no_foreign_resources(response)
        html = response.content.decode()
        # the sidebar draws the avatar from JSON: no address of an avatar service there either
        assert "gravatar" not in html.lower(), url
        # nor does a superuser's home ask releases.wagtail.org for a newer version (connect-src 'self')
        assert 'data-controller="w-upgrade' not in html, url


def test_a_preview_keeps_the_sites_policy_and_may_be_framed_by_the_admin(client, admin_user, lesson):
    client.force_login(admin_user)
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk])
    package = H5PUsage.objects.filter(page=lesson).first().package
    # the editor's form as the preview panel posts it: a text and the H5P activity (the player's iframe)
    data = nested_form_data({
        "title": "Previewed lesson", "slug": lesson.slug, "estimated_minutes": 30,
        "body": streamfield([
            ("text", rich_text("<p>Previewed paragraph.</p>")),
            ("h5p", {"package": package.pk, "introduction": "Previewed activity"}),
        ]),
    })
    posted = client.post(preview_url, data)
    assert posted.json()["is_available"] is True
    response = client.get(preview_url + "?in_preview_panel=true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Previewed paragraph." in html and "Previewed activity" in html
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert_site_policy(response, frame_ancestors="'self'")


def test_outside_the_admin_a_sameorigin_view_is_not_framed(rf):
    """frame-ancestors 'self' is for the admin's previews only: elsewhere a view's X-Frame-Options
    SAMEORIGIN leaves the policy at 'none' (the stricter one wins in browsers that read both)."""
    from django.http import HttpResponse

    from lms.middleware import ContentSecurityPolicyMiddleware

    def sameorigin(request):
        response = HttpResponse("<p>framed?</p>")
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    middleware = ContentSecurityPolicyMiddleware(sameorigin)
    assert policy_of(middleware(rf.get("/en/learn/something/")))["frame-ancestors"] == ["'none'"]
    assert policy_of(middleware(rf.get("/admin/pages/1/edit/preview/")))["frame-ancestors"] == ["'self'"]
