"""Admin wiring for the course tree: the translation status report."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views_admin.translation_status import TranslationStatusView


@hooks.register("register_admin_urls")
def register_translation_status_url():
    return [path("translations/out-of-date/", TranslationStatusView.as_view(), name="courses_translation_status")]


class TranslationStatusMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("wagtail_localize.submit_translation")


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    return TranslationStatusMenuItem(
        _("Translations to update"), reverse("courses_translation_status"), icon_name="globe", order=910
    )
