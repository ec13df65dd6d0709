"""Editors' screens for H5P activities: upload, replace (re-validated, swapped atomically), delete
(refused while lessons use the package), with the lessons that use each package."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.snippets.views.snippets import CreateView, EditView

from ..h5p.exceptions import H5PPackageError
from ..h5p.services import h5p_package_create, h5p_package_delete, h5p_package_replace, library_installed
from ..h5p.validation import package_validate
from ..side_panels import TranslationStateEditViewMixin
from ..virusscan import validate_upload
from .packages import PackageDeleteView, PackageUploadForm

PACKAGE_REQUIRED = _("Choose an .h5p file to upload.")


class H5PPackageForm(PackageUploadForm):
    package_file = forms.FileField(
        label=_("H5P package (.h5p)"),
        required=False,
        validators=[validate_upload],
        help_text=_("Exported from H5P (h5p.org, Lumi or another H5P platform). Replacing a package keeps its lessons."),
        widget=forms.ClearableFileInput(attrs={"accept": ".h5p"}),
    )

    package_required = PACKAGE_REQUIRED
    title_help = _("Leave empty to use the title in the package.")

    def package_check(self, upload) -> None:
        try:
            package_validate(upload, is_installed=library_installed)
        except H5PPackageError as error:
            raise forms.ValidationError(error.message, code=error.code) from None


class H5PPackageCreateView(CreateView):
    def save_instance(self):
        form = self.form
        package = h5p_package_create(
            upload=form.cleaned_data["package_file"], user=self.request.user, locale=form.instance.locale
        )
        if form.cleaned_data.get("title"):
            package.title = form.cleaned_data["title"]
        package.microphone = bool(form.cleaned_data.get("microphone"))
        package.save(update_fields=["title", "microphone"])
        return package


class H5PPackageEditView(TranslationStateEditViewMixin, EditView):
    def save_instance(self):
        form = self.form
        package = self.object
        upload = form.cleaned_data.get("package_file")
        if upload:
            package = h5p_package_replace(package=package, upload=upload, user=self.request.user)
        title = form.cleaned_data.get("title")
        if title:
            package.title = title
        package.microphone = bool(form.cleaned_data.get("microphone"))
        package.save(update_fields=["title", "microphone"])
        return package


class H5PPackageDeleteView(PackageDeleteView):
    def package_delete(self, package) -> None:
        h5p_package_delete(package=package)

    def in_use_message(self, count: int) -> str:
        return ngettext(
            "The activity is used by a lesson and was not deleted: %(lessons)s. Remove it from the lesson first.",
            "The activity is used by %(count)d lessons and was not deleted: %(lessons)s. Remove it from the lessons first.",
            count,
        )
