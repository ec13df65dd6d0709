"""Which live lessons use which uploaded packages (H5P and SCORM alike).

A lesson's StreamField holds blocks that point at a package by id (``{"type": "h5p", "value": {"package":
3}}``); on publish and unpublish the usage table of that package kind is brought in line with the live page.
The table answers "may this learner play this package here?" and "which lessons use it?" without reading
every lesson's body.
"""

from collections.abc import Iterable

from django.db import transaction


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
