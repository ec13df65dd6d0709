"""Admin wiring for content records: legal provisions and their review report."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import LegalProvision
from .views.provision_review import ProvisionReviewView


class LegalProvisionViewSet(SnippetViewSet):
    model = LegalProvision
    icon = "doc-full-inverse"
    menu_label = _("Legal provisions")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["article", "instrument", "edition", "effective_from", "effective_to", "verified"]
    list_filter = ["verified", "locale"]
    search_fields = ["title", "article", "instrument"]


register_snippet(LegalProvisionViewSet)


@hooks.register("register_admin_urls")
def register_provision_review_url():
    return [path("provisions/review/", ProvisionReviewView.as_view(), name="content_provision_review")]


class ProvisionReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("content.change_legalprovision")


@hooks.register("register_reports_menu_item")
def register_provision_review_menu_item():
    return ProvisionReviewMenuItem(
        _("Provisions to review"), reverse("content_provision_review"), icon_name="doc-full-inverse", order=900
    )
