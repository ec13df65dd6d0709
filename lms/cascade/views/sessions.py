"""Cascade sessions: list, scheduling form, the session page with its actions, roster, attendance, report.

The views are thin: who sees a session is ``selectors.session_list``; who may do what, and every rule, is
in ``services`` (a refusal comes back as ``SessionRefused``/``NotPermitted`` with a message to show).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.http import urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from courses.selectors import course_nav
from lms.people import selectors as people_selectors
from lms.people.names import display_name
from lms.people.roles import Role
from lms.trainers import selectors as trainer_selectors

from .. import completion
from .. import exceptions as errors
from .. import figures, selectors, services
from ..forms import MAX_DAYS, CommentForm, DayFormSet, ReportForm, RosterActionForm, SessionForm, posted_values
from ..models import ATTENDANCE_OPEN, ATTENDED, Attendance, CascadeSession, SessionParticipant

State = CascadeSession.State
Status = SessionParticipant.Status
# the marks that count as having attended a day

NOT_CERTIFIED_PAGE = gettext_lazy(
    "Only a trainer with a valid certification schedules cascade sessions. Ask your training coordinator if "
    "yours has expired."
)
CHOOSE_PERSON = errors.CHOOSE_PERSON

# what the history calls each recorded action
EVENT_LABELS = {
    "scheduled": gettext_lazy("Scheduled"),
    "changed": gettext_lazy("Changed"),
    "submit": gettext_lazy("Submitted for approval"),
    "approve": gettext_lazy("Approved"),
    "return": gettext_lazy("Returned for changes"),
    "deliver": gettext_lazy("Marked as delivered"),
    "report": gettext_lazy("Report submitted"),
    "report_accepted": gettext_lazy("Report accepted"),
    "send_back": gettext_lazy("Report sent back"),
    "cancel": gettext_lazy("Cancelled"),
    "certificate_revoked": gettext_lazy("Certificate of completion revoked"),
}


def _session(request, pk) -> CascadeSession:
    """A session the user may see; 404 for any other (its existence is not disclosed)."""
    try:
        return selectors.session_get(user=request.user, pk=pk)
    except CascadeSession.DoesNotExist:
        raise Http404 from None


def _may_approve(user) -> bool:
    return people_selectors.agency_scope(user=user).all or people_selectors.user_has_role(
        user=user, role=Role.COORDINATOR
    )


def _is_lead(user, session) -> bool:
    return session.lead_trainer_id == user.pk


# --- list and queue --------------------------------------------------------------------------------------


@login_required
def session_list(request):
    sessions = selectors.session_list_counted(user=request.user)
    state = request.GET.get("state", "")
    if state in State.values:
        sessions = sessions.filter(state=state)
    else:
        state = ""
    context = {
        "sessions": sessions.order_by("-starts_at", "-pk"),
        "states": State.choices,
        "state": state,
        "may_schedule": trainer_selectors.active_certification(user=request.user) is not None,
        "may_approve": _may_approve(request.user),
    }
    return render(request, "cascade/session_list.html", context)


@login_required
def approval_queue(request):
    if not _may_approve(request.user):
        raise PermissionDenied
    sessions = selectors.with_roster_counts(selectors.approval_queue(user=request.user)).select_related("report")
    return render(request, "cascade/approval_queue.html", {"sessions": sessions.order_by("starts_at", "pk")})


# --- scheduling ------------------------------------------------------------------------------------------


def _not_certified(request):
    return render(request, "cascade/session_not_certified.html", {"message": NOT_CERTIFIED_PAGE}, status=403)


def _schedule(request, *, session=None):
    """The scheduling form, for a new session or for the lead trainer's draft or returned one."""
    certification = trainer_selectors.active_certification(user=request.user)
    if certification is None:
        return _not_certified(request)
    agency = people_selectors.user_agency(user=request.user)
    if session is None:
        initial = {
            "course": str(certification.programme.course_key),
            "language": (get_language() or "en")[:2],
            "capacity": 20,
        }
        days_initial = []
    else:
        initial = SessionForm.initial_from(session)
        days_initial = [{"date": day.date, "starts": day.starts, "ends": day.ends} for day in session.days.all()]
    data = request.POST if request.method == "POST" else None
    form = SessionForm(data, initial=initial, trainer=request.user, certification=certification, agency=agency)
    days = DayFormSet(data, initial=days_initial, prefix="days")
    if data is not None and "add_day" in data:
        # "Add a day" without the script: the same form again, as typed, with one more (empty) row
        form = SessionForm(
            initial=posted_values(form), trainer=request.user, certification=certification, agency=agency
        )
        days = DayFormSet(initial=days.posted_rows()[: MAX_DAYS - 1], prefix="days")
        context = {"form": form, "days": days, "session": session, "max_days": MAX_DAYS}
        return render(request, "cascade/session_form.html", context)
    if request.method == "POST" and form.is_valid() and days.is_valid():
        values = form.cleaned_data
        try:
            saved = services.session_schedule(
                actor=request.user,
                session=session,
                title=values["title"],
                course_key=values["course"],
                modules=values["modules"],
                days=[services.Day(row["date"], row["starts"], row["ends"]) for row in days.days()],
                venue=values["venue"],
                capacity=values["capacity"],
                min_attendance=values["min_attendance"],
                language=values["language"],
                unit=values["unit"],
                co_trainers=list(values["co_trainers"]),
                test_mode=values["test_mode"],
                pre_test=values["pre_test"],
                post_test=values["post_test"],
            )
        except errors.CascadeError as error:
            form.add_error(None, error.message)
        else:
            if session is None:
                messages.success(
                    request, _("The session is saved as a draft. Submit it for approval when it is ready.")
                )
            else:
                messages.success(request, _("The session is changed."))
            return redirect("cascade:session_detail", pk=saved.pk)
    invalid = request.method == "POST"
    context = {"form": form, "days": days, "session": session, "max_days": MAX_DAYS}
    return render(request, "cascade/session_form.html", context, status=400 if invalid else 200)


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request):
    return _schedule(request)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = _session(request, pk)
    if not _is_lead(request.user, session):
        raise PermissionDenied
    if session.state not in services.EDITABLE:
        messages.error(request, errors.NOT_EDITABLE)
        return redirect("cascade:session_detail", pk=session.pk)
    return _schedule(request, session=session)


# --- the session page ------------------------------------------------------------------------------------


def _actions(user, session) -> list[dict]:
    """The buttons ``user`` may press on ``session`` in its state (``services.session_actions``)."""
    return [
        {"value": value, "label": services.SESSION_ACTIONS[value].label,
         "needs_comment": services.SESSION_ACTIONS[value].comment_as is not None}
        for value in services.session_actions(user=user, session=session)
    ]


def _modules(session) -> tuple[str, list[tuple[int, str]]]:
    nav = course_nav(course_key=session.course_key, language=get_language())
    titles = {module.number: module.title for module in nav.modules} if nav else {}
    return (nav.title if nav else ""), [(number, titles.get(number, "")) for number in session.modules]


@login_required
@require_http_methods(["GET", "POST"])
def session_detail(request, pk):
    session = _session(request, pk)
    form = CommentForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        form.is_valid()
        comment = form.cleaned_data.get("comment", "")
        if action not in services.SESSION_ACTIONS:
            form.add_error(None, errors.NOT_PERMITTED)
            status = 400
        else:
            chosen = services.SESSION_ACTIONS[action]
            kwargs = {chosen.comment_as: comment} if chosen.comment_as else {}
            try:
                chosen.service(actor=request.user, session=session, **kwargs)
            except errors.NotPermitted as error:
                form.add_error(None, error.message)
                status = 403
            except errors.SessionRefused as error:
                form.add_error(None, error.message)
                status = 400
            else:
                messages.success(request, chosen.done)
                return redirect("cascade:session_detail", pk=session.pk)
        session = _session(request, pk)
    course_title, modules = _modules(session)
    participants = list(session.participants.select_related("user"))
    may_run = services.may_run(user=request.user, session=session)
    actions = _actions(request.user, session)
    context = {
        "session": session,
        "course_title": course_title,
        "modules": modules,
        "days": list(session.days.all()),
        "co_trainers": list(session.co_trainers.all()),
        "enrolled": [place for place in participants if place.status == Status.ENROLLED],
        "waitlisted": [place for place in participants if place.status == Status.WAITLISTED],
        "events": [
            {"event": event, "label": EVENT_LABELS.get(event.action, event.action),
             "state": State(event.to_state).label if event.to_state in State.values else ""}
            for event in session.events.select_related("actor")
        ],
        "report": services.session_report_get(session),
        "actions": actions,
        "comment_needed": any(action["needs_comment"] for action in actions),
        "form": form,
        "is_lead": _is_lead(request.user, session),
        "may_edit": _is_lead(request.user, session) and session.state in services.EDITABLE,
        "may_run": may_run,
        "attendance_open": may_run and session.state in ATTENDANCE_OPEN,
        "may_report": _is_lead(request.user, session) and session.state == State.DELIVERED,
    }
    return render(request, "cascade/session_detail.html", context, status=status)


# --- roster, attendance, report --------------------------------------------------------------------------


def _running(request, pk) -> CascadeSession:
    """A session the user sees (404 otherwise) and runs (403 otherwise)."""
    session = _session(request, pk)
    if not services.may_run(user=request.user, session=session):
        raise PermissionDenied
    return session


# a roster search lists this many people at most (the page and its JSON endpoint alike)
CANDIDATES_SHOWN = 20
# one roster POST adds at most this many people
MAX_ADDED_AT_ONCE = 200


def _candidates(session, query=""):
    return selectors.roster_candidate_list(session=session, query=query)


def candidate_entry(profile) -> dict:
    """What tells a candidate apart: name, position, unit, region, and the username when another person
    of the agency has the same name."""
    user = profile.user
    region = profile.region or (profile.unit.region if profile.unit is not None else None)
    return {
        "id": user.pk,
        "name": display_name(user),
        "position": profile.position,
        "unit": profile.unit.name if profile.unit is not None else "",
        "region": region.name if region is not None else "",
        "username": user.username if getattr(profile, "namesake", False) else "",
    }


def candidate_search(session, query) -> dict:
    """The candidates matching ``query``: the first ``CANDIDATES_SHOWN`` (``profiles``, and ``results`` to
    show), their ``count`` and a sentence saying how many match (``status``, for the live region)."""
    candidates = _candidates(session, query)
    count = candidates.count()
    profiles = list(candidates[:CANDIDATES_SHOWN]) if count else []
    entries = [candidate_entry(profile) for profile in profiles]
    if count == 0 and not selectors.candidate_query(query):
        status = _("Everyone of the agency is on the roster already.")
    elif count == 0:
        status = _("No one of the agency who is not on the roster matches.")
    else:
        status = ngettext("%(count)s person matches.", "%(count)s people match.", count) % {"count": count}
        if count > len(entries):
            status += " " + _("The first %(shown)s are listed: type more to narrow the search.") % {
                "shown": len(entries)
            }
    return {"count": count, "results": entries, "status": status, "profiles": profiles}


def _user_ids(values) -> list[int]:
    """The chosen people's ids in the order given, without repeats; anything not a plain number is dropped."""
    ids = []
    for value in values[:MAX_ADDED_AT_ONCE]:
        if value.isascii() and value.isdigit() and len(value) < 10 and int(value) not in ids:
            ids.append(int(value))
    return ids


def _roster_add(request, session) -> None:
    """Add the chosen people (checkboxes named ``user``) in one transaction, and say what became of them."""
    ids = _user_ids(request.POST.getlist("user"))
    profiles = {profile.user_id: profile for profile in _candidates(session).filter(user_id__in=ids)}
    if not profiles:
        raise errors.SessionRefused(CHOOSE_PERSON)
    users = [profiles[user_id].user for user_id in ids if user_id in profiles]
    places = services.participants_add(actor=request.user, session=session, users=users)
    left_out = len(ids) - len(places)
    if len(places) == 1 and not left_out:
        place = places[0]
        if place.status == Status.WAITLISTED:
            messages.warning(
                request, _("The session is full: %(name)s is on the waiting list.") % {"name": display_name(place.user)}
            )
        else:
            messages.success(request, _("%(name)s is enrolled.") % {"name": display_name(place.user)})
        return
    enrolled = sum(1 for place in places if place.status == Status.ENROLLED)
    waiting = len(places) - enrolled
    parts = []
    if enrolled:
        parts.append(
            ngettext("%(count)s person is enrolled.", "%(count)s people are enrolled.", enrolled)
            % {"count": enrolled}
        )
    if waiting:
        parts.append(
            ngettext(
                "%(count)s person is on the waiting list: the session is full.",
                "%(count)s people are on the waiting list: the session is full.",
                waiting,
            )
            % {"count": waiting}
        )
    if left_out:
        parts.append(
            ngettext(
                "%(count)s chosen person is not added: they are on the roster already or not of the agency.",
                "%(count)s chosen people are not added: they are on the roster already or not of the agency.",
                left_out,
            )
            % {"count": left_out}
        )
    (messages.warning if waiting or left_out else messages.success)(request, " ".join(parts))


@login_required
@require_http_methods(["GET", "POST"])
def session_roster(request, pk):
    session = _running(request, pk)
    roster_open = session.state not in {State.CANCELLED, State.REPORTED}
    error = ""
    query = " ".join(selectors.candidate_query(request.POST.get("q", "") or request.GET.get("q", "")))
    if request.method == "POST":
        posted = RosterActionForm(request.POST)
        posted.is_valid()
        action, picked = request.POST.get("action"), posted.cleaned_data
        try:
            if action == "add":
                _roster_add(request, session)
            elif action == "remove":
                place = (
                    session.participants.select_related("user").filter(pk=picked.get("participant") or 0).first()
                )
                if place is None:
                    raise Http404
                moved = services.participant_remove(actor=request.user, session=session, user=place.user)
                messages.success(request, _("%(name)s is taken off the roster.") % {"name": display_name(place.user)})
                if moved is not None:
                    messages.success(
                        request, _("%(name)s moves up from the waiting list.") % {"name": display_name(moved.user)}
                    )
            else:
                raise errors.SessionRefused(errors.NOT_PERMITTED)
        except errors.CascadeError as refused:
            error = refused.message
        else:
            target = reverse("cascade:session_roster", args=[session.pk])
            if action == "add" and query:
                target += "?" + urlencode({"q": query}) + "#roster-search"
            return redirect(target)
    participants = list(session.participants.select_related("user__profile__unit"))
    search = candidate_search(session, query) if roster_open else None
    context = {
        "session": session,
        "enrolled": [place for place in participants if place.status == Status.ENROLLED],
        "waitlisted": [place for place in participants if place.status == Status.WAITLISTED],
        "search": search,
        "candidates": search["profiles"] if search else [],
        "query": query,
        "query_max_length": selectors.CANDIDATE_QUERY_MAX_LENGTH,
        "roster_open": roster_open,
        "error": error,
        "completion": completion.completion_list(session=session),
        "may_revoke": services.may_decide(user=request.user, session=session),
        "may_issue": session.state in completion.CERTIFIABLE
        and completion.may_issue_certificates(user=request.user, session=session),
    }
    return render(request, "cascade/session_roster.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def session_attendance(request, pk, day_pk):
    session = _running(request, pk)
    day = get_object_or_404(session.days, pk=day_pk)
    enrolled = list(session.participants.filter(status=Status.ENROLLED).select_related("user"))
    error = ""
    if request.method == "POST":
        posted = {place.pk: request.POST.get(f"status-{place.pk}", "") for place in enrolled}
        statuses = {pk: status for pk, status in posted.items() if status}
        try:
            count = services.attendance_record(actor=request.user, session=session, day=day, statuses=statuses)
        except errors.CascadeError as refused:
            error = refused.message
        else:
            date = formats.date_format(day.date)
            messages.success(
                request,
                ngettext(
                    "Attendance of %(date)s is saved for %(count)s person.",
                    "Attendance of %(date)s is saved for %(count)s people.",
                    count,
                )
                % {"date": date, "count": count},
            )
            return redirect("cascade:session_attendance", pk=session.pk, day_pk=day.pk)
    recorded = dict(Attendance.objects.filter(day=day).values_list("participant_id", "status"))
    if request.method == "POST":
        recorded.update({place.pk: request.POST.get(f"status-{place.pk}", "") for place in enrolled})
    closed = services.attendance_refusal(state=session.state, day=day)
    context = {
        "session": session,
        "day": day,
        "days": list(session.days.all()),
        "rows": [{"place": place, "status": recorded.get(place.pk, "")} for place in enrolled],
        "statuses": Attendance.Status.choices,
        "closed": closed,
        "error": error,
    }
    return render(request, "cascade/session_attendance.html", context, status=400 if error else 200)


def _attendance_table(session):
    """Rows of ``(participant, [status per day], days present or late)`` and per-day counts by status."""
    days = list(session.days.all())
    places = list(
        session.participants.filter(status=Status.ENROLLED).select_related("user").prefetch_related("attendance")
    )
    counts = {day.pk: {status: 0 for status in Attendance.Status.values} for day in days}
    rows = []
    for place in places:
        marks = {mark.day_id: mark for mark in place.attendance.all()}
        cells = []
        for day in days:
            mark = marks.get(day.pk)
            if mark is not None:
                counts[day.pk][mark.status] += 1
            cells.append(mark)
        attended = sum(1 for mark in marks.values() if mark.status in ATTENDED)
        rows.append({"place": place, "cells": cells, "attended": attended})
    totals = [
        {"day": day, "counts": [(label, counts[day.pk][value]) for value, label in Attendance.Status.choices]}
        for day in days
    ]
    return days, rows, totals


@login_required
@require_http_methods(["GET", "POST"])
def session_report(request, pk):
    session = _session(request, pk)
    if not (_is_lead(request.user, session) or services.may_decide(user=request.user, session=session)):
        raise PermissionDenied
    report = services.session_report_get(session)
    may_write = _is_lead(request.user, session) and session.state == State.DELIVERED
    initial = {}
    if report is not None:
        initial = {"methods": report.methods, "issues": report.issues, "recommendations": report.recommendations}
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.session_report_submit(actor=request.user, session=session, **form.cleaned_data)
            except errors.CascadeError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The report is submitted to your training coordinator."))
                return redirect("cascade:session_detail", pk=session.pk)
    days, rows, totals = _attendance_table(session)
    context = {
        "session": session,
        "report": report,
        "form": form,
        "may_write": may_write,
        "days": days,
        "rows": rows,
        "totals": totals,
        "figures": figures.report_figures(session=session),
    }
    return render(request, "cascade/session_report.html", context, status=400 if form.errors else 200)
