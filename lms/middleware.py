"""Request-wide rules: the languages Django's LocaleMiddleware does not know, and the security headers."""

from dataclasses import asdict

from csp.constants import HEADER, HEADER_REPORT_ONLY, SELF, UNSAFE_INLINE
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

from lms.people import selectors as people_selectors


class AdminLanguageMiddleware:
    """Give the Wagtail admin in Russian to people whose language is Turkmen.

    Wagtail ships no Turkmen catalogue; its admin would otherwise fall back to English, which few
    Turkmen-speaking editors read. Wagtail uses the active language when the editor has not chosen
    an admin language, so activating the fallback here is enough.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        if request.path.startswith(self.admin_prefix):
            fallback = settings.ADMIN_LANGUAGE_FALLBACKS.get(translation.get_language())
            if fallback:
                translation.activate(fallback)
                request.LANGUAGE_CODE = fallback
        return self.get_response(request)


API_PREFIX = "/api/"


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's ``LocaleMiddleware`` everywhere but under /api/, which has no language prefixes.

    Django's ``LocaleMiddleware`` answers a 404 on a path without a language prefix by redirecting to the
    same path under ``/<lang>/`` whenever that path resolves, and Wagtail's catch-all resolves every path:
    a session outside the user's scope would come back as a redirect to a Wagtail 404 page instead of a 404.
    The API has no language prefixes, so for it this middleware only picks the language (the
    ``Accept-Language`` header first, as a program states it; then Django's usual order) and keeps the status.
    """

    def process_request(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return super().process_request(request)
        language = people_selectors.accept_language_get(request=request) or translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        if not request.path_info.startswith(API_PREFIX):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


ADMIN_PREFIX = "/admin/"

# What the Wagtail admin needs beyond the site's policy, and why (Wagtail 8):
# - script-src 'unsafe-inline': widgets and panels write inline <script> blocks that cannot carry a nonce
#   (the date and time choosers, InlinePanel, the workflow and wagtail-localize's editor; widgets do not
#   see the request), and the choosers' modals run the scripts of the HTML they load. No nonce is listed
#   here on purpose: a browser ignores 'unsafe-inline' when a nonce is present.
# - style-src 'unsafe-inline': admin templates and its JavaScript libraries (Draftail, tippy, the
#   focal-point chooser) set style attributes and inject <style> elements.
# - img-src blob:: the image uploader previews the chosen files from blob: URLs.
# Everything else (default, font, connect, frame, object, base-uri, form-action, frame-ancestors) stays
# as for the site. Only editors and managers sign in to the admin, and rich text is sanitised on save.
ADMIN_CSP_REPLACE = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
}
# Wagtail's previews are shown in an iframe of the admin on the same origin. A page's preview renders
# the site's own templates through the whole middleware chain again, with a stand-in request for the
# page's URL that Wagtail marks ``is_preview``: it keeps the site's policy and may be framed by this
# site only. The admin's other framed views (the preview's error page, StreamField block previews) opt
# in to framing with "X-Frame-Options: SAMEORIGIN" and get the same.
PREVIEW_CSP_REPLACE = {"frame-ancestors": [SELF]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the Wagtail admin's relaxations, under /admin/ only.

    The site's policy is ``settings.CONTENT_SECURITY_POLICY``. A view that sets its own
    Content-Security-Policy header (the sandboxed H5P player and its files, Wagtail's document serving)
    keeps it: django-csp never replaces a header that is already there. Views may also use django-csp's
    decorators (``@csp_update``, ``@csp_replace``, ``@csp_exempt``); their values win over these.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request=request, response=response, report_only=report_only)
        if report_only:
            return parts
        if getattr(request, "is_preview", False) and getattr(request, "is_dummy", False):
            relaxation = PREVIEW_CSP_REPLACE
        elif not request.path_info.startswith(ADMIN_PREFIX):
            return parts
        elif response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            relaxation = PREVIEW_CSP_REPLACE
        else:
            relaxation = ADMIN_CSP_REPLACE
        parts.replace = {**relaxation, **(parts.replace or {})}
        return parts

    # the policy of a response without nonce, decorator or relaxation: built once per settings object
    _plain_policies: dict = {}

    def _policy(self, parts, *, report_only: bool) -> str:
        if parts.config is None and parts.update is None and parts.replace is None and parts.nonce is None:
            setting = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY", None)
            known = self._plain_policies.get(report_only)
            if known is None or known[0] is not setting:  # override_settings gives a new object
                known = (setting, build_policy(report_only=report_only))
                self._plain_policies[report_only] = known
            return known[1]
        return build_policy(**asdict(parts), report_only=report_only)

    def process_response(self, request, response):
        """django-csp's, but the plain policy (most responses: no nonce used, no decorator, not the admin) is
        built once instead of for every response, and nothing is built for a response that has its header."""
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for report_only, header, exempt in ((False, HEADER, "_csp_exempt"), (True, HEADER_REPORT_ONLY, "_csp_exempt_ro")):
            if header in response or getattr(response, exempt, False):
                continue
            setting = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY", None)
            prefixes = (setting or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
            if request.path_info.startswith(tuple(prefixes)):
                continue
            policy = self._policy(self.get_policy_parts(request=request, response=response, report_only=report_only),
                                  report_only=report_only)
            if policy:
                response[header] = policy
        # as django-csp: a nonce asked for after the header was written is an error, not a silent gap
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


class PermissionsPolicyMiddleware:
    """Turn off the browser features the site never uses (``settings.PERMISSIONS_POLICY``).

    A view that sets its own Permissions-Policy keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response
