"""The sandboxed H5P player page and the package files it loads, both authorised by a player token.

Every response here carries ``Content-Security-Policy: sandbox``: even when someone opens a file of a
package directly in the browser, its script (an SVG's, say) runs in an opaque origin, never as our
site, and cannot read the learner's cookies or call our endpoints with them.

Because the player is isolated so, its own policy can allow what real H5P content needs and the
site's policy never does: ``'unsafe-eval'`` (QuestionSet's EmbeddedJS and other template code),
``worker-src blob:`` (AudioRecorder's encoder), media from the hosts in ``H5P_REMOTE_MEDIA_HOSTS``
(InteractiveVideo with a remote video; none by default, the networks are closed), and the
microphone for the packages an editor opted in (``H5PPackage.microphone``).

The player runs in an opaque origin, so every request it makes for a package file is cross-origin: the
files answer with ``Access-Control-Allow-Origin: *`` (no credentials are involved), browsers' preflight
OPTIONS requests are answered, and images are loaded with ``crossorigin="anonymous"``
(``H5PIntegration.crossorigin``, set in static/h5p/integration.js) so that content drawing them on a
canvas (Agamotto) can still read it.
"""

import re

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET, require_http_methods

from ..models import H5PPackage, H5PUserState
from ..storage import package_storage
from .services import content_type_for, h5p_file_path, media_hosts, permissions_policy
from .tokens import player_grant

PLAYER_CSP = (
    "sandbox allow-scripts; default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src {media}; "
    "font-src 'self' data:; connect-src 'self'; frame-src 'self' blob: data:; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)
FILE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; media-src 'self'"
# what a preflight may ask for: header names only (RFC 9110 tokens), never anything that could split a header
REQUEST_HEADERS = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*")


def player_csp() -> str:
    return PLAYER_CSP.format(media=" ".join(["'self'", "blob:", *media_hosts(settings.H5P_REMOTE_MEDIA_HOSTS)]))


def _grant_and_package(token: str, *, with_libraries: bool = False) -> tuple:
    grant = player_grant(token)
    if grant is None:
        raise Http404
    packages = H5PPackage.objects.all()
    if with_libraries:
        packages = packages.prefetch_related("libraries")
    package = packages.filter(pk=grant.package_id).first()
    if package is None:
        raise Http404
    return grant, package


@require_GET
def player(request, token: str):
    grant, package = _grant_and_package(token)
    state = H5PUserState.objects.filter(user_id=grant.user_id, package=package).values_list("data", flat=True).first()
    base = f"/h5p/{token}"
    options = {
        "h5pJsonPath": base,
        "contentJsonPath": f"{base}/content",
        "librariesPath": f"{base}/libraries",
        "frameJs": static("vendor/h5p-standalone/frame.bundle.js"),
        "frameCss": static("vendor/h5p-standalone/styles/h5p.css"),
        "frame": False,
        "icon": False,
        "fullScreen": False,
        "xAPIObjectIRI": request.build_absolute_uri(f"/h5p/activity/{package.translation_key}"),
        # the core hands previous state to the activity only when saveFreq is set; it saves nothing
        # itself without a user and an ajax URL (the bridge in player.js reports the state instead)
        "saveFreq": 30,
        # in the sandbox the player's own iframe would get another opaque origin, which the H5P
        # core cannot write into: play in a div of the (already isolated) player page
        "embedType": "div",
        # sets H5PIntegration.crossorigin before the content starts (see the module's docstring)
        "customJs": [static("h5p/integration.js")],
    }
    if state:
        options["contentUserData"] = [{"state": state}]
    context = {
        "options": options,
        "bridge": {
            "parentOrigin": f"{request.scheme}://{request.get_host()}",
            "packageId": package.pk,
            # absolute URLs that get crossorigin too: this package's own files only, never a remote host
            "crossoriginRegex": "^" + re.escape(request.build_absolute_uri(f"{base}/")),
        },
        "language": grant.language,
        "title": package.title,
    }
    response = render(request, "h5p/player.html", context)
    response["Content-Security-Policy"] = player_csp()
    response["Permissions-Policy"] = permissions_policy(microphone=package.microphone)
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _file_headers(response) -> None:
    # the sandboxed player has an opaque origin: its fetches are cross-origin and carry no cookies
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Content-Security-Policy"] = FILE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def package_file(request, token: str, path: str):
    if request.method == "OPTIONS":
        return _preflight(request, token)
    _grant, package = _grant_and_package(token, with_libraries=True)
    stored = h5p_file_path(package=package, path=path)
    if stored is None:
        raise Http404
    try:
        handle = package_storage().open(stored, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type_for(path))
    _file_headers(response)
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _preflight(request, token: str) -> HttpResponse:
    """Answer a browser's CORS preflight (a fetch with a header such as Content-Type: application/json).

    Only reading is allowed, as on the GET; the token must be valid, the file is not looked up.
    """
    _grant_and_package(token)
    response = HttpResponse(status=204)
    _file_headers(response)
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    asked = request.headers.get("Access-Control-Request-Headers", "").strip()
    if asked and len(asked) <= 1000 and REQUEST_HEADERS.fullmatch(asked):
        response["Access-Control-Allow-Headers"] = asked
    response["Access-Control-Max-Age"] = "3600"
    response["Cache-Control"] = "private, no-store"
    return response
