"""Files embedded in a question file (Moodle XML ``<file encoding="base64">`` and Moodle 1.9
``<image_base64>``), checked while the file is read and linked when the bank stores the question.

Reading (no database): ``embedded_file`` checks one file as an upload through the editors' screens would be
(the virus scanner of ``content.virusscan`` when one is configured; images: Wagtail's image field, with
its formats, size and pixel limits; other files: the document extensions and size limit) and says whether
it becomes an image or a document, or reports why it is not imported (warning). A kept file goes into the
question dict as ``files: [{"name": "photo.png", "kind": "image", "content": b"…"}]``; its references
``@@PLUGINFILE@@/photo.png`` stay in the HTML of the prompt and feedback.

Storing: ``assessments.services.questions_import`` creates the Wagtail images and documents and calls
``link_files``, which turns ``<img src="@@PLUGINFILE@@/…">`` into Wagtail's stored image embed and
``<a href="@@PLUGINFILE@@/…">`` into a document link; a reference to a file that was not kept is removed
(an image) or unwrapped (a link, its text kept).
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote

from django.utils.translation import gettext_lazy as _

from assessments.interchange.common import FILE_TOO_LARGE, QuestionReport, shorten
from content import virusscan  # looked up at call time: tests replace virusscan.upload_scan

PLUGINFILE = "@@PLUGINFILE@@/"
PLUGINFILE_REFERENCE = re.compile(r"@@PLUGINFILE@@/([^\"'\s>)?#]+)")

FILE_UNREADABLE = _("the embedded file “%(file)s” is not valid base64 data; it is not imported.")
FILE_REFUSED = _("the embedded file “%(file)s” is not imported: %(reason)s")
FILE_TYPE = _(
    "the embedded file “%(file)s” is not imported: files of this type are not accepted (images: %(images)s; "
    "documents: %(documents)s)."
)
FILE_UNUSED = _(
    "the embedded file “%(file)s” is used in an answer or feedback on an answer, which hold text only; it is "
    "not imported."
)
FILE_MISSING = _(
    "the text refers to the file “%(file)s”, which the question file does not contain; the reference is removed."
)
OLD_IMAGE_MISSING = _(
    "the image “%(file)s” (Moodle 1.9) is not in the file, only its name; add the image again in the editor."
)


def referenced_names(html: str) -> list[str]:
    """The file names an HTML text refers to with ``@@PLUGINFILE@@/…``, decoded, in order, once each."""
    names: list[str] = []
    for raw in PLUGINFILE_REFERENCE.findall(html or ""):
        name = unquote(raw).lstrip("/")
        if name not in names:
            names.append(name)
    return names


def decode(report: QuestionReport, name: str, data: str) -> bytes | None:
    try:
        return base64.b64decode("".join((data or "").split()), validate=True)
    except (binascii.Error, ValueError):
        report.warn(FILE_UNREADABLE, code="file_unreadable", file=shorten(name, 60))
        return None


def embedded_file(report: QuestionReport, name: str, content: bytes) -> dict | None:
    """``{"name", "kind", "content"}`` of a file that may be stored, or None (reported)."""
    from django.conf import settings
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.template.defaultfilters import filesizeformat

    shown = shorten(name, 60)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    images = [e.lower() for e in getattr(settings, "WAGTAILIMAGES_EXTENSIONS", ["gif", "jpg", "jpeg", "png", "webp"])]
    documents = [e.lower() for e in getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or []]
    if extension in images:
        kind = "image"
    elif extension in documents:
        kind = "document"
    else:
        report.warn(
            FILE_TYPE, code="file_type", file=shown, images=", ".join(images), documents=", ".join(documents) or "—"
        )
        return None
    upload = SimpleUploadedFile(name.rsplit("/", 1)[-1], content)
    try:
        virusscan.upload_scan(upload)
        if kind == "image":
            from wagtail.images.fields import WagtailImageField

            WagtailImageField().clean(upload)
        else:
            limit = getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None)
            if limit is not None and len(content) > limit:
                raise ValidationError(
                    str(FILE_TOO_LARGE) % {"size": filesizeformat(len(content)), "limit": filesizeformat(limit)}
                )
    except virusscan.UploadRefused as refused:
        report.warn(FILE_REFUSED, code="file_refused", file=shown, reason=str(refused.message))
        return None
    except ValidationError as invalid:
        report.warn(FILE_REFUSED, code="file_refused", file=shown, reason=" ".join(str(m) for m in invalid.messages))
        return None
    return {"name": name, "kind": kind, "content": content}


def link_files(html: str, stored: dict[str, tuple[str, int]]) -> str:
    """``html`` with each ``@@PLUGINFILE@@`` reference turned into Wagtail's stored form.

    ``stored`` maps a file name to ``("image", id)`` or ``("document", id)``. An image reference to a
    stored image becomes ``<embed embedtype="image" format="fullwidth" …/>``, a link to a stored file a
    document link (``linktype="document"``); the rest is removed (images) or unwrapped (links).
    """
    if not html or PLUGINFILE not in html:
        return html or ""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")

    def target(value) -> tuple[str, int] | None:
        value = value or ""
        if not value.startswith(PLUGINFILE):
            return None
        return stored.get(unquote(value[len(PLUGINFILE) :].split("?", 1)[0].split("#", 1)[0]).lstrip("/"), ("", 0))

    for img in soup.find_all("img"):
        found = target(img.get("src"))
        if found is None:
            continue
        kind, pk = found
        if kind == "image":
            embed = soup.new_tag("embed")
            embed.attrs = {"embedtype": "image", "id": str(pk), "format": "fullwidth", "alt": img.get("alt", "")}
            img.replace_with(embed)
        elif kind == "document":
            link = soup.new_tag("a")
            link.attrs = {"linktype": "document", "id": str(pk)}
            link.string = img.get("alt") or str(pk)
            img.replace_with(link)
        else:
            img.decompose()
    for anchor in soup.find_all("a"):
        found = target(anchor.get("href"))
        if found is None:
            continue
        kind, pk = found
        if kind == "document":
            anchor.attrs = {"linktype": "document", "id": str(pk)}
        else:
            anchor.unwrap()
    text = str(soup)
    return PLUGINFILE_REFERENCE.sub("", text) if PLUGINFILE in text else text
