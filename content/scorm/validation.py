"""Validate an uploaded SCORM package before anything of it is extracted.

The zip archive is checked like an H5P package (``content.zipcheck``: zip slip, symbolic links,
bombs, clashing names); then ``imsmanifest.xml`` must be at the top level and every SCO's launch file
must be in the package. Unlike H5P, a SCORM package is made of HTML and JavaScript by design, so no
file type is refused: it is contained by serving every file sandboxed (``content.scorm.views``).
Hidden entries (``.DS_Store``, ``__MACOSX/``) that zip tools on a Mac add are not refused, but neither
extracted nor served.
"""

import os
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from content.zipcheck import ZipLimits, entries_check, shown, size_label, zip_open

from . import exceptions as errors
from .exceptions import ScormPackageError
from .manifest import Manifest, manifest_parse

MANIFEST = "imsmanifest.xml"
AICC_EXTENSIONS = (".au", ".crs", ".des", ".cst")


@dataclass(frozen=True)
class Limits(ZipLimits):
    max_manifest_bytes: int = 2 * 1024 * 1024


@dataclass(frozen=True)
class ValidatedScorm:
    manifest: Manifest
    files: tuple[str, ...]  # the names to extract, posix, hidden entries left out
    total_bytes: int
    file_count: int


def is_ignored(name: str) -> bool:
    """Return whether an entry is left out: hidden files and folders, and the __MACOSX folder."""
    segments = name.split("/")
    return segments[0] == "__MACOSX" or any(segment.startswith(".") for segment in segments)


def scorm_validate(file: str | os.PathLike | IO[bytes], *, limits: Limits = Limits()) -> ValidatedScorm:
    """Return the manifest and the files to extract, or raise ``ScormPackageError``."""
    with zip_open(file, error=ScormPackageError, not_zip=errors.NOT_ZIP) as archive:
        entries = entries_check(infos=archive.infolist(), limits=limits, error=ScormPackageError)
        files = {name: info for name, info in entries.items() if not is_ignored(name)}
        if MANIFEST not in files:
            nested = sorted((name for name in files if name.rsplit("/", 1)[-1].lower() == MANIFEST), key=len)
            if nested:
                raise ScormPackageError(
                    errors.MANIFEST_IN_FOLDER, code="manifest_in_folder",
                    params={"folder": shown(nested[0].rsplit("/", 1)[0] + "/")},
                )
            if any(name.lower().endswith(AICC_EXTENSIONS) for name in files):
                raise ScormPackageError(errors.AICC_PACKAGE, code="aicc")
            raise ScormPackageError(errors.MANIFEST_MISSING, code="manifest_missing")
        info = files[MANIFEST]
        if info.file_size > limits.max_manifest_bytes:
            raise ScormPackageError(
                errors.MANIFEST_TOO_LARGE, code="manifest_too_large", params={"limit": size_label(limits.max_manifest_bytes)}
            )
        try:
            with archive.open(info) as handle:
                data = handle.read(limits.max_manifest_bytes + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise ScormPackageError(errors.DAMAGED_FILE, code="damaged_file", params={"name": MANIFEST}) from exc
        if len(data) > limits.max_manifest_bytes:
            raise ScormPackageError(
                errors.MANIFEST_TOO_LARGE, code="manifest_too_large", params={"limit": size_label(limits.max_manifest_bytes)}
            )
    manifest = manifest_parse(data)
    for sco in manifest.scos:
        if sco.launch not in files:
            raise ScormPackageError(
                errors.LAUNCH_MISSING, code="launch_missing", params={"title": sco.title, "href": shown(sco.launch)}
            )
    return ValidatedScorm(
        manifest=manifest,
        files=tuple(sorted(files)),
        total_bytes=sum(info.file_size for info in files.values()),
        file_count=len(files),
    )
