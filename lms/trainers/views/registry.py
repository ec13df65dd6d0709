"""The registry of trainers for coordinators and programme managers: a filtered table, its XLSX, one trainer."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from content.spreadsheets import xlsx_response

from .. import registry as registry_selectors
from ..models import Certification


def _check(request):
    if not registry_selectors.registry_allowed(user=request.user):
        raise PermissionDenied


@login_required
def registry(request):
    _check(request)
    filters = registry_selectors.RegistryFilters.from_query(request.GET)
    context = {
        "rows": registry_selectors.trainer_registry(actor=request.user, **filters.as_kwargs()),
        "filters": filters,
        "choices": registry_selectors.registry_choices(actor=request.user),
        "columns": registry_selectors.REGISTRY_COLUMNS,
        "query": request.GET.urlencode(),
    }
    return render(request, "trainers/registry.html", context)


@login_required
def registry_export(request):
    _check(request)
    filters = registry_selectors.RegistryFilters.from_query(request.GET)
    rows = registry_selectors.trainer_registry(actor=request.user, **filters.as_kwargs())
    return xlsx_response(
        [registry_selectors.registry_sheet(rows)],
        filename=f"trainer-registry-{timezone.localdate().isoformat()}.xlsx",
    )


@login_required
def trainer_profile(request, user_id: int):
    _check(request)
    try:
        trainer = registry_selectors.trainer_profile(actor=request.user, user_id=user_id)
    except Certification.DoesNotExist:
        raise Http404 from None
    return render(request, "trainers/trainer_profile.html", {"trainer": trainer})
