"""Base forms of Wagtail's image and document screens (``WAGTAILIMAGES_IMAGE_FORM_BASE``,
``WAGTAILDOCS_DOCUMENT_FORM_BASE``): a new file is checked by the virus scanner before it is stored."""

from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from .virusscan import validate_upload


def _scanned(form):
    upload = form.cleaned_data.get("file")
    if isinstance(upload, UploadedFile):  # a new file; editing the title alone keeps the stored one
        validate_upload(upload)
    return upload


class ScannedImageForm(BaseImageForm):
    def clean_file(self):
        return _scanned(self)


class ScannedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        return _scanned(self)
