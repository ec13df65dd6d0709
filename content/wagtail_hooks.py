"""Admin wiring for content records: legal provisions and their review report, H5P and SCORM packages."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from wagtail.admin.panels import FieldPanel, ObjectList

from .localize_buttons import BatchedLocalizeButtonsMixin
from .models import H5PPackage, LegalProvision, ScormPackage, Term
from .side_panels import TranslatableSnippetEditView
from .views.h5p_packages import H5PPackageCreateView, H5PPackageDeleteView, H5PPackageEditView, H5PPackageForm
from .views.scorm_packages import (
    ScormAttemptsView,
    ScormPackageCreateView,
    ScormPackageDeleteView,
    ScormPackageEditView,
    ScormPackageForm,
)
from .views.provision_review import ProvisionReviewView


class TranslatableSnippetIndexView(BatchedLocalizeButtonsMixin, IndexView):
    """wagtail-localize's "Translate" / "Sync" row buttons from one batch per page, not queries per row."""


class LegalProvisionViewSet(SnippetViewSet):
    model = LegalProvision
    index_view_class = TranslatableSnippetIndexView
    icon = "doc-full-inverse"
    menu_label = _("Legal provisions")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["article", "instrument", "edition", "effective_from", "effective_to", "verified"]
    list_filter = ["verified", "locale"]
    # no search_fields: the model's index is searched whole; naming fields here makes the SQLite backend look
    # for columns its FTS5 table does not have (a 500 on every search); the index names the same fields
    edit_view_class = TranslatableSnippetEditView


register_snippet(LegalProvisionViewSet)


class TermViewSet(SnippetViewSet):
    model = Term
    index_view_class = TranslatableSnippetIndexView
    icon = "openquote"
    menu_label = _("Termbase")
    menu_order = 212
    add_to_admin_menu = True
    list_display = ["preferred", "concept", "deprecated", "source"]
    list_filter = ["locale"]
    search_fields = ["preferred", "deprecated", "concept"]
    edit_view_class = TranslatableSnippetEditView
    panels = [
        FieldPanel("concept"),
        FieldPanel("preferred"),
        FieldPanel("deprecated"),
        FieldPanel("note"),
        FieldPanel("source"),
    ]


register_snippet(TermViewSet)


class H5PPackageViewSet(SnippetViewSet):
    model = H5PPackage
    index_view_class = TranslatableSnippetIndexView
    icon = "pick"
    menu_label = _("H5P activities")
    menu_order = 215
    add_to_admin_menu = True
    list_display = ["title", "main_library", "main_library_version", "size_label", "lessons_label", "uploaded_at", "uploaded_by"]
    list_filter = ["locale", "main_library"]
    search_fields = ["title", "main_library"]
    edit_handler = ObjectList(
        [
            FieldPanel("package_file"), FieldPanel("title"), FieldPanel("microphone"),
            FieldPanel("language_note", read_only=True),
        ],
        base_form_class=H5PPackageForm,
    )
    add_view_class = H5PPackageCreateView
    edit_view_class = H5PPackageEditView
    delete_view_class = H5PPackageDeleteView

    def get_queryset(self, request):
        from django.db.models import Count

        return H5PPackage.objects.select_related("uploaded_by", "locale").annotate(lesson_count=Count("usages"))


register_snippet(H5PPackageViewSet)


class ScormPackageViewSet(SnippetViewSet):
    model = ScormPackage
    index_view_class = TranslatableSnippetIndexView
    icon = "media"
    menu_label = _("SCORM packages")
    menu_order = 216
    add_to_admin_menu = True
    list_display = ["title", "version", "sco_count", "size_label", "uploaded_at", "uploaded_by"]
    list_filter = ["locale", "version"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [FieldPanel("package_file"), FieldPanel("title")],
        base_form_class=ScormPackageForm,
    )
    add_view_class = ScormPackageCreateView
    edit_view_class = ScormPackageEditView
    delete_view_class = ScormPackageDeleteView

    def get_queryset(self, request):
        return ScormPackage.objects.select_related("uploaded_by", "locale")


register_snippet(ScormPackageViewSet)


@hooks.register("register_admin_urls")
def register_provision_review_url():
    return [
        path("provisions/review/", ProvisionReviewView.as_view(), name="content_provision_review"),
        path("scorm/attempts/", ScormAttemptsView.as_view(), name="content_scorm_attempts"),
    ]


class ProvisionReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("content.change_legalprovision")


class ScormAttemptsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("content.view_scormattempt")


@hooks.register("register_reports_menu_item")
def register_scorm_attempts_menu_item():
    return ScormAttemptsMenuItem(_("SCORM attempts"), reverse("content_scorm_attempts"), icon_name="media", order=910)


@hooks.register("register_reports_menu_item")
def register_provision_review_menu_item():
    return ProvisionReviewMenuItem(
        _("Provisions to review"), reverse("content_provision_review"), icon_name="doc-full-inverse", order=900
    )
