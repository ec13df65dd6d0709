"""Build the seed SCORM packages, in memory and byte for byte reproducibly, from our own content.

``indicators.json`` holds the texts of a short interactive module on indicators of trafficking, per
language; ``module.js`` and ``module.css`` are its code and style. ``package_build`` writes them as a
SCORM 1.2 or SCORM 2004 (4th edition) package with one SCO: ``imsmanifest.xml``, ``index.html``,
``module.js``, ``module.css``. Tests build their own packages with ``manifest_xml`` and ``zip_bytes``.
"""

import html
import io
import json
import zipfile
from pathlib import Path

SCORM_DIR = Path(__file__).resolve().parent
LANGUAGES = ("en", "ru", "tk")
VERSIONS = ("1.2", "2004")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644 << 16
SLUGS = {"1.2": "indicators-scorm12", "2004": "indicators-scorm2004"}

NAMESPACES = {
    "1.2": (
        'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" '
        'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"',
        "1.2", "scormtype",
    ),
    "2004": (
        'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" '
        'xmlns:adlseq="http://www.imsglobal.org/xsd/imsss" xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"',
        "2004 4th Edition", "scormType",
    ),
}


def texts(language: str) -> dict:
    return json.loads((SCORM_DIR / "indicators.json").read_text(encoding="utf-8"))["languages"][language]


def package_title(*, version: str, language: str) -> str:
    return f"{texts(language)['title']} (SCORM {version})"


def manifest_xml(*, version: str, title: str, scos: list[tuple[str, str, str]], schema: str | None = None) -> str:
    """A manifest with one organization whose items are ``scos``: (identifier, title, launch href)."""
    namespaces, schema_version, attribute = NAMESPACES[version]
    schema = schema_version if schema is None else schema
    items = "".join(
        f'<item identifier="{html.escape(identifier)}" identifierref="res-{html.escape(identifier)}">'
        f"<title>{html.escape(sco_title)}</title></item>"
        for identifier, sco_title, _href in scos
    )
    resources = "".join(
        f'<resource identifier="res-{html.escape(identifier)}" type="webcontent" adlcp:{attribute}="sco" '
        f'href="{html.escape(href)}"><file href="{html.escape(href)}"/></resource>'
        for identifier, _title, href in scos
    )
    metadata = f"<metadata><schema>ADL SCORM</schema><schemaversion>{schema}</schemaversion></metadata>" if schema else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<manifest identifier="lms-seed" version="1" {namespaces}>'
        f'{metadata}<organizations default="org"><organization identifier="org"><title>{html.escape(title)}</title>'
        f"{items}</organization></organizations><resources>{resources}</resources></manifest>\n"
    )


def zip_bytes(files: dict[str, bytes | str]) -> bytes:
    """A zip of ``files`` (name: content), entries sorted with a fixed date and mode."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = FILE_MODE
            info.compress_type = zipfile.ZIP_DEFLATED
            content = files[name]
            archive.writestr(info, content.encode("utf-8") if isinstance(content, str) else content)
    return buffer.getvalue()


def index_html(*, version: str, language: str) -> str:
    data = json.dumps({"version": version, "texts": texts(language)}, ensure_ascii=False)
    data = data.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    title = html.escape(texts(language)["title"])
    return (
        f'<!doctype html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n'
        f'<link rel="stylesheet" href="module.css">\n</head>\n<body>\n<main id="module"></main>\n'
        f'<script type="application/json" id="module-data">{data}</script>\n'
        f'<script src="module.js"></script>\n</body>\n</html>\n'
    )


def package_build(*, version: str, language: str) -> bytes:
    """Return the .zip of the seed module as a SCORM ``version`` package in ``language``."""
    title = package_title(version=version, language=language)
    return zip_bytes({
        "imsmanifest.xml": manifest_xml(version=version, title=title, scos=[("indicators", texts(language)["title"], "index.html")]),
        "index.html": index_html(version=version, language=language),
        "module.js": (SCORM_DIR / "module.js").read_bytes(),
        "module.css": (SCORM_DIR / "module.css").read_bytes(),
    })
