"""Who a trainer or coordinator works with, and which cascade sessions a user may see.

Whose answers a trainer grades (the participants of the sessions they lead or co-lead, ``trained_by``)
is ``lms.grading.selectors``.

Co-trainers are trainers of the session's agency (``services.session_schedule`` refuses others). A row
from before that rule may still name a co-trainer of another agency: ``trained_by`` leaves such a
co-trainer out, so they get neither the session nor rights over the host agency's people.
"""

import unicodedata
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.utils import timezone

from lms.people import selectors as people_selectors
from lms.people.models import Profile
from lms.trainers.models import Certification

from .models import ATTENDANCE_OPEN, CascadeSession, SessionDay, SessionParticipant, SessionReport


def trained_by(user, *, prefix: str = "") -> Q:
    """The sessions ``user`` (a user or a user id) leads, or co-leads as a person of the session's agency.

    ``prefix`` reaches the session from another model (``"session__"`` from a participant). The agency is
    compared in the query (the co-trainer's profile among the profiles of the session's agency), so a
    co-trainer of another agency matches nothing.
    """
    return Q(**{f"{prefix}lead_trainer": user}) | Q(
        **{f"{prefix}co_trainers": user, f"{prefix}agency__profiles__user": user}
    )


def co_trainer_list(*, agency, lead=None, on=None):
    """The people who may co-train a session of ``agency``: its active people with a trainer certification
    valid ``on`` (today by default), by name, without ``lead``. The web form and the API offer these."""
    User = get_user_model()
    if agency is None:
        return User.objects.none()
    certified = Certification.objects.filter(
        status=Certification.Status.CERTIFIED, valid_until__gte=on or timezone.localdate()
    )
    people = User.objects.filter(is_active=True, profile__agency=agency, pk__in=certified.values("user_id"))
    if lead is not None:
        people = people.exclude(pk=lead.pk)
    return people.select_related("profile__agency").order_by("last_name", "first_name", "username")


# --- sessions --------------------------------------------------------------------------------------------


def session_list(*, user):
    """Sessions the user may see: managers all; coordinators their agency's; trainers those they lead or
    co-lead (as a person of the session's agency, ``trained_by``); everyone the sessions they are on the
    roster of."""
    queryset = CascadeSession.objects.select_related("lead_trainer", "agency", "unit", "region")
    agencies = people_selectors.agency_scope(user=user)
    if agencies.all:
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    scope = trained_by(user) | Q(participants__user=user)
    if agencies.own is not None:
        scope |= agencies.q("agency")
    return queryset.filter(pk__in=CascadeSession.objects.filter(scope).values("pk"))


def with_roster_counts(sessions):
    """``sessions`` with their roster counts, ``enrolled`` and ``waitlisted``, in the same query: the lists of
    the web and of the API."""
    Status = SessionParticipant.Status
    return sessions.annotate(
        enrolled=Count("participants", filter=Q(participants__status=Status.ENROLLED), distinct=True),
        waitlisted=Count("participants", filter=Q(participants__status=Status.WAITLISTED), distinct=True),
    )


def session_list_counted(*, user):
    """``session_list`` with the roster counts (``with_roster_counts``)."""
    return with_roster_counts(session_list(user=user))


def session_get(*, user, pk: int):
    """One session the user may see; ``CascadeSession.DoesNotExist`` otherwise."""
    return session_list(user=user).get(pk=pk)


def roster_candidate_list(*, session, query: str = ""):
    """The people who may be added to ``session``'s roster: active people of its agency who are not on it,
    nor its trainers (a queryset of profiles, by name). The web's roster page and the API offer the same.

    ``query`` narrows them by name, username, position, unit and region (see ``candidate_query``); the
    agency rule stays in this query, so no search reaches a person of another agency. Each profile carries
    ``namesake``: another active person of the agency has the same first and last name (the pages then
    show the username to tell them apart).
    """
    taken = [*session.participants.values_list("user_id", flat=True), session.lead_trainer_id,
             *session.co_trainers.values_list("pk", flat=True)]
    agency_people = Profile.objects.filter(agency=session.agency, user__is_active=True)
    namesakes = agency_people.filter(
        user__first_name=OuterRef("user__first_name"), user__last_name=OuterRef("user__last_name")
    ).exclude(pk=OuterRef("pk"))
    candidates = (
        agency_people.exclude(user_id__in=taken)
        .select_related("user", "unit", "unit__region", "region")
        .annotate(namesake=Exists(namesakes))
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    for word in candidate_query(query):
        candidates = candidates.filter(_matches(word))
    return candidates


# the bounds of a roster search: longer input is cut, further words are ignored
CANDIDATE_QUERY_MAX_LENGTH = 100
CANDIDATE_QUERY_MAX_WORDS = 5
_SEARCHED = (
    "user__first_name", "user__last_name", "user__username", "position",
    "unit__name_en", "unit__name_ru", "unit__name_tk",
    "region__name_en", "region__name_ru", "region__name_tk",
    "unit__region__name_en", "unit__region__name_ru", "unit__region__name_tk",
)


def candidate_query(query) -> list[str]:
    """The words of a roster search: control characters (NUL …) dropped, cut to a bounded length and
    number of words. Any text is safe: the words go to ``icontains``, which escapes ``%`` and ``_``."""
    text = "".join(" " if unicodedata.category(char).startswith("C") else char for char in str(query or ""))
    return text[:CANDIDATE_QUERY_MAX_LENGTH].split()[:CANDIDATE_QUERY_MAX_WORDS]


def _matches(word: str) -> Q:
    """One word in any searched field, ignoring case also in Turkmen and Russian letters.

    PostgreSQL compares ``UPPER()`` of both sides, which knows every alphabet; SQLite's ``LIKE`` ignores the
    case of ASCII letters only, so the word is also tried lower-cased, upper-cased and capitalised
    ("иванов" finds "Иванов", "öwez" finds "Öwez")."""
    if connection.vendor == "postgresql":
        variants = {word}
    else:
        variants = {word, word.lower(), word.upper(), word.capitalize()}
    condition = Q()
    for field in _SEARCHED:
        for variant in variants:
            condition |= Q(**{f"{field}__icontains": variant})
    return condition


def approval_queue(*, user):
    """Sessions waiting for the user's decision (submitted sessions or reports of their agency)."""
    sessions = session_list(user=user).filter(
        state__in=[CascadeSession.State.SUBMITTED, CascadeSession.State.REPORTED]
    )
    agencies = people_selectors.agency_scope(user=user)
    if agencies.none:
        return sessions.none()
    return sessions.filter(agencies.q("agency")).exclude(state=CascadeSession.State.REPORTED, report__accepted_at__isnull=False)


# --- calendar --------------------------------------------------------------------------------------------


def session_day_list(*, user, start, end, agency=None, region=None, trainer=None):
    """The days from ``start`` to ``end`` (inclusive) of the sessions the user may see, for the calendars.

    One query: each day with its session, agency, region and lead trainer. ``session_list`` is the
    permission, so a filter (agency, region, or a trainer who leads or co-leads) only narrows what the
    user sees anyway; another agency's id finds nothing.
    """
    sessions = session_list(user=user)
    if agency is not None:
        sessions = sessions.filter(agency=agency)
    if region is not None:
        sessions = sessions.filter(region=region)
    if trainer is not None:
        sessions = sessions.filter(
            pk__in=CascadeSession.objects.filter(Q(lead_trainer=trainer) | Q(co_trainers=trainer)).values("pk")
        )
    return (
        SessionDay.objects.filter(session__in=sessions.values("pk"), date__gte=start, date__lte=end)
        .select_related("session__agency", "session__region", "session__lead_trainer")
        .order_by("date", "starts", "session__title", "session_id")
    )


# --- dashboards ------------------------------------------------------------------------------------------

# how far back a dashboard looks for a session that ended (its report, its attendance)
RECENT_DAYS = 60


def _with_days(sessions, *, today):
    """Annotate ``next_day`` (the first session day from ``today`` on), ``today_day`` (the id of today's
    day, if any), ``last_day`` and ``has_report`` (a report was submitted): aggregates in the same query."""
    return sessions.annotate(
        next_day=Min("days__date", filter=Q(days__date__gte=today)),
        today_day=Min("days__pk", filter=Q(days__date=today)),
        last_day=Max("days__date"),
        has_report=Exists(SessionReport.objects.filter(session=OuterRef("pk"), submitted_at__isnull=False)),
    )


def next_action(*, session, user, today) -> str:
    """What ``user`` (who leads or co-leads ``session``) should do next on it, for their dashboard:
    ``"attendance"`` (a session day today, attendance open), ``"submit"`` (a draft or returned session of
    theirs), ``"deliver"`` (approved and its last day is past), ``"report"`` (delivered, no report yet), or
    ``""`` (nothing to do now). ``session`` carries the annotations of ``trainer_session_list``."""
    State = CascadeSession.State
    lead = session.lead_trainer_id == getattr(user, "pk", user)
    if session.today_day and session.state in ATTENDANCE_OPEN:
        return "attendance"
    if lead and session.state in {State.DRAFT, State.RETURNED}:
        return "submit"
    if lead and session.state == State.APPROVED and session.last_day and session.last_day < today:
        return "deliver"
    if lead and session.state == State.DELIVERED and not session.has_report:
        return "report"
    return ""


def trainer_session_list(*, user, today=None, limit: int | None = 6) -> tuple[list, int]:
    """The sessions ``user`` leads or co-leads (``trained_by``) that are not cancelled and are upcoming,
    still being prepared, or ended within ``RECENT_DAYS`` — each with ``next_action`` — and how many
    there are: two queries, the first ``limit`` by start (all with ``limit=None``).

    The sessions with something to do come first, then by start."""
    today = today or timezone.localdate()
    State = CascadeSession.State
    mine = CascadeSession.objects.filter(trained_by(user)).exclude(state=State.CANCELLED)
    current = Q(ends_at__date__gte=today - timedelta(days=RECENT_DAYS)) | Q(state__in=[State.DRAFT, State.RETURNED])
    sessions = _with_days(
        CascadeSession.objects.filter(pk__in=mine.filter(current).values("pk")).select_related("agency"),
        today=today,
    ).order_by("starts_at", "pk")
    rows = list(sessions)
    for session in rows:
        session.next_action = next_action(session=session, user=user, today=today)
    rows.sort(key=lambda session: (not session.next_action, session.starts_at, session.pk))
    return rows[:limit], len(rows)


def participant_session_list(*, user, today=None, limit: int = 5) -> list:
    """The sessions ``user`` is enrolled on (not waitlisted) that are not cancelled and not long over, by
    start, with ``next_day``: one query."""
    today = today or timezone.localdate()
    places = SessionParticipant.objects.filter(user=user, status=SessionParticipant.Status.ENROLLED)
    sessions = (
        CascadeSession.objects.filter(pk__in=places.values("session_id"))
        .exclude(state=CascadeSession.State.CANCELLED)
        .filter(ends_at__date__gte=today - timedelta(days=RECENT_DAYS))
    )
    return list(_with_days(sessions, today=today).order_by("starts_at", "pk")[:limit])


def agency_upcoming_session_list(*, user, today=None, limit: int = 5) -> tuple[list, int]:
    """Approved sessions that the user sees as coordinator of their agency (all for a manager) and that have
    not ended, by start, and how many: two queries."""
    today = today or timezone.localdate()
    sessions = session_list(user=user).filter(state=CascadeSession.State.APPROVED, ends_at__date__gte=today)
    agencies = people_selectors.agency_scope(user=user)
    if agencies.none:
        return [], 0
    sessions = sessions.filter(agencies.q("agency"))
    total = sessions.count()
    rows = with_roster_counts(_with_days(sessions, today=today)).order_by("starts_at", "pk")[:limit]
    return list(rows), total


def approval_counts(*, user) -> dict:
    """How many sessions wait for the user's approval and how many reports for their acceptance: one query."""
    return approval_queue(user=user).aggregate(
        sessions=Count("pk", filter=Q(state=CascadeSession.State.SUBMITTED)),
        reports=Count("pk", filter=Q(state=CascadeSession.State.REPORTED)),
    )
