"""Request-wide language rules that Django's LocaleMiddleware does not know."""

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
