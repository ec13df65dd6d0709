"""On-the-job training pages of agency training units: the plan-against-actual dashboard, plans, the
records list with its exports, the record form and the XLSX import.

Who may open them and what they see is ``ojt.selectors`` (a programme manager every agency, a coordinator
their own; anyone else 403); a plan or record of another agency is 404. Rules are ``ojt.services``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from content.bounds import IdField, query_values
from content.spreadsheets import csv_response, xlsx_response

from . import exceptions as errors
from . import exports, imports, progress, selectors, services
from .forms import ImportForm, PlanForm, RecordForm
from .models import OJTRecord, TrainingPlan

PAGE_SIZE = 50
MEASURE_LABELS = {
    "sessions": gettext_lazy("Sessions"),
    "staff": gettext_lazy("Staff trained"),
    "hours": gettext_lazy("Training hours"),
}


def _check(request) -> None:
    if not selectors.ojt_allowed(user=request.user):
        raise PermissionDenied


class PageQueryForm(forms.Form):
    """The query string of the OJT pages: the year, agency and unit they are about (a wrong value is ignored)."""

    year = forms.IntegerField(required=False, min_value=services.FIRST_YEAR, max_value=2100)
    agency = IdField(required=False)
    unit = IdField(required=False)


def _asked(request) -> dict:
    return query_values(PageQueryForm, request.GET)


def _year(request, default: int) -> int:
    return _asked(request).get("year", default)


def _agency(request, agencies):
    """The agency a page is about: the one asked for (managers), else the user's own, else the first."""
    asked = _asked(request).get("agency")
    if asked is not None:
        chosen = next((agency for agency in agencies if agency.pk == asked), None)
        if chosen is not None:
            return chosen
    own = selectors.own_agency(user=request.user)
    if own is not None:
        chosen = next((agency for agency in agencies if agency.pk == own.pk), None)
        if chosen is not None:
            return chosen
    return agencies[0] if agencies else None


# --- dashboard -------------------------------------------------------------------------------------------


@login_required
def ojt_dashboard(request):
    _check(request)
    agencies = list(selectors.ojt_agencies(user=request.user))
    agency = _agency(request, agencies)
    if agency is None:  # a manager on a site without agencies
        raise Http404
    today = timezone.localdate()
    year = _year(request, today.year)
    units = list(selectors.unit_list(user=request.user, agency=agency))
    asked_unit = _asked(request).get("unit")
    unit = next((candidate for candidate in units if candidate.pk == asked_unit), None)
    plans = list(selectors.plan_list(user=request.user, agency=agency, year=year))
    plan = next((candidate for candidate in plans if candidate.unit_id == (unit.pk if unit else None)), None)
    figures = progress.progress_get(agency=agency, year=year, unit=unit, plan=plan)
    columns, top = progress.month_columns(figures.months)
    for column in columns:
        column["label"] = MONTHS_3[column["month"].month].title()
    titles = dict(selectors.national_modules() or [])
    context = {
        "agencies": agencies,
        "agency": agency,
        "show_agencies": len(agencies) > 1,
        "year": year,
        "years": list(range(today.year + 1, today.year - 5, -1)),
        "units": units,
        "unit": unit,
        "plans": plans,
        "plan": plan,
        "progress": figures,
        "measures": [
            {"measure": measure, "label": MEASURE_LABELS[measure.key], "y": 10 + index * 40}
            for index, measure in enumerate(figures.measures)
        ],
        "columns": columns,
        "top": top,
        "topics": [{"topic": topic, "title": titles.get(topic.module, "")} for topic in figures.topics],
    }
    return render(request, "ojt/ojt_dashboard.html", context)


# --- plans -----------------------------------------------------------------------------------------------


def _plan_form(request, *, plan=None):
    _check(request)
    if plan is not None:
        initial = PlanForm.initial_from(plan)
    else:
        own = selectors.own_agency(user=request.user)
        asked = _asked(request)
        initial = {"year": asked.get("year", timezone.localdate().year), "agency": getattr(own, "pk", None)}
        initial.update({name: asked[name] for name in ("agency", "unit") if name in asked})
    form = PlanForm(request.POST or None, initial=initial, user=request.user, plan=plan)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            saved = services.plan_save(
                actor=request.user, plan=plan, agency=values["agency"], unit=values["unit"], year=values["year"],
                target_sessions=values["target_sessions"], target_staff=values["target_staff"],
                target_hours=values["target_hours"], modules=values["modules"], notes=values["notes"],
            )
        except errors.OJTError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The training plan is saved."))
            query = f"?agency={saved.agency_id}&year={saved.year}" + (f"&unit={saved.unit_id}" if saved.unit_id else "")
            return redirect(f"{_url('ojt_dashboard')}{query}")
    status = 400 if request.method == "POST" else 200
    return render(request, "ojt/ojt_plan_form.html", {"form": form, "plan": plan}, status=status)


def _url(name, *args) -> str:
    return reverse(f"ojt:{name}", args=args)


@login_required
@require_http_methods(["GET", "POST"])
def ojt_plan_create(request):
    return _plan_form(request)


@login_required
@require_http_methods(["GET", "POST"])
def ojt_plan_edit(request, pk):
    _check(request)
    try:
        plan = selectors.plan_get(user=request.user, pk=pk)
    except TrainingPlan.DoesNotExist:
        raise Http404 from None
    return _plan_form(request, plan=plan)


# --- records ---------------------------------------------------------------------------------------------


def _record(request, pk) -> OJTRecord:
    _check(request)
    try:
        return selectors.record_get(user=request.user, pk=pk)
    except OJTRecord.DoesNotExist:
        raise Http404 from None


@login_required
def ojt_records(request):
    _check(request)
    filters = selectors.RecordFilters.from_query(request.GET)
    records = selectors.record_list(user=request.user, filters=filters)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    agencies = list(selectors.ojt_agencies(user=request.user))
    context = {
        "page": page,
        "filters": filters,
        "agencies": agencies,
        "show_agencies": len(agencies) > 1,
        "units": list(selectors.unit_list(user=request.user)),
        "modules": selectors.national_modules() or [],
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
        "query": query.urlencode(),
    }
    return render(request, "ojt/ojt_records.html", context)


def _record_values(form) -> dict:
    values = form.cleaned_data
    return {
        "staff": values["staff"].user, "date": values["date"], "hours": values["hours"], "topic": values["topic"],
        "module": values["module"], "instructor": values["instructor"], "evidence": values["evidence"],
        "unit": values["unit"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def ojt_record_create(request):
    _check(request)
    initial = {"date": timezone.localdate()}
    form = RecordForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_create(
                actor=request.user, agency=form.cleaned_data["staff"].agency, **_record_values(form)
            )
        except errors.OJTError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The record is saved."))
            if "another" in request.POST:
                return redirect("ojt:ojt_record_create")
            return redirect(f"{_url('ojt_records')}?year={record.date.year}")
    status = 400 if request.method == "POST" else 200
    return render(request, "ojt/ojt_record_form.html", {"form": form, "record": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def ojt_record_edit(request, pk):
    record = _record(request, pk)
    form = RecordForm(
        request.POST or None, initial=RecordForm.initial_from(record), user=request.user, agency=record.agency
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_update(actor=request.user, record=record, **_record_values(form))
        except errors.OJTError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The record is saved."))
            return redirect(f"{_url('ojt_records')}?year={record.date.year}")
    status = 400 if request.method == "POST" else 200
    return render(request, "ojt/ojt_record_form.html", {"form": form, "record": record}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def ojt_record_delete(request, pk):
    record = _record(request, pk)
    if request.method == "POST":
        try:
            services.record_delete(actor=request.user, record=record)
        except errors.NotPermitted:
            raise PermissionDenied from None
        messages.success(request, _("The record is deleted."))
        return redirect("ojt:ojt_records")
    return render(request, "ojt/ojt_record_delete.html", {"record": record})


# --- exports ---------------------------------------------------------------------------------------------


@login_required
def ojt_records_export(request, kind):
    _check(request)
    if kind not in ("xlsx", "csv"):
        raise Http404
    filters = selectors.RecordFilters.from_query(request.GET)
    sheet = exports.records_sheet(selectors.record_list(user=request.user, filters=filters))
    filename = f"ojt-records-{timezone.localdate().isoformat()}.{kind}"
    if kind == "csv":
        return csv_response(sheet, filename=filename)
    return xlsx_response([sheet], filename=filename)


# --- import ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def ojt_import(request):
    _check(request)
    own = selectors.own_agency(user=request.user)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user,
                      initial={"agency": getattr(own, "pk", None)})
    problems = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = imports.records_import_file(
                    actor=request.user, agency=form.cleaned_data["agency"], upload=form.cleaned_data["file"]
                )
            except errors.OJTError as refused:
                form.add_error("file", refused.message)
            else:
                if result.problems:
                    problems = result.problems
                else:
                    messages.success(
                        request,
                        ngettext("%(count)s record imported.", "%(count)s records imported.", result.created)
                        % {"count": result.created},
                    )
                    return redirect("ojt:ojt_records")
    context = {"form": form, "problems": problems, "max_rows": imports.MAX_ROWS,
               "max_mb": imports.MAX_BYTES // (1024 * 1024)}
    return render(request, "ojt/ojt_import.html", context, status=status)


@login_required
def ojt_import_template(request):
    _check(request)
    response = HttpResponse(imports.template_workbook(), content_type=imports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="ojt-records-template.xlsx"'
    return response
