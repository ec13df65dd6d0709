"""Nothing is loaded from the internet, and the shipped font covers Turkmen Latin and Cyrillic."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from fontTools.ttLib import TTFont

BASE_DIR = Path(__file__).resolve().parents[2]
TURKMEN = "ÇçÄäŽžŇňÖöŞşÜüÝý"
RUSSIAN = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
FACE = re.compile(r"@font-face\s*{(?P<body>[^}]*)}", re.S)


def parse_ranges(text):
    ranges = []
    for part in text.split(","):
        part = part.strip().removeprefix("U+")
        start, _, end = part.partition("-")
        ranges.append((int(start, 16), int(end or start, 16)))
    return ranges


@pytest.mark.parametrize("weight", ["400", "700"])
def test_served_font_covers_turkmen_and_cyrillic(weight):
    css_path = finders.find(f"vendor/noto-sans/{weight}.css")
    assert css_path, "npm ci has not installed @fontsource/noto-sans"
    css_dir = Path(css_path).parent
    faces = []
    for match in FACE.finditer(Path(css_path).read_text()):
        body = match.group("body")
        woff = re.search(r"url\((\./files/[^)]+\.woff)\)", body).group(1)
        unicode_range = re.search(r"unicode-range:\s*([^;]+);", body).group(1)
        faces.append((css_dir / woff, parse_ranges(unicode_range)))
    cmaps = {}
    for char in TURKMEN + RUSSIAN:
        code = ord(char)
        covering = [path for path, ranges in faces if any(a <= code <= b for a, b in ranges)]
        assert covering, f"no @font-face covers {char!r}"
        path = covering[0]
        if path not in cmaps:
            cmaps[path] = TTFont(path).getBestCmap()
        assert code in cmaps[path], f"{path.name} lacks a glyph for {char!r}"


def test_templates_and_styles_load_nothing_from_outside():
    external = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|@import\s+url\(["']?(?:https?:)?//|url\(["']?https?://""")
    offenders = []
    for folder in ("templates", "lms", "courses", "assessments", "content"):
        for path in (BASE_DIR / folder).rglob("*"):
            if path.suffix in {".html", ".css", ".js"} and external.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(BASE_DIR)))
    assert offenders == []


def test_pages_reference_only_local_assets(client, site_home):
    html = client.get("/tk/").content.decode()
    assets = re.findall(r'<(?:link|script|img)[^>]+(?:href|src)="([^"]+)"', html)
    assert assets
    assert all(asset.startswith("/") and not asset.startswith("//") for asset in assets)
    for asset in assets:
        if asset.startswith("/static/"):
            assert client.get(asset).status_code == 200, asset
