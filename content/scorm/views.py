"""The files of a SCORM package, served to its sandboxed SCO against a player token.

Every response carries ``Content-Security-Policy: sandbox allow-scripts``: the SCO's pages run in an
opaque origin, never as our site, so they cannot read the learner's cookies or call our endpoints with
them. The SCORM runtime must live in the SCO's own window for the SCO to find it (its parents are
another origin), so each HTML page of the package is served with three scripts put at the top of its
``<head>``: scorm-again's runtime, its start data (the learner's saved CMI, as JSON) and
``scorm/sco.js``, which starts the runtime and commits to the token's commit address. The relaxations
('unsafe-inline', 'unsafe-eval': authoring tools need them) hold inside that sandbox only.
"""

import json
import re
import uuid

from django.contrib.auth import get_user_model
from django.http import FileResponse, Http404, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.http import require_http_methods

from ..h5p.services import content_type_for as h5p_content_type
from ..models import ScormPackage
from ..storage import package_storage
from .cmi import resume_data
from .learner import learner_id, learner_name
from .manifest import SCORM_12
from .services import scorm_attempt_current, scorm_file_path
from .tokens import scorm_grant

SCO_CSP = (
    "sandbox allow-scripts; default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "font-src 'self' data:; connect-src 'self'; frame-src 'self'; worker-src 'self' blob:; "
    "frame-ancestors 'self'; base-uri 'self'; form-action 'none'"
)
HTML_EXTENSIONS = (".html", ".htm")
MAX_HTML_BYTES = 5 * 1024 * 1024
HEAD = re.compile(rb"<head(\s[^>]*)?>", re.IGNORECASE)
HTML = re.compile(rb"<html(\s[^>]*)?>", re.IGNORECASE)
RUNTIME = {SCORM_12: "vendor/scorm-again/scorm12.min.js", "2004": "vendor/scorm-again/scorm2004.min.js"}
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def content_type_for(path: str) -> str:
    return h5p_content_type(path)


def _runtime_tags(*, request, token: str, package: ScormPackage, index: int, sco: dict, user) -> bytes:
    attempt, number = scorm_attempt_current(user_id=user.pk, package=package, sco=sco["identifier"])
    config = {
        "version": package.version,
        # a key of this launch: the server orders the commits of one launch by their sequence number
        "commitUrl": request.build_absolute_uri(reverse("courses:scorm_commit", args=[token, index, number]))
        + f"?session={uuid.uuid4().hex}",
        "parentOrigin": f"{request.scheme}://{request.get_host()}",
        "sco": index,
        "attempt": number,
        "cmi": resume_data(
            version=package.version, attempt=attempt, learner_id=learner_id(user), learner_name=learner_name(user),
            # SCORM 2004: whether a SCO comes before and after this one, in the organization's order
            sco=sco, flow=(index > 0, index < len(package.scos) - 1),
        ),
    }
    data = json.dumps(config, ensure_ascii=False).translate(_JSON_ESCAPES)
    runtime = escape(static(RUNTIME[package.version]))
    bridge = escape(static("scorm/sco.js"))
    return (
        f'\n<script src="{runtime}"></script>\n'
        f'<script type="application/json" id="lms-scorm-config">{data}</script>\n'
        f'<script src="{bridge}"></script>\n'
    ).encode("utf-8")


def _inject(html: bytes, tags: bytes) -> bytes:
    """Put the runtime first in <head> (after <html>, or at the very start, when there is none)."""
    for pattern in (HEAD, HTML):
        match = pattern.search(html)
        if match:
            return html[: match.end()] + tags + html[match.end():]
    return tags + html


def _headers(response) -> HttpResponse:
    response["Content-Security-Policy"] = SCO_CSP
    response["X-Content-Type-Options"] = "nosniff"
    # the sandboxed SCO has an opaque origin: its fetches are cross-origin and carry no cookies
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@require_http_methods(["GET", "HEAD"])
def sco_file(request, token: str, sco: int, path: str):
    grant = scorm_grant(token)
    if grant is None:
        raise Http404
    package = ScormPackage.objects.filter(pk=grant.package_id).first()
    if package is None or not 0 <= sco < len(package.scos or []):
        raise Http404
    stored = scorm_file_path(package=package, path=path)
    if stored is None:
        raise Http404
    try:
        handle = package_storage().open(stored, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    if not path.lower().endswith(HTML_EXTENSIONS):
        response = FileResponse(handle, content_type=content_type_for(path))
        response["Cache-Control"] = "private, max-age=3600"
        return _headers(response)
    with handle:
        html = handle.read(MAX_HTML_BYTES + 1)
    if len(html) > MAX_HTML_BYTES:
        raise Http404
    user = get_user_model().objects.filter(pk=grant.user_id, is_active=True).first()
    if user is None:
        raise Http404
    tags = _runtime_tags(request=request, token=token, package=package, index=sco, sco=package.scos[sco], user=user)
    response = HttpResponse(_inject(html, tags), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "private, no-store"  # it carries the learner's saved data
    return _headers(response)
