"""The sandboxed H5P player page and the package files it loads, both authorised by a player token.

Every response here carries ``Content-Security-Policy: sandbox``: even when someone opens a file of a
package directly in the browser, its script (an SVG's, say) runs in an opaque origin, never as our
site, and cannot read the learner's cookies or call our endpoints with them.
"""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from ..models import H5PPackage, H5PUserState
from ..storage import package_storage
from .services import content_type_for, h5p_file_path
from .tokens import player_grant

PLAYER_CSP = (
    "sandbox allow-scripts; default-src 'self'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "font-src 'self' data:; connect-src 'self'; frame-src 'self' blob: data:; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)
FILE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; media-src 'self'"


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
    }
    if state:
        options["contentUserData"] = [{"state": state}]
    context = {
        "options": options,
        "bridge": {"parentOrigin": f"{request.scheme}://{request.get_host()}", "packageId": package.pk},
        "language": grant.language,
        "title": package.title,
    }
    response = render(request, "h5p/player.html", context)
    response["Content-Security-Policy"] = PLAYER_CSP
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def package_file(request, token: str, path: str):
    _grant, package = _grant_and_package(token, with_libraries=True)
    stored = h5p_file_path(package=package, path=path)
    if stored is None:
        raise Http404
    try:
        handle = package_storage().open(stored, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type_for(path))
    response["Content-Security-Policy"] = FILE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    # the sandboxed player has an opaque origin: its fetches are cross-origin and carry no cookies
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Cache-Control"] = "private, max-age=3600"
    response["Referrer-Policy"] = "no-referrer"
    return response
