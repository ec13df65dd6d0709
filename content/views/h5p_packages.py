"""Editors' screens for H5P activities: upload, replace (re-validated, swapped atomically), delete
(refused while lessons use the package), with the lessons that use each package."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.snippets.views.snippets import CreateView, DeleteView, EditView

from ..h5p.exceptions import H5PPackageError
from ..h5p.services import PackageInUse, h5p_package_create, h5p_package_delete, h5p_package_replace, library_installed
from ..h5p.validation import package_validate
from ..models import H5PUsage
from ..virusscan import validate_upload

PACKAGE_REQUIRED = _("Choose an .h5p file to upload.")


class H5PPackageForm(WagtailAdminModelForm):
    package_file = forms.FileField(
        label=_("H5P package (.h5p)"),
        required=False,
        validators=[validate_upload],
        help_text=_("Exported from H5P (h5p.org, Lumi or another H5P platform). Replacing a package keeps its lessons."),
        widget=forms.ClearableFileInput(attrs={"accept": ".h5p"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].required = False
            self.fields["title"].help_text = _("Leave empty to use the title in the package.")

    def clean_package_file(self):
        upload = self.cleaned_data.get("package_file")
        if not upload:
            if self.instance.pk:
                return None
            raise forms.ValidationError(PACKAGE_REQUIRED, code="required")
        try:
            package_validate(upload, is_installed=library_installed)
        except H5PPackageError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        upload.seek(0)
        return upload


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


class H5PPackageEditView(EditView):
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


class H5PPackageDeleteView(DeleteView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lessons_using"] = _lessons_using(self.object)
        return context

    def form_valid(self, form):
        try:
            h5p_package_delete(package=self.object)
        except PackageInUse as error:
            titles = ", ".join(page.get_admin_display_title() for page in error.pages)
            messages.error(
                self.request,
                ngettext(
                    "The activity is used by a lesson and was not deleted: %(lessons)s. Remove it from the lesson first.",
                    "The activity is used by %(count)d lessons and was not deleted: %(lessons)s. Remove it from the lessons first.",
                    len(error.pages),
                )
                % {"count": len(error.pages), "lessons": titles},
            )
            return redirect(self.get_success_url())
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())


def _lessons_using(package):
    from wagtail.models import Page

    page_ids = H5PUsage.objects.filter(package=package).values_list("page_id", flat=True)
    return list(Page.objects.filter(pk__in=page_ids).order_by("path"))
