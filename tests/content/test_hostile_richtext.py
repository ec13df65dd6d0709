"""Hostile rich text written past ``save()`` renders inert wherever it is shown.

Rows are written with ``QuerySet.update()``, with a fixture (``loaddata`` saves raw, without ``save()``)
and as a crafted page revision; then the learner's lesson and module pages, the editor's preview, the
"view draft" page and the revision view of the admin must hold no script, event handler, ``javascript:``
URL, inline frame, SVG or style, while the text itself is still shown.
"""

import json
import re
from html.parser import HTMLParser

import pytest
from django.core import serializers
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from content.models import LegalProvision
from courses.models import LessonPage
from lms.people.roles import Role
from tests.factories import person

pytestmark = pytest.mark.django_db

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '<a href="javascript:alert(3)">j</a>',
    '<a href=" JaVa&#x09;script:alert(4)">k</a>',
    "<svg onload=alert(5)><circle r=1></circle></svg>",
    '<iframe srcdoc="&lt;script&gt;alert(6)&lt;/script&gt;"></iframe>',
    "<style>main{display:none}</style>",
    '<b style="background:url(javascript:alert(7))" onmouseover="alert(8)">b</b>',
    '"><script>alert(9)</script><p title="\'><img src=y onerror=alert(10)>">t</p>',
    "<math><mtext></p><script>alert(11)</script></mtext></math>",
    "<object data=javascript:alert(12)></object><embed src=javascript:alert(13)>",
    "<li>orphan item</li>",
)


def hostile(marker: str) -> str:
    return f"<p>{marker} text</p>" + "".join(PAYLOADS)


DANGEROUS_TAGS = {"script", "style", "iframe", "frame", "svg", "math", "object", "embed", "base", "link", "meta"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            squeezed = re.sub(r"[\s\x00-\x20]", "", value or "").lower()
            # the page's own markup has style attributes (progress bars); a stored one would carry a URL
            risky_style = name == "style" and re.search(r"url\(|expression\(|script", squeezed)
            if name.startswith("on") or name == "srcdoc" or risky_style:
                self.problems.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and squeezed.startswith(("javascript:", "vbscript:", "data:")):
                self.problems.append(f"<{tag} {name}={value}>")

    handle_startendtag = handle_starttag


def main_part(html: str) -> str:
    """The page's <main> element: our templates' content, without the site's own scripts."""
    start = html.index('<main id="main"')
    return html[start : html.index("</main>", start) + len("</main>")]


def assert_inert(html: str, *markers: str):
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    assert not inspector.problems, inspector.problems
    for marker in markers:
        assert f"{marker} text" in html, marker


@pytest.fixture
def lesson():
    return LessonPage.objects.get(slug="definitions-one", locale__language_code="en")


@pytest.fixture
def provision(curriculum):
    return curriculum["provisions"]["cc-129-1-2010"]


@pytest.fixture
def editor(site_home):
    return person(username="editor.rt", roles=[Role.EDITOR], agency=None, language="en")


@pytest.fixture
def reader(agency_a):
    return person(username="reader.rt", agency=agency_a, language="en")


def test_the_inspector_sees_every_payload_in_raw_html():
    inspector = _Inspector()
    inspector.feed("".join(PAYLOADS))
    assert len(inspector.problems) >= 12


def test_the_filter_renders_every_payload_inert():
    html = Template("{% load content_tags %}<div>{{ value|safe_richtext }}</div>").render(
        Context({"value": hostile("FILTER")})
    )
    assert_inert(html, "FILTER")


def test_rows_written_with_update_render_inert_on_the_learners_pages(client, lesson, provision, reader):
    module = lesson.get_parent().specific
    LegalProvision.objects.filter(pk=provision.pk).update(text=hostile("PROVISION"), notes=hostile("NOTES"))
    type(module).objects.filter(pk=module.pk).update(intro=hostile("INTRO"))
    LessonPage.objects.filter(pk=lesson.pk).update(
        body=[
            {"type": "text", "id": "t1", "value": hostile("BLOCK")},
            {"type": "legal_provision", "id": "l1", "value": {"provision": provision.pk, "commentary": hostile("COMMENTARY")}},
            {"type": "case_study", "id": "c1", "value": {"title": "Case", "scenario": hostile("SCENARIO"), "questions": [], "trainer_notes": ""}},
        ]
    )
    client.force_login(reader)
    page = client.get(lesson.url)
    assert page.status_code == 200
    assert_inert(main_part(page.content.decode()), "PROVISION", "NOTES", "BLOCK", "COMMENTARY", "SCENARIO")
    page = client.get(module.url)
    assert page.status_code == 200
    assert_inert(main_part(page.content.decode()), "INTRO")


def test_a_provision_loaded_from_a_fixture_renders_inert(client, tmp_path, lesson, provision, reader):
    row = json.loads(serializers.serialize("json", [provision]))
    row[0]["fields"].update(text=hostile("FIXTURE"), notes=hostile("FIXNOTES"))
    fixture = tmp_path / "hostile_provision.json"
    fixture.write_text(json.dumps(row), encoding="utf-8")
    call_command("loaddata", str(fixture), verbosity=0)
    assert "<script>" in LegalProvision.objects.get(pk=provision.pk).text  # loaddata bypasses save()
    client.force_login(reader)
    page = client.get(lesson.url)
    assert page.status_code == 200
    assert_inert(main_part(page.content.decode()), "FIXTURE", "FIXNOTES")


def _craft_latest_revision(page, user, **fields):
    revision = page.save_revision(user=user)
    content = dict(revision.content)
    for name, value in fields.items():
        content[name] = json.dumps(value) if name == "body" and isinstance(content.get(name), str) else value
    Revision.objects.filter(pk=revision.pk).update(content=content)
    return revision


def test_a_crafted_revision_renders_inert_in_view_draft_and_the_revision_view(client, lesson, provision, editor):
    module = lesson.get_parent().specific
    LegalProvision.objects.filter(pk=provision.pk).update(text=hostile("PROVISION"))
    module_revision = _craft_latest_revision(module, editor, intro=hostile("DRAFTINTRO"))
    lesson_revision = _craft_latest_revision(
        lesson,
        editor,
        body=[
            {"type": "text", "id": "t1", "value": hostile("DRAFTBLOCK")},
            {"type": "legal_provision", "id": "l1", "value": {"provision": provision.pk, "commentary": hostile("DRAFTCOMMENT")}},
        ],
    )
    client.force_login(editor)
    for page, revision, markers in (
        (module, module_revision, ("DRAFTINTRO",)),
        (lesson, lesson_revision, ("DRAFTBLOCK", "DRAFTCOMMENT", "PROVISION")),
    ):
        for url in (
            reverse("wagtailadmin_pages:view_draft", args=[page.pk]),
            reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk]),
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert_inert(main_part(response.content.decode()), *markers)


def test_the_preview_of_a_lesson_renders_a_hostile_provision_and_link_inert(client, lesson, provision, editor):
    LegalProvision.objects.filter(pk=provision.pk).update(text=hostile("PREVIEW"))
    data = nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "summary": "Preview summary",
            "estimated_minutes": "20",
            "editor_note": "",
            "body": streamfield(
                [
                    ("text", rich_text('<p>PREVIEWLINK text <a href="javascript:alert(1)">link</a></p>', features=["link"])),
                    ("legal_provision", {"provision": str(provision.pk), "commentary": rich_text("<p>PREVIEWCOMMENT text</p>")}),
                ]
            ),
            "comments": inline_formset([]),
        }
    )
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk])
    posted = client.post(url, data)
    assert posted.status_code == 200
    assert posted.json()["is_valid"], posted.json()
    response = client.get(url)
    assert response.status_code == 200
    assert_inert(main_part(response.content.decode()), "PREVIEW", "PREVIEWLINK", "PREVIEWCOMMENT")
