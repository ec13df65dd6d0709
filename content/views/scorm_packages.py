"""Editors' screens for SCORM packages: upload, replace (re-validated, swapped atomically), delete
(refused while lessons use the package), and the learners' attempts."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.snippets.views.snippets import CreateView, DeleteView, EditView

from ..models import ScormPackage
from ..scorm.exceptions import ScormPackageError
from ..scorm.selectors import scorm_attempt_list
from ..scorm.services import PackageInUse, scorm_package_create, scorm_package_delete, scorm_package_replace
from ..scorm.validation import scorm_validate
from ..virusscan import validate_upload

PACKAGE_REQUIRED = _("Choose a SCORM .zip file to upload.")


class ScormPackageForm(WagtailAdminModelForm):
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].required = False
            self.fields["title"].help_text = _("Leave empty to use the title in the manifest.")

    def clean_package_file(self):
        upload = self.cleaned_data.get("package_file")
        if not upload:
            if self.instance.pk:
                return None
            raise forms.ValidationError(PACKAGE_REQUIRED, code="required")
        try:
            scorm_validate(upload)
        except ScormPackageError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        upload.seek(0)
        return upload


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


class ScormPackageEditView(EditView):
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


class ScormPackageDeleteView(DeleteView):
    def form_valid(self, form):
        try:
            scorm_package_delete(package=self.object)
        except PackageInUse as error:
            titles = ", ".join(page.get_admin_display_title() for page in error.pages)
            messages.error(
                self.request,
                ngettext(
                    "The package is used by a lesson and was not deleted: %(lessons)s. Remove it from the lesson first.",
                    "The package is used by %(count)d lessons and was not deleted: %(lessons)s. Remove it from the lessons first.",
                    len(error.pages),
                )
                % {"count": len(error.pages), "lessons": titles},
            )
            return redirect(self.get_success_url())
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())


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
