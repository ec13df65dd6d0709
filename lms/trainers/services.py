"""Changes to the pool of trainers: nomination, evaluation, certification and its lifecycle, expiry and
reminders, certificates of completion. Every change of status writes a ``CertificationEvent``.

Allowed moves (anything else is refused with ``TransitionRefused``)::

    candidate  --grant-->       certified   (requirements met; programme manager)
    certified  --suspend-->     suspended   (reason)
    certified, suspended, expired --revoke--> revoked (reason)
    suspended, revoked --reinstate--> certified (reason; only within the validity)
    certified, expired --recertify--> certified (recertification requirements met; validity extended)
    certified  --expire-->      expired     (the daily command, when the validity has passed)
"""

import calendar
import secrets
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import formats, timezone

from content.urls import absolute_reverse_lazy
from courses.learner_state import learner_changed
from courses.models import CourseCompletion
from lms.people import selectors as people_selectors
from lms.people.mail import mail_in_language
from lms.people.models import Profile
from lms.people.names import display_name
from lms.people.roles import Role

from . import exceptions as errors
from . import selectors
from .models import (
    Certification,
    CertificationEvent,
    CompletionCertificate,
    ExpiryReminder,
    PracticeTeachingEvaluation,
    ToTCohort,
)


Status = Certification.Status
Action = CertificationEvent.Action
REMINDER_DAYS = (60, 30)

# which statuses each action may start from, and where it leads
TRANSITIONS = {
    Action.CERTIFIED: ({Status.CANDIDATE}, Status.CERTIFIED),
    Action.SUSPENDED: ({Status.CERTIFIED}, Status.SUSPENDED),
    Action.REVOKED: ({Status.CERTIFIED, Status.SUSPENDED, Status.EXPIRED}, Status.REVOKED),
    Action.REINSTATED: ({Status.SUSPENDED, Status.REVOKED}, Status.CERTIFIED),
    Action.RECERTIFIED: ({Status.CERTIFIED, Status.EXPIRED}, Status.CERTIFIED),
    Action.EXPIRED: ({Status.CERTIFIED}, Status.EXPIRED),
}


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, on the last day of a shorter month (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _require_manager(actor) -> None:
    if not selectors.may_manage(user=actor):
        raise errors.NotPermitted(errors.NOT_PERMITTED)


def _event(certification, *, action, actor=None, from_status="", reason="", details=None) -> CertificationEvent:
    return CertificationEvent.objects.create(
        certification=certification,
        action=action,
        from_status=from_status,
        to_status=certification.status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        reason=reason,
        details=details or {},
    )


def _locked(certification: Certification) -> Certification:
    """Re-read the row under a lock so two decisions on one certification cannot interleave."""
    return Certification.objects.select_for_update(of=("self",)).select_related("programme", "cohort", "user").get(
        pk=certification.pk
    )


def _check_move(certification: Certification, action) -> Status:
    sources, target = TRANSITIONS[action]
    if certification.status not in sources:
        raise errors.TransitionRefused(
            errors.ILLEGAL_TRANSITION
            % {"status": Status(certification.status).label, "action": Action(action).label.lower()}
        )
    return target


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise errors.TransitionRefused(errors.REASON_REQUIRED)
    return reason


def _unmet(requirements) -> str:
    return "; ".join(requirement.label for requirement in requirements if not requirement.met)


# --- nomination and evaluation ---------------------------------------------------------------------------


@transaction.atomic
def candidate_nominate(*, actor, cohort: ToTCohort, user, today: date | None = None) -> Certification:
    """Put a person forward for a ToT cohort: their agency's coordinator, or a programme manager."""
    today = today or timezone.localdate()
    if not (selectors.may_manage(user=actor) or people_selectors.user_has_role(user=actor, role=Role.COORDINATOR)):
        raise errors.NotPermitted(errors.NOT_PERMITTED)
    profile = Profile.objects.filter(user=user).select_related("agency").first()
    agency = profile.agency if profile else None
    if agency is None or not people_selectors.agency_scope(user=actor).covers(agency.pk):
        raise errors.NotPermitted(errors.NOT_OF_YOUR_AGENCY % {"name": display_name(user)})
    if cohort.ends_on < today:
        raise errors.TransitionRefused(errors.COHORT_CLOSED % {"date": formats.date_format(cohort.ends_on)})
    existing = Certification.objects.filter(user=user, programme=cohort.programme).first()
    if existing is not None:
        raise errors.TransitionRefused(
            errors.ALREADY_NOMINATED % {"name": display_name(user), "status": Status(existing.status).label}
        )
    certification = Certification.objects.create(
        user=user, programme=cohort.programme, cohort=cohort, agency=agency, nominated_by=actor
    )
    _event(certification, action=Action.NOMINATED, actor=actor, details={"cohort": cohort.code})
    return certification


@transaction.atomic
def evaluation_record(
    *, actor, certification: Certification, taught_on: date, topic: str, scores: dict, feedback: str, evaluator=None
) -> PracticeTeachingEvaluation:
    """Record a master trainer's rubric of a candidate's practice teaching (each criterion 1–5). A programme
    manager may record it for a master trainer of the cohort (``evaluator``) or as the observer."""
    evaluator = evaluator or actor
    if evaluator not in selectors.evaluator_list(actor=actor, certification=certification):
        raise errors.InvalidEvaluation(errors.NOT_A_MASTER_TRAINER)
    if certification.status != Status.CANDIDATE:
        raise errors.InvalidEvaluation(errors.NOT_A_CANDIDATE)
    values = {}
    for name in PracticeTeachingEvaluation.CRITERIA:
        try:
            value = int(scores.get(name))
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            raise errors.InvalidEvaluation(errors.SCORE_OUT_OF_RANGE)
        values[name] = value
    feedback = (feedback or "").strip()
    if not feedback:
        raise errors.InvalidEvaluation(errors.FEEDBACK_REQUIRED)
    evaluation = PracticeTeachingEvaluation.objects.create(
        certification=certification, evaluator=evaluator, taught_on=taught_on, topic=topic.strip(), feedback=feedback, **values
    )
    passed = selectors.evaluation_passed(evaluation=evaluation, programme=certification.programme)
    _event(
        certification,
        action=Action.EVALUATED,
        actor=actor,
        from_status=certification.status,
        details={"evaluation": evaluation.pk, "evaluator": evaluator.pk, "mean": str(evaluation.mean), "passed": passed},
    )
    return evaluation


# --- the lifecycle ---------------------------------------------------------------------------------------


def _snapshot(requirements) -> dict:
    return {requirement.key: {"met": requirement.met, "evidence": requirement.evidence} for requirement in requirements}


def _next_number(certification: Certification, year: int) -> str:
    prefix = f"{certification.programme.code.upper()[:12]}-{year}-"
    taken = Certification.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    highest = max((int(number.rsplit("-", 1)[1]) for number in taken if number.rsplit("-", 1)[1].isdigit()), default=0)
    return f"{prefix}{highest + 1:04d}"


def certification_grant(*, actor, certification: Certification, today: date | None = None) -> Certification:
    """Certify a candidate whose requirements are all met: a number, a verification code, a validity."""
    _require_manager(actor)
    today = today or timezone.localdate()
    for _try in range(5):
        try:
            with transaction.atomic():
                certification = _locked(certification)
                before = certification.status
                certification.status = _check_move(certification, Action.CERTIFIED)
                requirements = selectors.requirement_list(certification=certification, recertification=False)
                if not selectors.requirements_met(requirements):
                    raise errors.RequirementsNotMet(errors.REQUIREMENTS_UNMET % {"unmet": _unmet(requirements)})
                certification.number = _next_number(certification, today.year)
                certification.code = secrets.token_urlsafe(18)
                certification.certified_on = today
                certification.valid_until = add_months(today, certification.programme.validity_months)
                certification.status_reason = ""
                certification.save()
                # a certified trainer gets the trainer's role (their sessions still check the certification)
                certification.user.groups.add(Group.objects.get(name=Role.TRAINER))
                _event(
                    certification,
                    action=Action.CERTIFIED,
                    actor=actor,
                    from_status=before,
                    details={
                        "number": certification.number,
                        "valid_until": certification.valid_until.isoformat(),
                        "requirements": _snapshot(requirements),
                    },
                )
                return certification
        except IntegrityError:
            # another certificate took the number at the same moment: draw the next one
            continue
    raise errors.TransitionRefused(errors.TRY_AGAIN)


@transaction.atomic
def _move(*, actor, certification, action, reason, today=None) -> Certification:
    _require_manager(actor)
    reason = _reason(reason)
    certification = _locked(certification)
    before = certification.status
    target = _check_move(certification, action)
    today = today or timezone.localdate()
    if action == Action.REINSTATED and certification.valid_until < today:
        raise errors.TransitionRefused(
            errors.VALIDITY_PASSED % {"date": formats.date_format(certification.valid_until)}
        )
    certification.status = target
    certification.status_reason = reason
    certification.save(update_fields=["status", "status_reason"])
    _event(certification, action=action, actor=actor, from_status=before, reason=reason)
    return certification


def certification_suspend(*, actor, certification: Certification, reason: str) -> Certification:
    return _move(actor=actor, certification=certification, action=Action.SUSPENDED, reason=reason)


def certification_revoke(*, actor, certification: Certification, reason: str) -> Certification:
    return _move(actor=actor, certification=certification, action=Action.REVOKED, reason=reason)


def certification_reinstate(*, actor, certification: Certification, reason: str, today=None) -> Certification:
    return _move(actor=actor, certification=certification, action=Action.REINSTATED, reason=reason, today=today)


@transaction.atomic
def certification_recertify(*, actor, certification: Certification, today: date | None = None) -> Certification:
    """Renew a trainer who delivered enough in the period: a new validity from today (or from the old end
    when it is still ahead), the same number and verification code."""
    _require_manager(actor)
    today = today or timezone.localdate()
    certification = _locked(certification)
    before = certification.status
    certification.status = _check_move(certification, Action.RECERTIFIED)
    requirements = selectors.requirement_list(certification=certification, recertification=True)
    if not selectors.requirements_met(requirements):
        raise errors.RequirementsNotMet(errors.REQUIREMENTS_UNMET % {"unmet": _unmet(requirements)})
    start = max(today, certification.valid_until)
    certification.certified_on = today
    certification.valid_until = add_months(start, certification.programme.validity_months)
    certification.status_reason = ""
    certification.save()
    _event(
        certification,
        action=Action.RECERTIFIED,
        actor=actor,
        from_status=before,
        details={"valid_until": certification.valid_until.isoformat(), "requirements": _snapshot(requirements)},
    )
    return certification


def certifications_expire(*, today: date | None = None) -> int:
    """Mark every certification whose validity has passed as expired; safe to run twice or at once."""
    today = today or timezone.localdate()
    count = 0
    due = Certification.objects.filter(status=Status.CERTIFIED, valid_until__lt=today).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            # the conditional update is the guard: a second run (or a parallel one) changes nothing
            if Certification.objects.filter(pk=pk, status=Status.CERTIFIED, valid_until__lt=today).update(
                status=Status.EXPIRED, status_reason=""
            ):
                certification = Certification.objects.get(pk=pk)
                learner_changed(certification.user_id)  # an update() sends no signal: the dashboard's copy goes
                _event(
                    certification,
                    action=Action.EXPIRED,
                    from_status=Status.CERTIFIED,
                    details={"valid_until": certification.valid_until.isoformat()},
                )
                count += 1
    return count


# --- reminders -------------------------------------------------------------------------------------------


def expiry_reminders_send(*, today: date | None = None) -> int:
    """E-mail the trainer and their agency's coordinators 60 and 30 days before a validity ends.

    Each reminder is sent once per certification and validity end (``ExpiryReminder`` is unique on
    them): a run missed for a day sends the reminder the next day, and a second run sends nothing.
    Only the nearest lead time is sent when both are due (a trainer certified 40 days before the end
    gets the 30-day reminder only).
    """
    today = today or timezone.localdate()
    sent = 0
    horizon = today + timedelta(days=max(REMINDER_DAYS))
    due = Certification.objects.filter(
        status=Status.CERTIFIED, valid_until__gte=today, valid_until__lte=horizon
    ).select_related("user", "user__profile", "programme")
    for certification in due:
        days_left = (certification.valid_until - today).days
        lead = min(days for days in REMINDER_DAYS if days >= days_left)
        if ExpiryReminder.objects.filter(
            certification=certification, valid_until=certification.valid_until, days_before__lte=lead
        ).exists():
            continue  # this one, or a nearer one, was sent
        try:
            with transaction.atomic():
                ExpiryReminder.objects.create(
                    certification=certification, valid_until=certification.valid_until, days_before=lead
                )
                _event(certification, action=Action.REMINDED, from_status=certification.status, details={"days": lead})
        except IntegrityError:
            continue  # a run at the same moment sent it
        agency_id = getattr(certification.user.profile, "agency_id", None)
        recipients = [certification.user, *people_selectors.agency_coordinator_list(agency_id=agency_id)]
        for recipient in recipients:
            if recipient.email:
                _remind(recipient=recipient, certification=certification, days_left=days_left)
        sent += 1
    return sent


def _remind(*, recipient, certification, days_left: int) -> None:
    mail_in_language(
        recipient=recipient,
        subject_template="trainers/email/expiry_subject.txt",
        body_template="trainers/email/expiry_body.txt",
        context={
            "certification": certification,
            "trainer": display_name(certification.user),
            "days_left": days_left,
            # reversed when the mail is rendered, so the link carries the recipient's language
            "url": absolute_reverse_lazy("trainers:certification_detail", args=[certification.pk]),
        },
    )


def daily_run(*, today: date | None = None) -> dict:
    """What the scheduled job does each day: expire, then remind."""
    return {"expired": certifications_expire(today=today), "reminded": expiry_reminders_send(today=today)}


# --- certificates of completion --------------------------------------------------------------------------


def completion_certificate_create(
    *, user, kind: str, titles: dict, today: date, course_key=None, session_id: int | None = None
) -> tuple[CompletionCertificate, bool]:
    """Create a certificate of completion with the year's next number and a fresh verification code.

    Return ``(certificate, created)``: the user's certificate of that course or session when they have one
    already (also when a second request issues it at the same moment). ``titles`` holds the title as
    issued in ``en``, ``ru`` and ``tk``. Shared by course certificates and the cascade app's session
    certificates, so both kinds are numbered in one series and verify alike.
    """
    key = {"course_key": course_key} if kind == CompletionCertificate.Kind.COURSE else {"session_id": session_id}
    same = CompletionCertificate.objects.filter(user=user, kind=kind, **key)
    existing = same.first()
    if existing is not None:
        return existing, False
    for _try in range(5):
        try:
            with transaction.atomic():
                prefix = f"C-{today.year}-"
                count = CompletionCertificate.objects.filter(number__startswith=prefix).count()
                return CompletionCertificate.objects.create(
                    user=user,
                    kind=kind,
                    course_key=course_key,
                    session_id=session_id,
                    title_en=titles.get("en", ""),
                    title_ru=titles.get("ru", ""),
                    title_tk=titles.get("tk", ""),
                    number=f"{prefix}{count + 1:05d}",
                    code=secrets.token_urlsafe(18),
                    issued_on=today,
                ), True
        except IntegrityError:
            existing = same.first()
            if existing is not None:
                return existing, False
    raise errors.TransitionRefused(errors.TRY_AGAIN)


def course_certificate_issue(*, user, course, today: date | None = None) -> CompletionCertificate:
    """Issue (once) the certificate of completion of a course the user completed.

    ``course`` is the course page in any language; the certificate keeps the title in the three.
    """
    today = today or timezone.localdate()
    existing = CompletionCertificate.objects.filter(
        user=user, kind=CompletionCertificate.Kind.COURSE, course_key=course.translation_key
    ).first()
    if existing is not None:
        return existing
    if not CourseCompletion.objects.filter(user=user, course_key=course.translation_key).exists():
        raise errors.RequirementsNotMet(errors.COURSE_NOT_COMPLETED)
    titles = {page.locale.language_code: page.title for page in course.get_translations(inclusive=True).select_related("locale")}
    certificate, _created = completion_certificate_create(
        user=user,
        kind=CompletionCertificate.Kind.COURSE,
        course_key=course.translation_key,
        titles={**titles, "en": titles.get("en") or course.title},
        today=today,
    )
    return certificate
