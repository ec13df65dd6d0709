"""The private storage of package files (H5P now, SCORM later): never under ``MEDIA_URL``.

A package is a folder of files that someone uploaded, scripts and SVGs among them. Served from the
site's origin as plain media, an SVG's script would run as the site and read its cookies. So package
files live in a storage of their own (``STORAGES["packages"]``): on the file system under
``PACKAGES_ROOT``, outside ``MEDIA_ROOT``, or under a private S3 prefix in production. They have no
URL; the token view (``content.h5p.views.package_file``) reads them and serves them sandboxed.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.functional import cached_property

PACKAGES = "packages"


def package_storage() -> Storage:
    """Return the storage that holds package files."""
    return storages[PACKAGES]


class PackageStorage(FileSystemStorage):
    """Package files on the file system under ``settings.PACKAGES_ROOT``, without a public URL."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PACKAGES_ROOT)

    def url(self, name):
        raise ValueError("Package files have no public URL: the token view serves them.")
