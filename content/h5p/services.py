"""Accept, replace and remove H5P packages; keep the table of which lessons use which package.

A package is validated completely before anything is written (``validation``). Its files then go to
a new folder in the private package storage (``content.storage``, never served as media), and the
database rows are written in one transaction; if anything fails, the files written so far are removed, so a rejected upload leaves no file and no
row. Stored folders are never changed afterwards: a replacement is written to a new folder and
swapped in when the transaction commits, and the old folder is removed after that, so the old
package keeps serving until the new one is ready.
"""

import mimetypes
import posixpath
import re
import uuid
import zipfile
import zlib
from collections.abc import Iterable

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from ..models import H5PLibrary, H5PPackage, H5PStatement, H5PUsage, H5PUserState
from ..package_usage import (  # noqa: F401 (PackageInUse: callers catch it from here)
    PackageInUse,
    folder_remove,
    folder_remove_if_unused,
    package_delete,
    package_ids_in,
    usage_sync,
)
from ..storage import package_storage
from ..virusscan import upload_scan
from . import exceptions as errors
from .exceptions import H5PPackageError
from .validation import LibraryRef, Limits, ValidatedPackage, package_validate

PACKAGES_ROOT = "h5p/packages"
LIBRARIES_ROOT = "h5p/libraries"


def library_installed(ref: LibraryRef) -> bool:
    return H5PLibrary.objects.filter(
        machine_name=ref.machine_name, major_version=ref.major, minor_version=ref.minor
    ).exists()


def _installed_best(ref: LibraryRef) -> H5PLibrary | None:
    return (
        H5PLibrary.objects.filter(machine_name=ref.machine_name, major_version=ref.major, minor_version=ref.minor)
        .order_by("-patch_version")
        .first()
    )


def _refs(dependencies) -> list[LibraryRef]:
    refs = []
    for dependency in dependencies or []:
        try:
            refs.append(
                LibraryRef(
                    machine_name=str(dependency["machineName"]),
                    major=int(dependency["majorVersion"]),
                    minor=int(dependency["minorVersion"]),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    return refs


class _Writer:
    """Copy zip entries into storage and remember what was written, to undo it on failure."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.written: list[str] = []
        self.folders: set[str] = set()  # new folders (their names are unique), removed whole on undo

    def copy(self, name: str, target: str) -> None:
        self.written.append(target)  # before writing: a write that fails half-way is removed too
        try:
            with self.archive.open(name) as source:
                saved = package_storage().save(target, File(source, name=posixpath.basename(target)))
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:  # a bad CRC or a lying header
            raise H5PPackageError(errors.DAMAGED_FILE, code="damaged_file", params={"name": name[:200]}) from error
        if saved != target:
            self.written.append(saved)  # the folder is new, so this cannot happen; never serve a renamed file
            raise RuntimeError(f"storage renamed {target} to {saved}")

    def undo(self) -> None:
        for path in self.written:
            try:
                package_storage().delete(path)
            except OSError:
                pass
        for folder in self.folders:
            folder_remove(folder)


def _install_libraries(*, validated: ValidatedPackage, writer: _Writer) -> list[H5PLibrary]:
    """Resolve every library the package needs to an installed row, installing packaged ones.

    A packaged library is installed when no row has its version or a newer patch; otherwise the
    newest installed patch serves (H5P's rule: patch versions are compatible).
    """
    resolved: dict[str, H5PLibrary] = {}
    queue = list(validated.dependencies)
    while queue:
        ref = queue.pop(0)
        if ref.folder in resolved:
            continue
        packaged = validated.libraries.get(ref.folder)
        installed = _installed_best(ref)
        if packaged is not None and (installed is None or installed.patch_version < packaged.patch):
            prefix = f"{LIBRARIES_ROOT}/{ref.folder}-{packaged.patch}-{uuid.uuid4().hex[:12]}/"
            writer.folders.add(prefix)
            size = 0
            for relative in packaged.files:
                name = f"{ref.folder}/{relative}"
                writer.copy(name, prefix + relative)
                size += validated_entry_size(writer.archive, name)
            installed = H5PLibrary.objects.create(
                machine_name=ref.machine_name,
                major_version=ref.major,
                minor_version=ref.minor,
                patch_version=packaged.patch,
                title=packaged.title[:255],
                library_json=packaged.library_json,
                storage_prefix=prefix,
                size_bytes=size,
            )
        if installed is None:  # validation has checked the closure; a library removed since then
            raise RuntimeError(f"H5P library {ref} is no longer installed")
        resolved[ref.folder] = installed
        queue.extend(_refs(installed.library_json.get("preloadedDependencies")))
    return list(resolved.values())


def validated_entry_size(archive: zipfile.ZipFile, name: str) -> int:
    return archive.getinfo(name).file_size


def _language_note(*, libraries: Iterable[H5PLibrary], language: str) -> str:
    """Name the libraries that bring no strings in the activity's language (English is shown)."""
    if language in ("", "en", "und"):
        return ""
    missing = []
    for library in libraries:
        prefix = library.storage_prefix
        if library.library_json.get("runnable") and not package_storage().exists(f"{prefix}language/{language}.json"):
            missing.append(library.folder)
    if not missing:
        return ""
    return ", ".join(sorted(missing))


def _write_package(*, upload, writer_holder: list, limits: Limits | None):
    upload_scan(upload)  # before anything is read: refused (UploadRefused) when clamd finds a virus
    validated = package_validate(upload, is_installed=library_installed, limits=limits or Limits())
    if hasattr(upload, "seek"):
        upload.seek(0)
    archive = zipfile.ZipFile(upload)
    writer = _Writer(archive)
    writer_holder.append(writer)
    prefix = f"{PACKAGES_ROOT}/{uuid.uuid4().hex}/"
    writer.folders.add(prefix)
    writer.copy("h5p.json", prefix + "h5p.json")
    size = validated_entry_size(archive, "h5p.json")
    for relative in validated.content_files:
        writer.copy(f"content/{relative}", f"{prefix}content/{relative}")
        size += validated_entry_size(archive, f"content/{relative}")
    libraries = _install_libraries(validated=validated, writer=writer)
    main = next(
        library for library in libraries
        if library.machine_name == validated.main_library.machine_name
        and library.major_version == validated.main_library.major
        and library.minor_version == validated.main_library.minor
    )
    return validated, prefix, size, libraries, main


def _package_fields(*, validated, prefix, size, libraries, main, locale_language: str) -> dict:
    return {
        "title": validated.title[:255],
        "main_library": main.machine_name,
        "main_library_version": f"{main.major_version}.{main.minor_version}.{main.patch_version}",
        "h5p_json": validated.h5p_json,
        "storage_prefix": prefix,
        "size_bytes": size + sum(library.size_bytes for library in libraries),
        "file_count": validated.file_count,
        "language_note": _language_note(libraries=libraries, language=locale_language),
    }


def h5p_package_create(
    *, upload, user=None, locale=None, translation_of: H5PPackage | None = None, limits: Limits | None = None
) -> H5PPackage:
    """Validate an uploaded .h5p file, store it and record it; on any error nothing is left behind.

    ``translation_of`` makes the new package that package's version in ``locale``.
    """
    from wagtail.models import Locale

    locale = locale or Locale.get_default()
    holder: list[_Writer] = []
    try:
        with transaction.atomic():
            validated, prefix, size, libraries, main = _write_package(upload=upload, writer_holder=holder, limits=limits)
            extra = {"translation_key": translation_of.translation_key} if translation_of is not None else {}
            package = H5PPackage.objects.create(
                locale=locale,
                **extra,
                uploaded_by=user if getattr(user, "is_authenticated", False) else None,
                **_package_fields(
                    validated=validated, prefix=prefix, size=size, libraries=libraries, main=main,
                    locale_language=locale.language_code,
                ),
            )
            package.libraries.set(libraries)
    except BaseException:
        for writer in holder:
            writer.undo()
        raise
    return package


def h5p_package_replace(*, package: H5PPackage, upload, user=None, limits: Limits | None = None) -> H5PPackage:
    """Put a new upload in place of a package; the old files serve until the swap commits."""
    holder: list[_Writer] = []
    old_prefix = package.storage_prefix
    try:
        with transaction.atomic():
            validated, prefix, size, libraries, main = _write_package(upload=upload, writer_holder=holder, limits=limits)
            fields = _package_fields(
                validated=validated, prefix=prefix, size=size, libraries=libraries, main=main,
                locale_language=package.locale.language_code,
            )
            for name, value in fields.items():
                setattr(package, name, value)
            package.replaced_at = timezone.now()
            if getattr(user, "is_authenticated", False):
                package.uploaded_by = user
            package.save()
            package.libraries.set(libraries)
            transaction.on_commit(lambda: folder_remove_if_unused(model=H5PPackage, prefix=old_prefix))
    except BaseException:
        for writer in holder:
            writer.undo()
        raise
    return package


def h5p_package_delete(*, package: H5PPackage) -> None:
    """Delete a package that no lesson uses (refused with the lessons otherwise)."""
    package_delete(package=package, usage_model=H5PUsage)


def h5p_files_move_private() -> int:
    """Move package and library files kept in the default (media) storage to the package storage.

    Before packages had a storage of their own they lived under ``MEDIA_ROOT/h5p/``, where the media
    route served them as the site. Names stay the same, so ``storage_prefix`` values stay valid.
    Return the number of files moved; safe to re-run (a file already moved is only removed).
    """
    from django.core.files.storage import default_storage

    target = package_storage()
    moved = 0

    def walk(folder: str) -> None:
        nonlocal moved
        try:
            directories, files = default_storage.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            return
        for name in files:
            path = folder + name
            if not target.exists(path):
                with default_storage.open(path, "rb") as handle:
                    saved = target.save(path, File(handle, name=name))
                if saved != path:
                    raise RuntimeError(f"storage renamed {path} to {saved}")
                moved += 1
            default_storage.delete(path)
        for directory in directories:
            walk(f"{folder}{directory}/")
        try:
            default_storage.delete(folder.rstrip("/"))  # the emptied directory on the file system
        except OSError:
            pass

    walk("h5p/")
    return moved


def h5p_usage_sync(*, page, package_ids: Iterable[int]) -> None:
    """Record that a live page uses exactly these packages (called on publish and unpublish)."""
    usage_sync(usage_model=H5PUsage, package_model=H5PPackage, page=page, package_ids=package_ids)


def h5p_package_ids_in(stream_value) -> list[int]:
    """The packages that H5P blocks of a stream field point at, from the raw data (no queries)."""
    return package_ids_in(stream_value, block_type="h5p")


def h5p_file_path(*, package: H5PPackage, path: str) -> str | None:
    """Map a path the player asks for to a stored file of this package (None when it has none)."""
    segments = path.split("/")
    if not path or any(segment in ("", ".", "..") for segment in segments) or "\\" in path:
        return None
    if any(segment.startswith((".", "_")) for segment in segments):  # ignored on upload, as H5P does
        return None
    if path == "h5p.json" or segments[0] == "content":
        return package.storage_prefix + path
    if segments[0] == "libraries" and len(segments) >= 3:
        folder = segments[1]
        library = next((item for item in package.libraries.all() if item.folder == folder), None)
        if library is None:
            return None
        return library.storage_prefix + "/".join(segments[2:])
    return None


# a CSP host source: an optional scheme, a host (or *.domain), an optional port; nothing that could end
# the directive (no space, quote or semicolon)
MEDIA_HOST = re.compile(r"(https?://)?(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?", re.ASCII)


def media_hosts(values) -> list[str]:
    """The remote media hosts of the setting that are valid CSP host sources (the others are ignored;
    ``content.E002`` reports them)."""
    return [value for value in values if isinstance(value, str) and MEDIA_HOST.fullmatch(value)]


def media_hosts_check(app_configs=None, **kwargs) -> list:
    from django.core import checks

    bad = [value for value in settings.H5P_REMOTE_MEDIA_HOSTS if value not in media_hosts([value])]
    if not bad:
        return []
    return [
        checks.Error(
            f"H5P_REMOTE_MEDIA_HOSTS has entries that are not host sources: {bad!r}.",
            hint="Give hosts such as https://media.example.org or *.example.org, separated by commas.",
            id="content.E002",
        )
    ]


def permissions_policy(*, microphone: bool) -> str:
    """The Permissions-Policy of a page that plays H5P: the site's, with the microphone on when asked.

    The player is sandboxed, so its origin is opaque and no origin list can name it: only ``*`` lets a
    lesson page delegate the microphone to it (through the iframe's ``allow``, which names that
    iframe alone) and lets the player use what it was given.
    """
    policy = settings.PERMISSIONS_POLICY
    if microphone:
        policy = re.sub(r"microphone=\([^)]*\)", "microphone=*", policy)
    return policy


def content_type_for(path: str) -> str:
    guessed, _encoding = mimetypes.guess_type(path)
    if path.endswith(".json"):
        return "application/json"
    if path.endswith((".vtt", ".webvtt")):
        return "text/vtt"
    return guessed or "application/octet-stream"


def h5p_statement_store(*, user, package_id: int, lesson_key, parsed) -> bool:
    """Store a checked statement once; return False when it was already stored (a replay)."""
    from django.db import IntegrityError

    try:
        with transaction.atomic():
            H5PStatement.objects.create(
                user=user,
                package_id=package_id,
                lesson_key=lesson_key,
                statement_id=parsed.statement_id,
                verb=parsed.verb,
                completed=parsed.completes,
                success=parsed.success,
                score_scaled=parsed.score_scaled,
                statement=parsed.statement,
            )
    except IntegrityError:
        return False
    return True


def h5p_state_save(*, user, package_id: int, data: str) -> None:
    """Keep where the learner is in an activity (one row per learner and package)."""
    H5PUserState.objects.update_or_create(user=user, package_id=package_id, defaults={"data": data})
