"""Who completed a cascade session, and their certificates of completion.

A participant completes a session when they attended (present or late) at least
``CascadeSession.min_attendance`` per cent of its days and took its post-test: a finished attempt on the
session's post-test inside the post-test window of ``delivery.session_attempts`` (from the first day to
``delivery.POST_WINDOW`` after the last), online or entered from paper alike. A session without a
post-test is decided by attendance alone.

Certificates of completion are the trainers app's (``CompletionCertificate`` of kind "session", numbered
and coded by ``lms.trainers.services.completion_certificate_create``), so they download from the holder's
"My certificates" page and verify like course certificates.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from courses.models import CoursePage
from lms.trainers import services as trainer_services
from lms.trainers.models import CompletionCertificate

from . import exceptions as errors
from . import services
from .delivery import session_attempts
from .figures import attended_enough
from .models import ATTENDED, CascadeSession, SessionEvent, SessionParticipant

State = CascadeSession.State
# the states in which a session's participants receive their certificates
CERTIFIABLE = (State.DELIVERED, State.REPORTED)
TITLE_LENGTH = CompletionCertificate._meta.get_field("title_en").max_length


@dataclass(frozen=True)
class Completion:
    """One enrolled participant against the completion rule."""

    place: SessionParticipant
    attended: int
    total: int
    post_test_taken: bool | None  # None when the session has no post-test
    complete: bool
    certificate: CompletionCertificate | None

    @property
    def share(self) -> float:
        """The share of the session's days attended, from 0 to 1."""
        return self.attended / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        return round(self.share * 100)


def is_complete(*, attended: int, total: int, min_attendance: int, post_test_taken: bool | None) -> bool:
    """The completion rule: attendance enough (``figures.attended_enough``, integers only, so exactly the
    threshold completes and nothing rounds up) and the post-test taken when the session has one."""
    if not attended_enough(attended=attended, days=total, min_attendance=min_attendance):
        return False
    return post_test_taken is not False


def completion_list(*, session: CascadeSession) -> list[Completion]:
    """Each enrolled participant of ``session`` against the completion rule, in roster order.

    A fixed number of queries for any number of participants: the days, the participants with their
    attendance counted by the database, the post-test attempts (``delivery.session_attempts``) and the
    certificates already issued.
    """
    total = session.days.count()
    places = list(
        session.participants.filter(status=SessionParticipant.Status.ENROLLED)
        .select_related("user__profile__unit")
        .annotate(days_attended=Count("attendance", filter=Q(attendance__status__in=ATTENDED)))
        .order_by("added_at", "pk")
    )
    taken: set[int] = set()
    if session.post_test_id and places:
        taken = {row["learner_id"] for row in session_attempts([session]) if row["phase"] == "post"}
    issued = {
        certificate.user_id: certificate
        for certificate in CompletionCertificate.objects.filter(
            kind=CompletionCertificate.Kind.SESSION, session_id=session.pk
        )
    }
    rows = []
    for place in places:
        post_test_taken = (place.user_id in taken) if session.post_test_id else None
        rows.append(
            Completion(
                place=place,
                attended=place.days_attended,
                total=total,
                post_test_taken=post_test_taken,
                complete=is_complete(
                    attended=place.days_attended, total=total, min_attendance=session.min_attendance,
                    post_test_taken=post_test_taken,
                ),
                certificate=issued.get(place.user_id),
            )
        )
    return rows


def may_issue_certificates(*, user, session: CascadeSession) -> bool:
    """The lead trainer, the agency's coordinator or a programme manager issue a session's certificates."""
    return session.lead_trainer_id == user.pk or services.may_decide(user=user, session=session)


def certificate_titles(*, session: CascadeSession) -> dict[str, str]:
    """The certificate's title in en, ru and tk: the course's title in that language, then the session's."""
    courses = dict(
        CoursePage.objects.filter(translation_key=session.course_key).values_list("locale__language_code", "title")
    )
    titles = {}
    for language in ("en", "ru", "tk"):
        course = courses.get(language) or courses.get("en") or ""
        title = f"{course} — {session.title}" if course else session.title
        titles[language] = title[:TITLE_LENGTH]
    return titles


@transaction.atomic
def session_certificates_issue(*, actor, session: CascadeSession, today=None) -> int:
    """Issue a certificate of completion to every participant who completed ``session`` and has none yet.

    Only for a delivered or reported session, by the lead trainer or the agency's coordinator (or a
    programme manager). Safe to repeat: a participant never gets a second certificate of a session.
    Return how many certificates were issued now.
    """
    if not may_issue_certificates(user=actor, session=session):
        raise errors.NotPermitted(errors.NOT_PERMITTED)
    session = CascadeSession.objects.select_for_update().get(pk=session.pk)
    if session.state not in CERTIFIABLE:
        raise errors.SessionRefused(errors.CERTIFICATES_NOT_YET)
    due = [row for row in completion_list(session=session) if row.complete and row.certificate is None]
    if not due:
        return 0
    today = today or timezone.localdate()
    titles = certificate_titles(session=session)
    issued = 0
    for row in due:
        _certificate, created = trainer_services.completion_certificate_create(
            user=row.place.user, kind=CompletionCertificate.Kind.SESSION, session_id=session.pk,
            titles=titles, today=today,
        )
        issued += created
    return issued


@transaction.atomic
def session_certificate_revoke(*, actor, session: CascadeSession, certificate_id: int, reason: str):
    """Revoke one certificate of completion of ``session`` (e.g. an attendance sheet found false).

    The agency's coordinator or a programme manager decides, with a reason kept in the session's history;
    the verification page then shows the certificate as revoked, and it is not issued again.
    """
    if not services.may_decide(user=actor, session=session):
        raise errors.NotPermitted(errors.NOT_PERMITTED)
    reason = (reason or "").strip()
    if not reason:
        raise errors.SessionRefused(errors.COMMENT_REQUIRED)
    certificate = (
        CompletionCertificate.objects.select_for_update()
        .filter(kind=CompletionCertificate.Kind.SESSION, session_id=session.pk, pk=certificate_id)
        .first()
    )
    if certificate is None:
        raise CompletionCertificate.DoesNotExist
    if certificate.revoked:
        raise errors.SessionRefused(errors.CERTIFICATE_REVOKED_ALREADY)
    certificate.revoked = True
    certificate.save(update_fields=["revoked"])
    SessionEvent.objects.create(
        session=session, action="certificate_revoked", from_state=session.state, to_state=session.state,
        actor=actor, comment=f"{certificate.number}: {reason}",
    )
    return certificate
