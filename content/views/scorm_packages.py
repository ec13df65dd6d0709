"""Editors' screens for SCORM packages: upload, replace (re-validated, swapped atomically), delete
(refused while lessons use the package), and the learners' attempts."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.snippets.views.snippets import CreateView, EditView

from ..models import ScormPackage
from ..scorm.exceptions import ScormPackageError
from ..scorm.selectors import scorm_attempt_list
from ..scorm.services import scorm_package_create, scorm_package_delete, scorm_package_replace
from ..scorm.validation import scorm_validate
from ..side_panels import TranslationStateEditViewMixin
from ..virusscan import validate_upload
from .packages import PackageDeleteView, PackageUploadForm

PACKAGE_REQUIRED = _("Choose a SCORM .zip file to upload.")


class ScormPackageForm(PackageUploadForm):
    package_file = forms.FileField(
        label=_("SCORM package (.zip)"),
        required=False,
        validators=[validate_upload],
        help_text=_(
            "A SCORM 1.2 or SCORM 2004 package exported from an authoring tool (Articulate, iSpring, Captivate, "
            "eXe), with imsmanifest.xml at the top level. Replacing a package keeps its lessons."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip"}),
    )

    package_required = PACKAGE_REQUIRED
    title_help = _("Leave empty to use the title in the manifest.")

    def package_check(self, upload) -> None:
        try:
            scorm_validate(upload)
        except ScormPackageError as error:
            raise forms.ValidationError(error.message, code=error.code) from None


class ScormPackageCreateView(CreateView):
    def save_instance(self):
        form = self.form
        package = scorm_package_create(
            upload=form.cleaned_data["package_file"], user=self.request.user, locale=form.instance.locale
        )
        if form.cleaned_data.get("title"):
            package.title = form.cleaned_data["title"]
            package.save(update_fields=["title"])
        return package


class ScormPackageEditView(TranslationStateEditViewMixin, EditView):
    def save_instance(self):
        form = self.form
        package = self.object
        upload = form.cleaned_data.get("package_file")
        if upload:
            package = scorm_package_replace(package=package, upload=upload, user=self.request.user)
        title = form.cleaned_data.get("title")
        if title and title != package.title:
            package.title = title
            package.save(update_fields=["title"])
        return package


class ScormPackageDeleteView(PackageDeleteView):
    def package_delete(self, package) -> None:
        scorm_package_delete(package=package)

    def in_use_message(self, count: int) -> str:
        return ngettext(
            "The package is used by a lesson and was not deleted: %(lessons)s. Remove it from the lesson first.",
            "The package is used by %(count)d lessons and was not deleted: %(lessons)s. Remove it from the lessons first.",
            count,
        )


class ScormAttemptsView(WagtailAdminTemplateMixin, TemplateView):
    """The learners' attempts at the SCOs of a package (or of all packages), newest first."""

    template_name = "content/scorm_attempts.html"
    page_title = _("SCORM attempts")
    header_icon = "media"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("content.view_scormattempt"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = self.request.GET.get("package", "")
        package = ScormPackage.objects.filter(pk=int(raw)).first() if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
        context["packages"] = ScormPackage.objects.select_related("locale").order_by("title")
        context["package"] = package
        context["rows"] = scorm_attempt_list(package=package)
        return context
