"""Stored rich text reaches a page through one path: ``content.sanitize.render_richtext``.

These tests read the code, not a database: every template of ours, every Python module of ours and every
StreamField block tree. Wagtail's ``|richtext``, Django's ``|safe``/``|safeseq``/``{% autoescape off %}``,
``mark_safe`` and ``expand_db_html`` (Wagtail's expansion without bleach) are refused wherever they could
apply to stored text, except for the reviewed exceptions below, each with its reason.
"""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from wagtail.blocks import ListBlock, RichTextBlock
from wagtail.fields import StreamField

from content.blocks import SafeRichTextBlock

BASE = Path(settings.BASE_DIR)
OUR_PACKAGES = ("content", "courses", "assessments", "lms")

# Reviewed exceptions: (template relative to its templates folder, expression) -> why it is not stored text.
FONTS = "@font-face rules built from the font files the app ships (assessments.paper.font_faces), not stored text"
FONT_FAMILY = "a constant list of font names (assessments.paper.FONT_FAMILY), not stored text"
QR = "an SVG that segno draws from a code the app generates (assessments.paper.qr_svg), not stored text"
TEMPLATE_EXCEPTIONS = {
    ("trainers/certificate/pdf_base.html", "fonts|safe"): FONTS,
    ("trainers/certificate/pdf_base.html", "font_family|safe"): FONT_FAMILY,
    ("trainers/certificate/pdf_base.html", "qr|safe"): QR,
    ("assessments/paper/form.html", "fonts|safe"): FONTS,
    ("assessments/paper/form.html", "font_family|safe"): FONT_FAMILY,
    ("assessments/paper/form.html", "qr|safe"): QR,
    ("cascade/kit.html", "fonts|safe"): FONTS,
    ("cascade/kit.html", "font_family|safe"): FONT_FAMILY,
    ("accounts/email/password_reset_body.txt", "autoescape off"): (
        "a plain-text e-mail (no HTML to escape for): a name, a username and the reset link, no stored rich text"
    ),
}
# (module, function, callee) -> why. The one place that marks stored text as safe, right after bleach.
PYTHON_EXCEPTIONS = {
    ("content/sanitize.py", "render_richtext", "mark_safe"): "the one render path: bleach has just cleaned it",
    ("content/sanitize.py", "render_richtext", "expand_db_html"): "the one render path: bleach follows",
    ("assessments/templatetags/assessment_tags.py", "cloze_text", "mark_safe"): (
        "the text of an embedded-answers item: render_richtext's output (bleach) with autoescaped gap templates "
        "in place of the {#N} markers between its tags"
    ),
    ("lms/templatetags/site_tags.py", "site_header", "mark_safe"): (
        "the site header the template engine rendered (and escaped) for this language, address and roles, read "
        "back from the server's cache, with the request's CSRF token put in; no stored text of a user"
    ),
}

TAG = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.S)
UNSAFE_FILTER = re.compile(r"\|\s*(richtext|safe|safeseq)\b")
AUTOESCAPE_OFF = re.compile(r"^\s*autoescape\s+off\b")
FILTER_TAG = re.compile(r"^\s*filter\s.*\b(richtext|safe|safeseq)\b")
UNSAFE_CALLS = {"mark_safe", "SafeString", "SafeText", "expand_db_html", "richtext"}


def _template_dirs():
    dirs = [Path(path) for config in settings.TEMPLATES for path in config.get("DIRS", [])]
    for config in apps.get_app_configs():
        folder = Path(config.path) / "templates"
        # our apps only: a virtual environment inside the project folder (.venv) holds Wagtail's own
        if folder.is_dir() and BASE in folder.parents and "site-packages" not in folder.parts:
            dirs.append(folder)
    return dirs


def _templates():
    for folder in _template_dirs():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".svg", ".js"}:
                yield folder, path


def unsafe_template_uses(text: str) -> list[str]:
    """The expressions of a template that mark text safe: ``x|safe``, ``x|richtext``, ``autoescape off``."""
    found = []
    for match in TAG.finditer(text):
        variable, tag = match.group(1), match.group(2)
        if variable is not None and UNSAFE_FILTER.search(variable):
            found.append(re.sub(r"\s+", "", variable))
        elif tag is not None and (AUTOESCAPE_OFF.search(tag) or FILTER_TAG.search(tag) or UNSAFE_FILTER.search(tag)):
            found.append(" ".join(tag.split()))
    return found


def test_the_template_walk_finds_every_kind_of_unsafe_use():
    text = (
        "{{ page.intro|richtext }} {{ a | safe }} {{ b|default:''|safeseq }} {% autoescape off %}x{% endautoescape %}"
        "{% filter safe %}y{% endfilter %} {{ c|safe_richtext }} {{ d|safer }}"
    )
    assert unsafe_template_uses(text) == [
        "page.intro|richtext", "a|safe", "b|default:''|safeseq", "autoescape off", "filter safe",
    ]


def test_templates_render_stored_text_only_through_safe_richtext():
    folders = _template_dirs()
    assert BASE / "templates" in folders
    assert BASE / "lms" / "api" / "templates" in folders  # and the templates folders of our apps
    seen, refused = set(), []
    for folder, path in _templates():
        name = path.relative_to(folder).as_posix()
        for expression in unsafe_template_uses(path.read_text(encoding="utf-8")):
            seen.add((name, expression))
            if (name, expression) not in TEMPLATE_EXCEPTIONS:
                refused.append(f"{path.relative_to(BASE)}: {{{{ {expression} }}}}")
    assert not refused, "render stored text with |safe_richtext instead:\n" + "\n".join(refused)
    # an exception whose template changed is stale: remove it from the list
    assert set(TEMPLATE_EXCEPTIONS) <= seen, set(TEMPLATE_EXCEPTIONS) - seen


def _python_files():
    for package in OUR_PACKAGES:
        for path in sorted((BASE / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def unsafe_calls(source: str) -> list[tuple[str, str]]:
    """(enclosing function, callee) of every call that marks text safe or expands rich text unsanitised."""
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, child.name)
                continue
            if isinstance(child, ast.Call):
                callee = child.func
                name = callee.id if isinstance(callee, ast.Name) else getattr(callee, "attr", None)
                if name in UNSAFE_CALLS:
                    found.append((function, name))
            visit(child, function)

    visit(ast.parse(source), "<module>")
    return found


def test_python_marks_stored_text_safe_only_in_the_render_path():
    seen, refused = set(), []
    for path in _python_files():
        module = path.relative_to(BASE).as_posix()
        for function, callee in unsafe_calls(path.read_text(encoding="utf-8")):
            seen.add((module, function, callee))
            if (module, function, callee) not in PYTHON_EXCEPTIONS:
                refused.append(f"{module}: {callee}() in {function}")
    assert not refused, "render stored rich text with content.sanitize.render_richtext:\n" + "\n".join(refused)
    assert set(PYTHON_EXCEPTIONS) <= seen, set(PYTHON_EXCEPTIONS) - seen


def test_the_python_walk_finds_calls_in_functions_and_at_module_level():
    source = "x = mark_safe(y)\ndef f():\n    return html.SafeString(expand_db_html(z))\n"
    assert unsafe_calls(source) == [("<module>", "mark_safe"), ("f", "SafeString"), ("f", "expand_db_html")]


def _rich_text_blocks(block, path):
    if isinstance(block, RichTextBlock):
        yield path, block
    children = dict(getattr(block, "child_blocks", {}) or {})
    if isinstance(block, ListBlock):
        children["item"] = block.child_block
    for name, child in children.items():
        yield from _rich_text_blocks(child, f"{path}.{name}")


def test_every_rich_text_block_renders_through_the_sanitiser():
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith(OUR_PACKAGES):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, StreamField):
                label = f"{model._meta.label}.{field.name}"
                found += list(_rich_text_blocks(field.stream_block, label))
    assert any(path.startswith("courses.LessonPage.body") for path, _block in found)
    plain = [path for path, block in found if not isinstance(block, SafeRichTextBlock)]
    assert not plain, f"use content.blocks.SafeRichTextBlock: {plain}"
