"""A session's tests page: who has taken the pre- and post-test, online or on paper, and what the session
taught once results exist; in paper mode, the session's printed forms.

Which attempts belong to the session is ``delivery.session_attempts`` (the same windows as the trainer's
delivery figures); the figures are ``figures.pre_post_figures``. Whoever sees the session sees the page;
only those who run it (``services.may_run``) see every participant's results and make paper forms, the
others (the participants) see their own row and the session's figures.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from assessments.models import Attempt

from .. import delivery, figures, selectors, services
from .. import exceptions as errors
from ..models import CascadeSession, SessionParticipant

# what the page reads: finished attempts, and those that wait for a trainer to grade an open response
READ_STATES = (*delivery.FINISHED, Attempt.State.AWAITING_GRADING)


def form_made_messages(request, form) -> None:
    """Tell the user a paper form is ready, and how many items were left out of it (the session's tests
    page and the paper forms page of ``lms.grading`` say the same)."""
    if form.skipped:
        count = len(form.skipped)
        messages.warning(
            request,
            ngettext(
                "%(count)s item cannot be answered on paper (case or open response) and was left out.",
                "%(count)s items cannot be answered on paper (case or open response) and were left out.",
                count,
            )
            % {"count": count},
        )
    messages.success(request, _("Form %(code)s is ready to print.") % {"code": form.code})


def _session(request, pk) -> CascadeSession:
    """A session the user may see; 404 for any other (its existence is not disclosed)."""
    try:
        return selectors.session_get(user=request.user, pk=pk)
    except CascadeSession.DoesNotExist:
        raise Http404 from None


def _cell(row) -> dict | None:
    """What the page shows of the attempt that stands for one test of one participant."""
    if row is None:
        return None
    finished = row["state"] in delivery.FINISHED
    percent = None
    if finished and row["max_score"]:
        percent = float(row["score"] or 0) / float(row["max_score"]) * 100
    return {
        "finished": finished,
        "score": row["score"],
        "max_score": row["max_score"],
        "percent": percent,
        "source": row["source"],
        "source_label": Attempt.Source(row["source"]).label,
        "submitted_at": row["submitted_at"],
    }


def _make_form(request, session):
    """Make a paper form of the posted phase; a message for the page, or None when it is made."""
    try:
        form = services.session_paper_form_create(
            actor=request.user, session=session, phase=request.POST.get("phase", "")
        )
    except errors.NotPermitted:
        raise PermissionDenied from None
    except errors.SessionRefused as refused:
        return refused.message
    form_made_messages(request, form)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def session_tests(request, pk):
    session = _session(request, pk)
    may_run = services.may_run(user=request.user, session=session)
    error = ""
    if request.method == "POST":
        if not may_run:
            raise PermissionDenied
        error = _make_form(request, session)
        if not error:
            return redirect("cascade:session_tests", pk=session.pk)
    places = list(
        session.participants.filter(status=SessionParticipant.Status.ENROLLED).select_related("user")
    )
    if not may_run:
        places = [place for place in places if place.user_id == request.user.pk]
    attempts = delivery.session_attempts([session], states=READ_STATES)
    phases = figures.taken(attempts)
    rows = [
        {
            "place": place,
            "cells": [_cell(phases.get(place.user_id, {}).get(phase)) for phase in ("pre", "post")],
        }
        for place in places
    ]
    paper_mode = session.test_mode == CascadeSession.TestMode.PAPER
    context = {
        "session": session,
        "pre_test": session.pre_test,
        "post_test": session.post_test,
        "rows": rows,
        "sees_all": may_run,
        "results": figures.pre_post_figures(attempts),
        "pre_window": delivery.PRE_WINDOW.days,
        "post_window": delivery.POST_WINDOW.days,
        "paper_mode": paper_mode,
        "may_make_forms": may_run and paper_mode and session.state != CascadeSession.State.CANCELLED,
        "forms": list(session.paper_forms.select_related("assessment").order_by("-created_at")) if may_run else [],
        "error": error,
    }
    return render(request, "cascade/session_tests.html", context, status=400 if error else 200)
