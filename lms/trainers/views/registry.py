"""The registry of trainers for coordinators and programme managers: a filtered table, its XLSX, one trainer."""

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .. import registry as registry_selectors
from ..models import Certification

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_DATE_FORMAT = "yyyy-mm-dd"


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
    response = HttpResponse(_workbook(rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="trainer-registry-{timezone.localdate().isoformat()}.xlsx"'
    return response


def _workbook(rows) -> bytes:
    """One sheet: the translated headers, then a row per certification; dates as Excel dates."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Trainer registry")[:31]
    sheet.append([str(label) for _key, label in registry_selectors.REGISTRY_COLUMNS])
    for row in rows:
        certification = row.certification
        sheet.append(
            [
                row.name,
                row.agency.name if row.agency else "",
                row.region.name if row.region else "",
                certification.programme.name,
                row.status_label,
                certification.number or "",
                certification.certified_on,
                certification.valid_until,
                ", ".join(str(number) for number in row.modules),
                row.sessions_delivered,
                row.delivered.participants,
                round(row.delivered.mean_gain, 2) if row.delivered.mean_gain is not None else None,
            ]
        )
    for index, (key, _label) in enumerate(registry_selectors.REGISTRY_COLUMNS, start=1):
        letter = get_column_letter(index)
        if key in ("certified_on", "valid_until"):
            for cell in sheet[letter][1:]:
                cell.number_format = XLSX_DATE_FORMAT
        sheet.column_dimensions[letter].width = 30 if key in ("name", "agency", "programme") else 16
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@login_required
def trainer_profile(request, user_id: int):
    _check(request)
    try:
        trainer = registry_selectors.trainer_profile(actor=request.user, user_id=user_id)
    except Certification.DoesNotExist:
        raise Http404 from None
    return render(request, "trainers/trainer_profile.html", {"trainer": trainer})
