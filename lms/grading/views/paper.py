"""Paper mode for sessions without connectivity: print a test form, then enter the answer sheets.

Who may print and fill in which form is ``selectors.paper_form_list``; whose sheets may be entered is
``selectors.gradable_learners``, passed to the import as a queryset so the rule holds in the query.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from assessments import paper
from assessments import services as assessment_services
from assessments.exceptions import AssessmentError
from assessments.models import Assessment, Attempt
from lms.cascade.views.tests import form_made_messages

from .. import selectors
from ..forms import PaperFormRequestForm, PaperRowsForm

EMPTY_ROWS = 10
MAX_ROWS = 300


def _check(request):
    if not selectors.may_grade(user=request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def paper_forms(request):
    """Published tests with a language to print them in; the forms printed lately."""
    _check(request)
    tests = Assessment.objects.filter(published=True).order_by("slug")
    errors = []
    if request.method == "POST":
        chosen = PaperFormRequestForm(request.POST, tests=tests)
        if not chosen.is_valid():
            errors.append(_("Choose a test and a language."))
        else:
            test, language = chosen.cleaned_data["assessment"], chosen.cleaned_data["language"]
            try:
                form = assessment_services.paper_form_create(assessment=test, language=language, user=request.user)
            except AssessmentError as error:
                errors.append(error.message)
            else:
                form_made_messages(request, form)
                return redirect("grading:paper_forms")
    # the user's own forms, their sessions' and (coordinators) their agency's; everyone's for programme managers
    recent = selectors.paper_form_list(user=request.user).order_by("-created_at")[:30]
    context = {"tests": tests, "languages": settings.LANGUAGES, "forms": recent, "errors": errors}
    return render(request, "grading/paper_forms.html", context, status=400 if errors else 200)


@login_required
def paper_form_pdf(request, code):
    _check(request)
    form = get_object_or_404(selectors.paper_form_list(user=request.user), code=code)
    response = HttpResponse(paper.paper_form_pdf(form), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{form.code}.pdf"'
    return response


def _posted_rows(request, positions) -> list:
    posted = PaperRowsForm({"rows": request.POST.get("rows", EMPTY_ROWS)})
    count = min(posted.cleaned_data["rows"], MAX_ROWS) if posted.is_valid() else EMPTY_ROWS
    return [
        {
            "row": number,
            "username": request.POST.get(f"username-{number}", "").strip(),
            "cells": {position: request.POST.get(f"cell-{number}-{position}", "") for position in positions},
        }
        for number in range(1, count + 1)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def paper_enter(request, code):
    """The keyboard grid (one row per answer sheet) and the XLSX/CSV upload; all or nothing."""
    _check(request)
    form = get_object_or_404(selectors.paper_form_list(user=request.user), code=code)
    learners = selectors.gradable_learners(user=request.user).order_by("username")
    positions = list(range(1, len(form.keys) + 1))
    rows = [{"row": number, "username": "", "cells": {}} for number in range(1, EMPTY_ROWS + 1)]
    errors = []
    problems = []
    if request.method == "POST":
        try:
            if request.FILES.get("file"):
                rows = paper.paper_rows_from_file(request.FILES["file"])
            else:
                rows = _posted_rows(request, positions)
            attempts = assessment_services.paper_results_import(
                form=form, rows=rows, allowed_learners=learners, entered_by=request.user,
                submitted_at=selectors.paper_form_written_at(form=form),
            )
        except paper.PaperImportError as error:
            errors.append(error.message)
            problems = error.problems
        except AssessmentError as error:
            errors.append(error.message)
        else:
            messages.success(
                request,
                ngettext("%(count)s answer sheet is entered.", "%(count)s answer sheets are entered.", len(attempts))
                % {"count": len(attempts)},
            )
            return redirect("grading:paper_enter", code=form.code)
        if request.FILES.get("file"):
            rows = [{"row": number, "username": "", "cells": {}} for number in range(1, EMPTY_ROWS + 1)]
    bad = {(row, column) for row, column, _message in problems}
    grid = [
        {
            "row": row["row"],
            "username": row["username"],
            "bad_username": (row["row"], "username") in bad,
            "cells": [
                (position, row["cells"].get(position, ""), (row["row"], str(position)) in bad) for position in positions
            ],
        }
        for row in rows
    ]
    entered = (
        Attempt.objects.filter(form_code=form.code, source=Attempt.Source.PAPER, user__in=learners)
        .select_related("user", "entered_by")
        .order_by("user__username")
    )
    context = {
        "form": form,
        "entered": entered,
        "learners": learners,
        "positions": positions,
        "grid": grid,
        "errors": errors,
        "problems": problems,
        "row_count": len(grid),
    }
    return render(request, "grading/paper_enter.html", context, status=400 if errors else 200)
