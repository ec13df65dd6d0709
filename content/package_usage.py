"""Which live lessons use which uploaded packages (H5P and SCORM alike), and what follows from it: a
package in use is not deleted, and a package's folder goes only when no package points at it any more.

A lesson's StreamField holds blocks that point at a package by id (``{"type": "h5p", "value": {"package":
3}}``); on publish and unpublish the usage table of that package kind is brought in line with the live page.
The table answers "may this learner play this package here?" and "which lessons use it?" without reading
every lesson's body.
"""

from collections.abc import Iterable

from django.db import transaction
from wagtail.models import Page

from .storage import package_storage


class PackageInUse(Exception):
    """The package is used by lessons and cannot be deleted."""

    def __init__(self, pages):
        super().__init__("package in use")
        self.pages = list(pages)


def package_ids_in(stream_value, *, block_type: str) -> list[int]:
    """The packages that blocks of ``block_type`` in a stream field point at, from the raw data (no queries)."""
    ids = []
    for block in getattr(stream_value, "raw_data", []) or []:
        if block.get("type") == block_type:
            value = block.get("value") or {}
            if isinstance(value.get("package"), int):
                ids.append(value["package"])
    return ids


def usage_sync(*, usage_model, package_model, page, package_ids: Iterable[int]) -> None:
    """Record that a live page uses exactly these packages (ids of packages that no longer exist are dropped)."""
    wanted = set(package_model.objects.filter(pk__in=set(package_ids)).values_list("pk", flat=True))
    with transaction.atomic():
        usage_model.objects.filter(page_id=page.pk).exclude(package_id__in=wanted).delete()
        usage_model.objects.bulk_create(
            [usage_model(page_id=page.pk, package_id=package_id) for package_id in wanted], ignore_conflicts=True
        )


def lessons_using(*, usage_model, package) -> list:
    """The live lessons that use a package, in tree order."""
    page_ids = usage_model.objects.filter(package=package).values_list("page_id", flat=True)
    return list(Page.objects.filter(pk__in=page_ids).order_by("path"))


def package_delete(*, package, usage_model) -> None:
    """Delete a package that no lesson uses (refused with the lessons otherwise); its files go after the
    commit, unless another package points at the same folder."""
    pages = lessons_using(usage_model=usage_model, package=package)
    if pages:
        raise PackageInUse(pages)
    prefix = package.storage_prefix
    with transaction.atomic():
        package.delete()
        transaction.on_commit(lambda: folder_remove_if_unused(model=type(package), prefix=prefix))


def folder_remove_if_unused(*, model, prefix: str) -> None:
    """Remove a package folder that no package of ``model`` points at (after a replacement or a delete)."""
    if not model.objects.filter(storage_prefix=prefix).exists():
        folder_remove(prefix)


def folder_remove(prefix: str) -> None:
    """Remove a folder of the private package storage with everything in it (a missing one is fine)."""
    storage = package_storage()
    try:
        directories, files = storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        storage.delete(prefix + name)
    for directory in directories:
        folder_remove(f"{prefix}{directory}/")
    try:
        storage.delete(prefix.rstrip("/"))  # the emptied directory on the file system
    except OSError:
        pass
