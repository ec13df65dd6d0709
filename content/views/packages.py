"""What the editors' screens of H5P and SCORM packages share: the upload field's checks and a delete that is
refused, with the lessons named, while lessons use the package."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.snippets.views.snippets import DeleteView

from ..package_usage import PackageInUse


class PackageUploadForm(WagtailAdminModelForm):
    """A package's form: the upload (required for a new package, optional when replacing) is validated
    whole before anything is stored; the title may stay empty for the package's own."""

    package_required = ""  # the message when a new package has no file
    title_help = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].required = False
            self.fields["title"].help_text = self.title_help

    def package_check(self, upload) -> None:
        """Raise ``forms.ValidationError`` when the upload is not a valid package of this kind."""
        raise NotImplementedError

    def clean_package_file(self):
        upload = self.cleaned_data.get("package_file")
        if not upload:
            if self.instance.pk:
                return None
            raise forms.ValidationError(self.package_required, code="required")
        self.package_check(upload)
        upload.seek(0)
        return upload


class PackageDeleteView(DeleteView):
    """Deletes through the kind's service; a package in use stays, with the lessons that use it named."""

    def package_delete(self, package) -> None:
        raise NotImplementedError

    def in_use_message(self, count: int) -> str:
        """The message naming ``%(count)d`` and ``%(lessons)s`` when lessons use the package."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.package_delete(self.object)
        except PackageInUse as error:
            titles = ", ".join(page.get_admin_display_title() for page in error.pages)
            messages.error(self.request, self.in_use_message(len(error.pages)) % {"count": len(error.pages), "lessons": titles})
            return redirect(self.get_success_url())
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())
