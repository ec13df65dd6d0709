"""The private storage of package files (H5P now, SCORM later): never under ``MEDIA_URL``.

A package is a folder of files that someone uploaded, scripts and SVGs among them. Served from the
site's origin as plain media, an SVG's script would run as the site and read its cookies. So package
files live in a storage of their own (``STORAGES["packages"]``): on the file system under
``PACKAGES_ROOT``, outside ``MEDIA_ROOT``, or under a private S3 prefix in production. They have no
URL; the token view (``content.h5p.views.package_file``) reads them and serves them sandboxed.
"""

from pathlib import Path

from django.conf import settings
from django.core import checks
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


def packages_root_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Refuse a PACKAGES_ROOT inside MEDIA_ROOT (or the other way round): media is served as the site."""
    if not isinstance(package_storage(), FileSystemStorage):
        return []
    packages = Path(package_storage().location).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    if packages.is_relative_to(media) or media.is_relative_to(packages):
        return [
            checks.Error(
                f"PACKAGES_ROOT ({packages}) must not be inside MEDIA_ROOT ({media}) or contain it.",
                hint="Package files are served only through the sandboxed token view; set PACKAGES_ROOT elsewhere.",
                id="content.E001",
            )
        ]
    return []
