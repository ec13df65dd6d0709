"""Scheduling and running cascade sessions: the rules every entry point (web, API, imports) goes through.

States::

    draft, returned --submit--> submitted --approve--> approved --deliver--> delivered --report--> reported
                                submitted --return (comment)--> returned
    reported --send back (comment)--> delivered
    draft, submitted, returned, approved --cancel (reason)--> cancelled

A trainer is booked in 15-minute slots (``TrainerSlot``, unique per trainer and start): the database
refuses a second session at overlapping times even when two bookings arrive at the same moment.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy

from assessments import results_generation
from assessments import services as assessment_services
from assessments.exceptions import AssessmentError
from content.urls import absolute_reverse_lazy
from courses.learner_state import learners_changed
from lms.people import selectors as people_selectors
from lms.people.mail import mail_in_language
from lms.people.models import Profile, TrainingUnit
from lms.people.names import display_name
from lms.trainers import selectors as trainer_selectors

from . import exceptions as errors
from .models import (ATTENDANCE_OPEN, Attendance, CascadeSession, SessionDay, SessionEvent, SessionParticipant,
                     SessionReport, TrainerSlot)


State = CascadeSession.State
SLOT = timedelta(minutes=15)

TRANSITIONS = {
    "submit": ({State.DRAFT, State.RETURNED}, State.SUBMITTED),
    "approve": ({State.SUBMITTED}, State.APPROVED),
    "return": ({State.SUBMITTED}, State.RETURNED),
    "deliver": ({State.APPROVED}, State.DELIVERED),
    "report": ({State.DELIVERED}, State.REPORTED),
    "send_back": ({State.REPORTED}, State.DELIVERED),
    "cancel": ({State.DRAFT, State.SUBMITTED, State.RETURNED, State.APPROVED}, State.CANCELLED),
}
EDITABLE = {State.DRAFT, State.RETURNED}


@dataclass(frozen=True)
class Day:
    date: date
    starts: time
    ends: time


def _aware(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def _check_days(days: list[Day]) -> list[Day]:
    if not days:
        raise errors.SessionRefused(errors.NO_DAYS)
    seen = set()
    for day in days:
        if day.ends <= day.starts:
            raise errors.SessionRefused(errors.END_BEFORE_START % {"date": formats.date_format(day.date)})
        if day.starts.minute % 15 or day.ends.minute % 15 or day.starts.second or day.ends.second:
            raise errors.SessionRefused(errors.QUARTER_HOURS)
        if day.date in seen:
            raise errors.SessionRefused(errors.DAY_TWICE % {"date": formats.date_format(day.date)})
        seen.add(day.date)
    return sorted(days, key=lambda day: day.date)


def _certification_for(user, *, days: list[Day], role_message):
    """The trainer's certification valid over every day of the session, or a refusal naming why."""
    last = days[-1].date
    certification = trainer_selectors.active_certification(user=user, on=max(last, timezone.localdate()))
    if certification is None:
        raise errors.SessionRefused(role_message % {"name": display_name(user)})
    return certification


def _slots(days: list[Day]):
    for day in days:
        moment, end = _aware(day.date, day.starts), _aware(day.date, day.ends)
        while moment < end:
            yield moment
            moment += SLOT


def _book(session: CascadeSession, trainers, days: list[Day]) -> None:
    """Book the trainers' slots; name the clashing session when one of them is already taken."""
    TrainerSlot.objects.filter(session=session).delete()
    starts = list(_slots(days))
    for trainer in trainers:
        clash = (
            TrainerSlot.objects.filter(trainer=trainer, starts_at__in=starts)
            .exclude(session=session)
            .select_related("session")
            .first()
        )
        if clash is not None:
            raise errors.SessionRefused(
                errors.DOUBLE_BOOKED % {"name": display_name(trainer), "session": clash.session.title,
                                        "date": formats.date_format(timezone.localtime(clash.starts_at).date())}
            )
    try:
        with transaction.atomic():
            TrainerSlot.objects.bulk_create(
                [TrainerSlot(trainer=trainer, session=session, starts_at=moment) for trainer in trainers for moment in starts]
            )
    except IntegrityError:
        # another booking of the same trainer landed between the check and the insert
        raise errors.SessionRefused(errors.BOOKED_MEANWHILE) from None


def _event(session, *, action, actor=None, before="", comment="") -> None:
    SessionEvent.objects.create(
        session=session, action=action, from_state=before, to_state=session.state,
        actor=actor if actor is not None and actor.is_authenticated else None, comment=comment,
    )


@transaction.atomic
def session_schedule(
    *,
    actor,
    title: str,
    course_key,
    modules: list[int],
    days: list[Day],
    venue: str,
    capacity: int,
    language: str,
    unit: TrainingUnit | None = None,
    co_trainers=(),
    test_mode: str = CascadeSession.TestMode.ONLINE,
    pre_test=None,
    post_test=None,
    min_attendance: int = 80,
    agency=None,
    session: CascadeSession | None = None,
) -> CascadeSession:
    """Create (or, while a draft or returned, change) a session led by ``actor`` inside their agency.

    Refused with ``SessionRefused`` and a message in the user's language: the trainer (or a co-trainer)
    is not certified or their certification does not cover the session's days; a co-trainer who is not
    a person of the session's agency (there are no guest trainers from other agencies); another agency; a unit
    of another agency; no day, a day that ends before it starts, times off the quarter-hour grid;
    capacity below 1; attendance needed for completion outside 1–100 per cent; modules outside the
    trainer's certified scope; a trainer booked at overlapping times.
    """
    if session is not None and (session.lead_trainer_id != actor.pk or session.state not in EDITABLE):
        raise errors.SessionRefused(errors.NOT_EDITABLE)
    days = _check_days(list(days))
    certification = _certification_for(actor, days=days, role_message=errors.NOT_CERTIFIED)
    own_agency = people_selectors.user_agency(user=actor)
    if own_agency is None or (agency is not None and agency.pk != own_agency.pk):
        raise errors.SessionRefused(errors.OTHER_AGENCY)
    if unit is not None and unit.agency_id != own_agency.pk:
        raise errors.SessionRefused(errors.UNIT_OF_OTHER_AGENCY)
    try:
        capacity = int(capacity)
    except (TypeError, ValueError):
        capacity = 0
    if capacity < 1:
        raise errors.SessionRefused(errors.CAPACITY)
    try:
        min_attendance = int(min_attendance)
    except (TypeError, ValueError):
        min_attendance = 0
    if not 1 <= min_attendance <= 100:
        raise errors.SessionRefused(errors.MIN_ATTENDANCE)
    modules = sorted({int(number) for number in modules})
    if not modules:
        raise errors.SessionRefused(errors.NO_MODULES)
    outside = [number for number in modules if number not in (certification.programme.modules or [])]
    if outside:
        raise errors.SessionRefused(errors.OUTSIDE_SCOPE % {"modules": ", ".join(map(str, outside))})
    co_trainers = list({user.pk: user for user in co_trainers if user.pk != actor.pk}.values())
    # co-trainers come from the session's agency: no guest trainers, who would get rights over its people
    in_agency = set(
        Profile.objects.filter(user__in=[user.pk for user in co_trainers], agency=own_agency)
        .values_list("user_id", flat=True)
    )
    for co_trainer in co_trainers:
        if co_trainer.pk not in in_agency:
            raise errors.SessionRefused(errors.CO_TRAINER_OTHER_AGENCY % {"name": display_name(co_trainer)})
        _certification_for(co_trainer, days=days, role_message=errors.CO_TRAINER_NOT_CERTIFIED)
    profile = Profile.objects.filter(user=actor).first()
    fields = {
        "title": title.strip(),
        "course_key": course_key,
        "modules": modules,
        "agency": own_agency,
        "unit": unit,
        "region": (unit.region if unit and unit.region_id else getattr(profile, "region", None)),
        "language": language,
        "venue": venue.strip(),
        "capacity": capacity,
        "min_attendance": min_attendance,
        "test_mode": test_mode,
        "pre_test": pre_test,
        "post_test": post_test,
        "starts_at": _aware(days[0].date, days[0].starts),
        "ends_at": _aware(days[-1].date, days[-1].ends),
    }
    # lock the trainers' rows: two bookings of one trainer wait for each other instead of interleaving
    get_user_model().objects.select_for_update().filter(pk__in=[actor.pk, *[u.pk for u in co_trainers]]).exists()
    if session is None:
        session = CascadeSession.objects.create(lead_trainer=actor, created_by=actor, **fields)
        _event(session, action="scheduled", actor=actor)
    else:
        for name, value in fields.items():
            setattr(session, name, value)
        session.save()
        session.days.all().delete()
        _event(session, action="changed", actor=actor, before=session.state)
    session.co_trainers.set(co_trainers)
    SessionDay.objects.bulk_create([SessionDay(session=session, date=d.date, starts=d.starts, ends=d.ends) for d in days])
    learners_changed()  # the participants' dashboards show the days (bulk_create sends no signal)
    _book(session, [actor, *co_trainers], days)
    return session


# --- states ----------------------------------------------------------------------------------------------


def _coordinators(session):
    return people_selectors.agency_coordinator_list(agency_id=session.agency_id)


def may_decide(*, user, session) -> bool:
    """The agency's training coordinator (or a programme manager) approves and accepts."""
    return people_selectors.agency_scope(user=user).covers(session.agency_id)


def _move(*, session, action, actor, comment="", allowed: bool, needs_comment=False, today=None) -> CascadeSession:
    if not allowed:
        raise errors.NotPermitted(errors.NOT_PERMITTED)
    comment = (comment or "").strip()
    if needs_comment and not comment:
        raise errors.SessionRefused(errors.COMMENT_REQUIRED)
    with transaction.atomic():
        session = CascadeSession.objects.select_for_update().get(pk=session.pk)
        sources, target = TRANSITIONS[action]
        if session.state not in sources:
            raise errors.SessionRefused(
                errors.ILLEGAL_MOVE % {"state": State(session.state).label}
            )
        if action == "deliver" and timezone.localtime(session.starts_at).date() > (today or timezone.localdate()):
            raise errors.SessionRefused(errors.NOT_STARTED)
        before = session.state
        session.state = target
        session.save(update_fields=["state"])
        if action == "cancel":
            TrainerSlot.objects.filter(session=session).delete()
        _event(session, action=action, actor=actor, before=before, comment=comment)
        # the sessions whose tests count in the reports depend on the state
        results_generation.bump()
    _notify(session=session, action=action, actor=actor, comment=comment)
    return session


def _is_lead(user, session) -> bool:
    return session.lead_trainer_id == user.pk


def session_submit(*, actor, session):
    return _move(session=session, action="submit", actor=actor, allowed=_is_lead(actor, session))


def session_approve(*, actor, session):
    return _move(session=session, action="approve", actor=actor, allowed=may_decide(user=actor, session=session))


def session_return(*, actor, session, comment: str):
    return _move(session=session, action="return", actor=actor, comment=comment, needs_comment=True,
                 allowed=may_decide(user=actor, session=session))


def session_deliver(*, actor, session, today=None):
    return _move(session=session, action="deliver", actor=actor, allowed=_is_lead(actor, session), today=today)


def session_cancel(*, actor, session, reason: str):
    allowed = _is_lead(actor, session) or may_decide(user=actor, session=session)
    return _move(session=session, action="cancel", actor=actor, comment=reason, needs_comment=True, allowed=allowed)


@transaction.atomic
def session_report_submit(*, actor, session, methods: str, issues: str = "", recommendations: str = ""):
    """The lead trainer reports a delivered session (the figures are read from the records)."""
    if not (methods or "").strip():
        raise errors.SessionRefused(errors.METHODS_REQUIRED)
    SessionReport.objects.update_or_create(
        session=session,
        defaults={"methods": methods.strip(), "issues": issues.strip(), "recommendations": recommendations.strip(),
                  "submitted_at": timezone.now(), "accepted_at": None, "accepted_by": None},
    )
    return _move(session=session, action="report", actor=actor, allowed=_is_lead(actor, session))


def session_report_accept(*, actor, session):
    if not may_decide(user=actor, session=session):
        raise errors.NotPermitted(errors.NOT_PERMITTED)
    if session.state != State.REPORTED:
        raise errors.SessionRefused(errors.ILLEGAL_MOVE % {"state": State(session.state).label})
    if SessionReport.objects.filter(session=session, accepted_at__isnull=False).exists():
        raise errors.SessionRefused(errors.REPORT_ACCEPTED)
    SessionReport.objects.filter(session=session).update(accepted_at=timezone.now(), accepted_by=actor)
    _event(session, action="report_accepted", actor=actor, before=session.state)
    return session


def session_report_send_back(*, actor, session, comment: str):
    if SessionReport.objects.filter(session=session, accepted_at__isnull=False).exists():
        raise errors.SessionRefused(errors.REPORT_ACCEPTED)
    return _move(session=session, action="send_back", actor=actor, comment=comment, needs_comment=True,
                 allowed=may_decide(user=actor, session=session))


# --- the actions of a session page and of the API -----------------------------------------------------


@dataclass(frozen=True)
class Action:
    """A move on a session: its service, the keyword the service takes the user's text as (``None``: no
    text), the button's label and the message once it is done."""

    service: Callable
    comment_as: str | None
    label: str
    done: str


# the web's buttons and the API's action endpoints, in the order the page shows them
SESSION_ACTIONS = {
    "submit": Action(session_submit, None, gettext_lazy("Submit for approval"),
                     gettext_lazy("The session is submitted for approval.")),
    "approve": Action(session_approve, None, gettext_lazy("Approve"), gettext_lazy("The session is approved.")),
    "return": Action(session_return, "comment", gettext_lazy("Return with comment"),
                     gettext_lazy("The session is returned to the trainer.")),
    "deliver": Action(session_deliver, None, gettext_lazy("Mark as delivered"),
                      gettext_lazy("The session is marked as delivered.")),
    "accept_report": Action(session_report_accept, None, gettext_lazy("Accept the report"),
                            gettext_lazy("The report is accepted.")),
    "send_back": Action(session_report_send_back, "comment", gettext_lazy("Send the report back"),
                        gettext_lazy("The report is sent back to the trainer.")),
    "cancel": Action(session_cancel, "reason", gettext_lazy("Cancel the session"),
                     gettext_lazy("The session is cancelled.")),
}


def session_report_get(session) -> SessionReport | None:
    """The session's report, or ``None`` before the trainer wrote one."""
    try:
        return session.report
    except CascadeSession.report.RelatedObjectDoesNotExist:
        return None


def session_actions(*, user, session) -> list[str]:
    """The actions (keys of ``SESSION_ACTIONS``, in its order) ``user`` may take on ``session`` in its state.
    The page shows these buttons; each service checks again when it runs."""
    lead = _is_lead(user, session)
    decides = may_decide(user=user, session=session)
    state = session.state
    report = session_report_get(session) if state == State.REPORTED else None
    accepted = bool(report and report.accepted_at)
    allowed = {
        "submit": lead and state in TRANSITIONS["submit"][0],
        "approve": decides and state == State.SUBMITTED,
        "return": decides and state == State.SUBMITTED,
        "deliver": lead and state == State.APPROVED,
        "accept_report": decides and state == State.REPORTED and not accepted,
        "send_back": decides and state == State.REPORTED and not accepted,
        "cancel": (lead or decides) and state in TRANSITIONS["cancel"][0],
    }
    return [action for action in SESSION_ACTIONS if allowed[action]]


# --- roster and attendance -------------------------------------------------------------------------------


def may_run(*, user, session) -> bool:
    """The lead trainer, a co-trainer, and the agency's coordinator run the roster and attendance.

    A co-trainer counts only as a person of the session's agency: a co-trainer of another agency (a row
    from before the rule of ``session_schedule``) gets no rights over the agency's people."""
    return (
        _is_lead(user, session)
        or session.co_trainers.filter(pk=user.pk, profile__agency_id=session.agency_id).exists()
        or may_decide(user=user, session=session)
    )


@transaction.atomic
def participant_add(*, actor, session, user) -> SessionParticipant:
    """Put a person of the session's agency on the roster, or on the waiting list when it is full."""
    if not may_run(user=actor, session=session):
        raise errors.NotPermitted(errors.NOT_PERMITTED)
    session = CascadeSession.objects.select_for_update().get(pk=session.pk)
    if session.state in {State.CANCELLED, State.REPORTED}:
        raise errors.SessionRefused(errors.ROSTER_CLOSED)
    if not Profile.objects.filter(user=user, agency=session.agency).exists():
        raise errors.SessionRefused(errors.NOT_OF_AGENCY % {"name": display_name(user)})
    existing = SessionParticipant.objects.filter(session=session, user=user).first()
    if existing is not None:
        return existing
    enrolled = session.participants.filter(status=SessionParticipant.Status.ENROLLED).count()
    status = SessionParticipant.Status.ENROLLED if enrolled < session.capacity else SessionParticipant.Status.WAITLISTED
    results_generation.bump()
    return SessionParticipant.objects.create(session=session, user=user, status=status, added_by=actor)


@transaction.atomic
def participants_add(*, actor, session, users) -> list[SessionParticipant]:
    """Put several people on the roster at once, in the given order, each by ``participant_add``'s rules
    (enrolled while places are free, then on the waiting list). All or none: one refusal adds no one."""
    return [participant_add(actor=actor, session=session, user=user) for user in users]


@transaction.atomic
def participant_remove(*, actor, session, user) -> SessionParticipant | None:
    """Take a person off the roster; the first on the waiting list takes the place."""
    if not may_run(user=actor, session=session):
        raise errors.NotPermitted(errors.NOT_PERMITTED)
    session = CascadeSession.objects.select_for_update().get(pk=session.pk)
    place = SessionParticipant.objects.filter(session=session, user=user).first()
    if place is None:
        return None
    freed = place.status == SessionParticipant.Status.ENROLLED
    place.delete()
    results_generation.bump()
    if freed:
        waiting = session.participants.filter(status=SessionParticipant.Status.WAITLISTED).order_by("added_at", "pk").first()
        if waiting is not None:
            waiting.status = SessionParticipant.Status.ENROLLED
            waiting.save(update_fields=["status"])
            return waiting
    return None


def attendance_refusal(*, state, day) -> str:
    """Why attendance of ``day`` cannot be taken in a session in ``state``; ``""`` while it is open (an
    approved or delivered session, ``ATTENDANCE_OPEN``, from the day on). The page and the write ask this."""
    if state not in ATTENDANCE_OPEN:
        return errors.ATTENDANCE_CLOSED
    if day.date > timezone.localdate():
        return errors.DAY_NOT_YET % {"date": formats.date_format(day.date)}
    return ""


@transaction.atomic
def attendance_record(*, actor, session, day: SessionDay, statuses: dict) -> int:
    """Record attendance of one day: ``{participant_id: status}`` for enrolled participants."""
    if not may_run(user=actor, session=session):
        raise errors.NotPermitted(errors.NOT_PERMITTED)
    if day.session_id != session.pk:
        raise errors.SessionRefused(errors.NOT_PERMITTED)
    state = CascadeSession.objects.filter(pk=session.pk).values_list("state", flat=True).first()
    refusal = attendance_refusal(state=state, day=day)
    if refusal:
        raise errors.SessionRefused(refusal)
    valid = set(Attendance.Status.values)
    enrolled = set(session.participants.filter(status=SessionParticipant.Status.ENROLLED).values_list("pk", flat=True))
    count = 0
    for participant_id, status in statuses.items():
        if int(participant_id) not in enrolled or status not in valid:
            raise errors.SessionRefused(errors.BAD_ATTENDANCE)
        Attendance.objects.update_or_create(
            participant_id=int(participant_id), day=day, defaults={"status": status, "recorded_by": actor}
        )
        count += 1
    results_generation.bump()
    return count


# --- session tests ---------------------------------------------------------------------------------------


@transaction.atomic
def session_paper_form_create(*, actor, session, phase: str):
    """Print a form of the session's pre-test (``phase="pre"``) or post-test in the session's language.

    For the people who run a session that tests on paper; the form is kept among the session's paper
    forms, so whoever runs the session may print it and enter its answer sheets. The returned form carries
    ``skipped`` (items that cannot be answered on paper) as ``assessments.services.paper_form_create``
    does. Refused (``SessionRefused``): online tests, a cancelled session, no test for that phase, or a
    test with nothing to print.
    """
    if not may_run(user=actor, session=session):
        raise errors.NotPermitted(errors.NOT_PERMITTED)
    if session.test_mode != CascadeSession.TestMode.PAPER:
        raise errors.SessionRefused(errors.NOT_PAPER_MODE)
    if session.state == State.CANCELLED:
        raise errors.SessionRefused(errors.FORMS_CLOSED)
    if phase not in {"pre", "post"}:
        raise errors.SessionRefused(errors.NOT_PERMITTED)
    test = session.pre_test if phase == "pre" else session.post_test
    if test is None:
        raise errors.SessionRefused(errors.NO_PRE_TEST if phase == "pre" else errors.NO_POST_TEST)
    try:
        form = assessment_services.paper_form_create(assessment=test, language=session.language, user=actor)
    except AssessmentError as error:
        raise errors.SessionRefused(error.message) from None
    session.paper_forms.add(form)
    return form


# --- notifications ---------------------------------------------------------------------------------------


def _notify(*, session, action, actor, comment="") -> None:
    """E-mail the people a change concerns, each in their language (console backend by default)."""
    if action == "submit" or action == "report":
        recipients = _coordinators(session)
    elif action == "cancel":
        recipients = [session.lead_trainer, *_coordinators(session)]
    else:
        recipients = [session.lead_trainer]
    context = {
        "session": session, "action": action, "actor": display_name(actor) if actor else "", "comment": comment,
        "state": State(session.state).label,
        # reversed when each mail is rendered, so the link carries its recipient's language
        "url": absolute_reverse_lazy("cascade:session_detail", args=[session.pk]),
    }
    for recipient in {user.pk: user for user in recipients if user.email and user.pk != getattr(actor, "pk", None)}.values():
        mail_in_language(
            recipient=recipient,
            subject_template="cascade/email/state_subject.txt",
            body_template="cascade/email/state_body.txt",
            context=context,
        )
