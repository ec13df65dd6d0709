"""The demo season of cascade sessions, read from ``data/sessions.json``; safe to re-run.

Sessions are scheduled, submitted, approved, delivered, reported or cancelled through the same services
as on the web, by the demo trainers and their agencies' coordinators, so every page and figure of the
demo comes from the rules themselves. Titles, venues, reports and reasons are in the session's language. A
session is found again by its title (or a former one: then renamed, its English venue, report and reason
replaced) and lead trainer: a second run adds nothing. Audit events are dated around the session's days so the history reads as it happened.
"""

import json
from datetime import time, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.seed import cohort_results_seed
from lms.people.models import TrainingUnit

from . import completion, services
from .models import CascadeSession, SessionEvent, SessionParticipant, SessionReport
from .services import Day

DATA_FILE = Path(__file__).resolve().parent / "data" / "sessions.json"
COORDINATOR_OF = {"GPO": "coordinator", "MIA": "coordinator.mia"}


def _time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _coordinator(agency_code: str):
    return get_user_model().objects.get(username=COORDINATOR_OF[agency_code])


def _date_events(session: CascadeSession) -> None:
    """Put the history of a seeded session around its days instead of at the moment of the seed."""
    start, end = session.starts_at, session.ends_at
    offsets = {
        "scheduled": start - timedelta(days=15), "submit": start - timedelta(days=14),
        "approve": start - timedelta(days=12), "cancel": start - timedelta(days=5),
        "deliver": end + timedelta(hours=1), "report": end + timedelta(days=1),
        "report_accepted": end + timedelta(days=3),
    }
    now = timezone.now()
    for event in session.events.all():
        when = offsets.get(event.action)
        if when is not None and when < now:
            SessionEvent.objects.filter(pk=event.pk).update(at=when)


def sessions_seed(*, course_key, pre=None, post=None, today=None) -> int:
    """Create the demo sessions that do not exist yet; return how many sessions the demo has."""
    User = get_user_model()
    today = today or timezone.localdate()
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    for row in data["sessions"]:
        lead = User.objects.get(username=row["lead"])
        if _existing_refresh(row=row, lead=lead):
            continue
        agency = lead.profile.agency
        coordinator = _coordinator(agency.code)
        session = services.session_schedule(
            actor=lead,
            title=row["title"],
            course_key=course_key,
            modules=row["modules"],
            days=[Day(today + timedelta(days=offset), _time(start), _time(end)) for offset, start, end in row["days"]],
            venue=row["venue"],
            capacity=row["capacity"],
            language=row["language"],
            unit=TrainingUnit.objects.get(agency=agency, code=row["unit"]) if row["unit"] else None,
            co_trainers=list(User.objects.filter(username__in=row["co_trainers"])),
            pre_test=pre if row["tests"] else None,
            post_test=post if row["tests"] else None,
        )
        people = list(User.objects.filter(username__in=row["roster"]).order_by("username"))
        if row.get("cohort_of"):
            people += list(
                User.objects.filter(username__startswith="cohort.", profile__agency=agency).order_by("username")
            )
        if row.get("staff"):
            people += _staff(agency=agency, **row["staff"])
        for person in people[: row["capacity"]]:
            services.participant_add(actor=lead, session=session, user=person)
        if row.get("results") and pre is not None and post is not None:
            _results(session=session, lead=lead, pre=pre, post=post)
        state = row["state"]
        if state == "cancelled":
            services.session_cancel(actor=lead, session=session, reason=row["cancel_reason"])
        if state in {"submitted", "approved", "delivered", "reported"}:
            services.session_submit(actor=lead, session=session)
        if state in {"approved", "delivered", "reported"}:
            session = services.session_approve(actor=coordinator, session=session)
        if state in {"delivered", "reported"}:
            _attendance(session=session, lead=lead)
            session = services.session_deliver(actor=lead, session=session)
        if state == "reported":
            session = services.session_report_submit(actor=lead, session=session, **row["report"])
            if row.get("report_accepted"):
                services.session_report_accept(actor=coordinator, session=session)
        _date_events(session)
    # certificates of completion of the reported sessions, through the same rule as the roster page's button
    for session in CascadeSession.objects.filter(state=CascadeSession.State.REPORTED).select_related("lead_trainer"):
        completion.session_certificates_issue(actor=session.lead_trainer, session=session, today=today)
    return CascadeSession.objects.count()


def _existing_refresh(*, row: dict, lead) -> bool:
    """Find the row's session again by its title, or by a title an older demo database gave it (the English
    one, a title in another language), and put its title, venue, report and reason of cancellation in the
    session's language; say whether it was there."""
    titles = [row["title"], *filter(None, [row.get("title_en")]), *row.get("former_titles", [])]
    sessions = CascadeSession.objects.filter(title__in=titles, lead_trainer=lead)
    if not sessions.exists():
        return False
    sessions.update(title=row["title"])
    if row.get("venue_en"):
        sessions.filter(venue=row["venue_en"]).update(venue=row["venue"])
    if row.get("report_en"):
        SessionReport.objects.filter(session__in=sessions, **row["report_en"]).update(**row["report"])
    if row.get("cancel_reason_en"):
        SessionEvent.objects.filter(session__in=sessions, action="cancel", comment=row["cancel_reason_en"]).update(
            comment=row["cancel_reason"]
        )
    return True


def _staff(*, agency, region: str, count: int, **position) -> list:
    """Agency staff of a velayat (``lms.people.seed.agency_staff_load``), ``count`` of them from ``from``."""
    start = position.get("from", 0)
    staff = get_user_model().objects.filter(
        username__startswith="staff.", profile__agency=agency, profile__region__code=region
    ).order_by("username")
    return list(staff[start : start + count])


def _results(*, session, lead, pre, post) -> None:
    """Participants sit the pre-test the day before the session and the post-test after its last day."""
    learners = [place.user for place in session.participants.filter(status=SessionParticipant.Status.ENROLLED)]
    cohort_results_seed(
        learners=learners, pre=pre, post=post, grader=lead, seed=session.title,
        pre_at=session.starts_at - timedelta(hours=18), post_at=session.ends_at + timedelta(hours=10),
    )


def _attendance(*, session, lead) -> None:
    """Most people present every day; every seventh late on the first day, every ninth absent on the last."""
    places = list(session.participants.filter(status=SessionParticipant.Status.ENROLLED).order_by("pk"))
    days = list(session.days.all())
    for number, day in enumerate(days):
        statuses = {}
        for index, place in enumerate(places):
            status = "present"
            if number == 0 and index % 7 == 6:
                status = "late"
            if number == len(days) - 1 and index % 9 == 8:
                status = "absent"
            statuses[place.pk] = status
        services.attendance_record(actor=lead, session=session, day=day, statuses=statuses)
