"""Request-wide language rules that Django's LocaleMiddleware does not know."""

from django.conf import settings
from django.utils import translation


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
