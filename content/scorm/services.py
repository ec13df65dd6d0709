"""Accept, replace and remove SCORM packages; keep which lessons use them; store the learners' CMI data.

Like H5P packages (``content.h5p.services``): a package is validated completely before anything is
written, its files go to a new folder of the private package storage, and the row is written in one
transaction; on any error the files written so far are removed. A replacement goes to a new folder,
swapped in on commit; the old folder is removed afterwards.
"""

import posixpath
import uuid
import zipfile
import zlib
from collections.abc import Iterable

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import ScormAttempt, ScormPackage, ScormUsage
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
from ..zipcheck import shown
from . import exceptions as errors
from .cmi import CommitValues
from .exceptions import ScormPackageError
from .validation import Limits, ValidatedScorm, is_ignored, scorm_validate

PACKAGES_ROOT = "scorm/packages"


def _extract(*, upload, validated: ValidatedScorm, prefix: str) -> None:
    """Copy the validated files into ``prefix``; on any error remove the folder and re-raise."""
    storage = package_storage()
    try:
        if hasattr(upload, "seek"):
            upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            for name in validated.files:
                target = prefix + name
                try:
                    with archive.open(name) as source:
                        saved = storage.save(target, File(source, name=posixpath.basename(target)))
                except (zipfile.BadZipFile, zlib.error, EOFError) as error:  # a bad CRC or a lying header
                    raise ScormPackageError(errors.DAMAGED_FILE, code="damaged_file", params={"name": shown(name)}) from error
                if saved != target:  # the folder is new, so this cannot happen; never serve a renamed file
                    raise RuntimeError(f"storage renamed {target} to {saved}")
    except BaseException:
        folder_remove(prefix)
        raise


def _fields(validated: ValidatedScorm, prefix: str) -> dict:
    manifest = validated.manifest
    return {
        "title": manifest.title[:255],
        "version": manifest.version,
        "schema_version": manifest.schema_version,
        "scos": [sco.as_dict() for sco in manifest.scos],
        "storage_prefix": prefix,
        "size_bytes": validated.total_bytes,
        "file_count": validated.file_count,
    }


def _store(*, upload, limits: Limits | None) -> tuple[ValidatedScorm, str]:
    upload_scan(upload)  # before anything is read: refused (UploadRefused) when clamd finds a virus
    validated = scorm_validate(upload, limits=limits or Limits())
    prefix = f"{PACKAGES_ROOT}/{uuid.uuid4().hex}/"
    _extract(upload=upload, validated=validated, prefix=prefix)
    return validated, prefix


def scorm_package_create(
    *, upload, user=None, locale=None, translation_of: ScormPackage | None = None, limits: Limits | None = None
) -> ScormPackage:
    """Validate an uploaded SCORM zip, store it and record it; on any error nothing is left behind."""
    from wagtail.models import Locale

    locale = locale or Locale.get_default()
    validated, prefix = _store(upload=upload, limits=limits)
    try:
        with transaction.atomic():
            extra = {"translation_key": translation_of.translation_key} if translation_of is not None else {}
            return ScormPackage.objects.create(
                locale=locale, **extra, uploaded_by=user if getattr(user, "is_authenticated", False) else None,
                **_fields(validated, prefix),
            )
    except BaseException:
        folder_remove(prefix)
        raise


def scorm_package_replace(*, package: ScormPackage, upload, user=None, limits: Limits | None = None) -> ScormPackage:
    """Put a new upload in place of a package; the old files serve until the swap commits."""
    validated, prefix = _store(upload=upload, limits=limits)
    old_prefix = package.storage_prefix
    try:
        with transaction.atomic():
            for name, value in _fields(validated, prefix).items():
                setattr(package, name, value)
            package.replaced_at = timezone.now()
            if getattr(user, "is_authenticated", False):
                package.uploaded_by = user
            package.save()
            transaction.on_commit(lambda: folder_remove_if_unused(model=ScormPackage, prefix=old_prefix))
    except BaseException:
        folder_remove(prefix)
        raise
    return package


def scorm_package_delete(*, package: ScormPackage) -> None:
    """Delete a package that no lesson uses (refused with the lessons otherwise)."""
    package_delete(package=package, usage_model=ScormUsage)


def scorm_usage_sync(*, page, package_ids: Iterable[int]) -> None:
    """Record that a live page uses exactly these packages (called on publish and unpublish)."""
    usage_sync(usage_model=ScormUsage, package_model=ScormPackage, page=page, package_ids=package_ids)


def scorm_package_ids_in(stream_value) -> list[int]:
    """The packages that SCORM blocks of a stream field point at, from the raw data (no queries)."""
    return package_ids_in(stream_value, block_type="scorm")


def scorm_file_path(*, package: ScormPackage, path: str) -> str | None:
    """Map a path the SCO asks for to a stored file of this package (None when it has none)."""

    segments = path.split("/")
    if not path or any(segment in ("", ".", "..") for segment in segments) or "\\" in path or is_ignored(path):
        return None
    return package.storage_prefix + path


def scorm_attempt_current(*, user_id: int, package: ScormPackage, sco: str) -> tuple[ScormAttempt | None, int]:
    """Return the attempt a launch resumes (None for a new one) and its number.

    The latest attempt is resumed until it is finished (completed or passed, and not suspended).
    """
    latest = ScormAttempt.objects.filter(user_id=user_id, package=package, sco=sco).order_by("-number").first()
    if latest is None:
        return None, 1
    if latest.finished:
        return None, latest.number + 1
    return latest, latest.number


def scorm_attempt_save(
    *, user, package: ScormPackage, lesson_key, sco: str, number: int, values: CommitValues,
    session: str = "", sequence: int = 0,
) -> ScormAttempt | None:
    """Keep a commit of the runtime as the state of one attempt (created on its first commit).

    A commit of the same launch (``session``) with a sequence number not above the last one kept
    arrived late, after a newer one: it is ignored (None is returned).
    """
    fields = {
        "lesson_key": lesson_key,
        "cmi": values.cmi,
        "lesson_status": values.lesson_status,
        "completion_status": values.completion_status,
        "success_status": values.success_status,
        "score_raw": values.score_raw,
        "score_min": values.score_min,
        "score_max": values.score_max,
        "score_scaled": values.score_scaled,
        "location": values.location[:1000],
        "suspend_data": values.suspend_data,
        "session_time": values.session_time,
        "total_time": values.total_time,
        "exit": values.exit,
        "finished": values.finished,
        "commit_session": session,
        "commit_sequence": sequence,
    }
    key = {"user": user, "package": package, "sco": sco, "number": number}
    for _try in range(2):
        try:
            with transaction.atomic():
                attempt = ScormAttempt.objects.select_for_update().filter(**key).first()
                if attempt is None:
                    return ScormAttempt.objects.create(**key, **fields)
                if session and attempt.commit_session == session and sequence and attempt.commit_sequence >= sequence:
                    return None
                for name, value in fields.items():
                    setattr(attempt, name, value)
                attempt.save()
                return attempt
        except IntegrityError:  # the first two commits of a new attempt raced: the second one updates
            continue
    raise RuntimeError("SCORM attempt could not be saved")


def scorm_scos_done(*, user_id: int, package: ScormPackage) -> set[str]:
    """The SCOs of the package that the learner has completed or passed in some attempt."""
    from django.db.models import Q

    done = Q(lesson_status__in=("completed", "passed")) | Q(completion_status="completed") | Q(success_status="passed")
    return set(
        ScormAttempt.objects.filter(done, user_id=user_id, package=package).values_list("sco", flat=True).distinct()
    )
