"""The completion rule on a known dataset (the attendance threshold exactly, the post-test within its
window, online or on paper), its constant query count, and the session certificates: issued once, by the
right people, downloadable by the participant and verifiable like course certificates."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Assessment, Attempt
from lms.cascade import completion, services
from lms.cascade import exceptions as errors
from lms.cascade.delivery import POST_WINDOW
from lms.cascade.models import Attendance, CascadeSession, SessionParticipant
from lms.cascade.services import Day
from lms.trainers.models import CertificationProgramme, CompletionCertificate
from tests.cascade.conftest import SOON, TODAY
from tests.factories import CascadeSessionFactory, person

pytestmark = pytest.mark.django_db

DAYS = 5
FIRST = TODAY - timedelta(days=10)


@pytest.fixture
def programme(curriculum):
    return CertificationProgramme.objects.create(
        code="tot-completion", name_en="Certified trainer", course_key=curriculum["tot"].translation_key, modules=[1, 2]
    )


@pytest.fixture
def post_test():
    return Assessment.objects.create(slug="c-post", title_en="Session post-test", purpose="post")


def make_session(trainer, *, post=None, state="delivered", min_attendance=80, co_trainers=()):
    """A five-day session of the trainer's agency, held from ``FIRST`` (set up directly: scheduling is
    tested elsewhere)."""
    return CascadeSessionFactory(
        title="Identifying victims", course_key=CertificationProgramme.objects.get().course_key, lead_trainer=trainer,
        venue="Mary", capacity=30, post_test=post, state=state, min_attendance=min_attendance,
        first=FIRST, length=DAYS, co_trainers=co_trainers,
    )


def participant(session, username, marks: str, *, status="enrolled"):
    """Enrol a person; ``marks`` is one letter per day: p(resent), l(ate), e(xcused), a(bsent), or - for none."""
    user = person(username=username, agency=session.agency, first_name=username.title(), last_name="Test")
    place = SessionParticipant.objects.create(session=session, user=user, status=status)
    statuses = {"p": "present", "l": "late", "e": "excused", "a": "absent"}
    for day, mark in zip(session.days.all(), marks, strict=True):
        if mark != "-":
            Attendance.objects.create(participant=place, day=day, status=statuses[mark])
    return user


def attempt(test, user, when, *, source="online", state="submitted"):
    return Attempt.objects.create(
        assessment=test, user=user, number=Attempt.objects.filter(assessment=test, user=user).count() + 1,
        state=state, source=source, language="ru", score=Decimal(7), max_score=Decimal(10),
        started_at=when, submitted_at=when,
    )


def rows(session):
    return {
        row.place.user.username: (row.attended, row.total, row.post_test_taken, row.complete)
        for row in completion.completion_list(session=session)
    }


# --- the rule --------------------------------------------------------------------------------------------


def test_the_completion_rule_on_a_known_dataset(trainer, post_test):
    session = make_session(trainer, post=post_test, min_attendance=80)
    after = session.ends_at + timedelta(days=2)
    at_threshold = participant(session, "four", "pplpa")  # 4 of 5 = 80 %: exactly the threshold
    below = participant(session, "three", "ppeaa")  # 3 of 5 would be 60 %, and excused is not attended: 2
    every_day = participant(session, "five", "ppppp")  # every day, but no post-test
    on_paper = participant(session, "paper", "pppp-")  # 4 of 5 with the post-test entered from paper
    too_early = participant(session, "early", "ppppp")  # post-test before the first day: not this session's
    too_late = participant(session, "late", "ppppp")  # post-test after the window
    grading = participant(session, "grading", "ppppp")  # post-test still awaiting grading
    waiting = participant(session, "waiting", "-----", status="waitlisted")
    for user in (at_threshold, below, waiting):
        attempt(post_test, user, after)
    attempt(post_test, on_paper, after, source="paper")
    attempt(post_test, too_early, session.starts_at - timedelta(days=1))
    attempt(post_test, too_late, session.ends_at + POST_WINDOW + timedelta(minutes=1))
    attempt(post_test, grading, after, state="grading")

    assert rows(session) == {
        "four": (4, 5, True, True),
        "three": (2, 5, True, False),
        "five": (5, 5, False, False),
        "paper": (4, 5, True, True),
        "early": (5, 5, False, False),
        "late": (5, 5, False, False),
        "grading": (5, 5, False, False),
    }
    first = completion.completion_list(session=session)[0]
    assert first.share == 0.8 and first.percent == 80


def test_just_below_the_threshold_does_not_complete(trainer, post_test):
    session = make_session(trainer, post=post_test, min_attendance=81)
    user = participant(session, "four", "ppppa")
    attempt(post_test, user, session.ends_at + timedelta(days=1))
    assert rows(session) == {"four": (4, 5, True, False)}
    CascadeSession.objects.filter(pk=session.pk).update(min_attendance=80)
    session.refresh_from_db()
    assert rows(session) == {"four": (4, 5, True, True)}


def test_without_a_post_test_attendance_alone_decides(trainer):
    session = make_session(trainer, min_attendance=60)
    participant(session, "three", "pplaa")
    participant(session, "two", "ppaaa")
    assert rows(session) == {"three": (3, 5, None, True), "two": (2, 5, None, False)}


@pytest.mark.parametrize(
    "attended, total, needed, taken, complete",
    [(4, 5, 80, True, True), (4, 5, 81, True, False), (1, 3, 33, None, True), (1, 3, 34, None, False),
     (5, 5, 100, False, False), (0, 0, 1, None, False), (2, 2, 100, None, True)],
)
def test_the_rule_in_integers(attended, total, needed, taken, complete):
    assert completion.is_complete(
        attended=attended, total=total, min_attendance=needed, post_test_taken=taken
    ) is complete


def _queries(django_assert_num_queries, session, count):
    with django_assert_num_queries(count):
        assert len(completion.completion_list(session=session)) > 0


def test_the_list_costs_the_same_queries_for_2_and_for_10_participants(trainer, post_test, django_assert_num_queries):
    small, large = make_session(trainer, post=post_test), make_session(trainer, post=post_test)
    for number in range(2):
        attempt(post_test, participant(small, f"small{number}", "ppppp"), small.ends_at + timedelta(days=1))
    for number in range(10):
        attempt(post_test, participant(large, f"large{number}", "pplpa"), large.ends_at + timedelta(days=1))
    completion.session_certificates_issue(actor=trainer, session=large)
    # days, participants with their attendance, the roster and the attempts of the post-test, certificates
    _queries(django_assert_num_queries, small, 5)
    _queries(django_assert_num_queries, large, 5)


# --- certificates ----------------------------------------------------------------------------------------


def test_certificates_are_issued_once_to_those_who_completed(trainer, post_test, curriculum):
    session = make_session(trainer, post=post_test)
    done = participant(session, "done", "ppppp")
    attempt(post_test, done, session.ends_at + timedelta(days=1))
    participant(session, "absent", "aaaaa")

    assert completion.session_certificates_issue(actor=trainer, session=session, today=TODAY) == 1
    certificate = CompletionCertificate.objects.get()
    tot = curriculum["tot"]
    titles = {page.locale.language_code: page.title for page in tot.get_translations(inclusive=True)}
    assert (certificate.user, certificate.kind, certificate.session_id, certificate.course_key) == (
        done, "session", session.pk, None
    )
    assert certificate.title_en == f"{titles['en']} — Identifying victims"
    assert certificate.title_ru == f"{titles['ru']} — Identifying victims"
    assert certificate.title_tk == f"{titles['tk']} — Identifying victims"
    assert certificate.number == f"C-{TODAY.year}-00001" and certificate.issued_on == TODAY and certificate.code
    # again: nobody new
    assert completion.session_certificates_issue(actor=trainer, session=session) == 0
    assert CompletionCertificate.objects.count() == 1
    # a late post-test makes one more complete: only that one is issued
    late = participant(session, "later", "ppppp")
    attempt(post_test, late, session.ends_at + timedelta(days=3))
    assert completion.session_certificates_issue(actor=trainer, session=session) == 1
    assert set(CompletionCertificate.objects.values_list("user__username", "number")) == {
        ("done", f"C-{TODAY.year}-00001"), ("later", f"C-{TODAY.year}-00002")
    }
    assert {row.place.user.username: bool(row.certificate) for row in completion.completion_list(session=session)} == {
        "done": True, "absent": False, "later": True
    }


@pytest.mark.parametrize("state", ["draft", "submitted", "approved", "cancelled"])
def test_certificates_wait_for_delivery(trainer, state):
    session = make_session(trainer, state=state)
    participant(session, "done", "ppppp")
    with pytest.raises(errors.SessionRefused) as refused:
        completion.session_certificates_issue(actor=trainer, session=session)
    assert refused.value.message == errors.CERTIFICATES_NOT_YET
    assert not CompletionCertificate.objects.exists()


def test_who_issues_the_certificates(trainer, co_trainer, coordinator_a, coordinator_b, manager):
    session = make_session(trainer, state="reported", co_trainers=[co_trainer])
    participant(session, "done", "ppppp")
    for refused in (co_trainer, coordinator_b, session.participants.get().user):
        with pytest.raises(errors.NotPermitted):
            completion.session_certificates_issue(actor=refused, session=session)
    assert not CompletionCertificate.objects.exists()
    assert completion.session_certificates_issue(actor=coordinator_a, session=session) == 1
    assert completion.session_certificates_issue(actor=manager, session=session) == 0


# --- pages -----------------------------------------------------------------------------------------------


def test_the_roster_shows_completion_and_the_lead_issues_the_certificates(client, trainer, co_trainer, post_test):
    session = make_session(trainer, post=post_test, co_trainers=[co_trainer])
    done = participant(session, "done", "ppppl")
    attempt(post_test, done, session.ends_at + timedelta(days=1))
    participant(session, "absent", "paaaa")
    roster = reverse("cascade:session_roster", args=[session.pk])
    issue = reverse("cascade:session_certificates_issue", args=[session.pk])

    client.force_login(co_trainer)
    page = client.get(roster)
    assert [(row.place.user.username, row.complete) for row in page.context["completion"]] == [
        ("done", True), ("absent", False)
    ]
    assert page.context["may_issue"] is False and issue not in page.content.decode()
    assert client.post(issue).status_code == 403

    client.force_login(trainer)
    page = client.get(roster)
    content = page.content.decode()
    assert page.context["may_issue"] is True and issue in content
    assert "5 / 5 (100%)" in content and "1 / 5 (20%)" in content
    response = client.post(issue, follow=True)
    assert response.redirect_chain == [(roster, 302)]
    assert "1 certificate of completion is issued." in [str(message) for message in response.context["messages"]]
    number = CompletionCertificate.objects.get().number
    assert number in response.content.decode()
    again = client.post(issue, follow=True)
    assert [str(message) for message in again.context["messages"]] == [
        "Every participant who completed the session has a certificate already."
    ]


def test_the_issue_button_waits_for_delivery_and_another_agency_gets_404(client, trainer, coordinator_b):
    session = make_session(trainer, state="approved")
    participant(session, "done", "ppppp")
    client.force_login(trainer)
    assert client.get(reverse("cascade:session_roster", args=[session.pk])).context["may_issue"] is False
    response = client.post(reverse("cascade:session_certificates_issue", args=[session.pk]), follow=True)
    assert str(errors.CERTIFICATES_NOT_YET) in [str(message) for message in response.context["messages"]]
    client.force_login(coordinator_b)
    assert client.post(reverse("cascade:session_certificates_issue", args=[session.pk])).status_code == 404
    assert not CompletionCertificate.objects.exists()


def test_the_participant_downloads_and_anyone_verifies_the_certificate(client, trainer):
    session = make_session(trainer)
    done = participant(session, "done", "ppppp")
    other = participant(session, "other", "aaaaa")
    completion.session_certificates_issue(actor=trainer, session=session)
    certificate = CompletionCertificate.objects.get()
    pdf = reverse("trainers:completion_certificate_pdf", args=[certificate.pk])

    client.force_login(done)
    mine = client.get(reverse("trainers:my_certificates"))
    assert certificate.number in mine.content.decode() and f"{pdf}?lang=tk" in mine.content.decode()
    response = client.get(pdf + "?lang=ru")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"certificate-{certificate.number}-ru.pdf" in response["Content-Disposition"]

    client.force_login(other)
    assert client.get(pdf).status_code == 404
    client.logout()
    verified = client.get(reverse("verify", args=[certificate.code]))
    assert verified.status_code == 200
    assert certificate.number in verified.content.decode() and "Identifying victims" in verified.content.decode()


def test_the_coordinator_revokes_a_certificate_with_a_reason(client, trainer, coordinator_a, coordinator_b):
    session = make_session(trainer)
    participant(session, "done", "ppppp")
    completion.session_certificates_issue(actor=trainer, session=session)
    certificate = CompletionCertificate.objects.get()
    revoke = reverse("cascade:session_certificate_revoke", args=[session.pk, certificate.pk])
    roster = reverse("cascade:session_roster", args=[session.pk])

    client.force_login(trainer)  # the lead issues certificates but does not revoke them
    assert revoke not in client.get(roster).content.decode()
    assert client.post(revoke, {"reason": "mine"}).status_code == 403
    client.force_login(coordinator_b)  # another agency does not even see the session
    assert client.post(revoke, {"reason": "theirs"}).status_code == 404
    client.force_login(coordinator_a)
    assert revoke in client.get(roster).content.decode()
    blank = client.post(revoke, {"reason": "  "}, follow=True)
    assert str(errors.COMMENT_REQUIRED) in [str(message) for message in blank.context["messages"]]
    certificate.refresh_from_db()
    assert certificate.revoked is False
    # a certificate of another session is not reachable through this one
    other = make_session(trainer)
    assert client.post(
        reverse("cascade:session_certificate_revoke", args=[other.pk, certificate.pk]), {"reason": "x"}
    ).status_code == 404

    response = client.post(revoke, {"reason": "The attendance sheet was signed for an absent officer."}, follow=True)
    assert f"Certificate {certificate.number} is revoked." in [str(m) for m in response.context["messages"]]
    certificate.refresh_from_db()
    assert certificate.revoked is True
    event = session.events.get(action="certificate_revoked")
    assert event.actor == coordinator_a and certificate.number in event.comment and "absent officer" in event.comment
    client.logout()
    verified = client.get(reverse("verify", args=[certificate.code]))
    assert 'id="verification-status"><strong>Revoked</strong>' in verified.content.decode()
    # revoked stays revoked: not issued again, and a second revocation is refused
    assert completion.session_certificates_issue(actor=trainer, session=session) == 0
    with pytest.raises(errors.SessionRefused) as refused:
        completion.session_certificate_revoke(actor=coordinator_a, session=session, certificate_id=certificate.pk,
                                              reason="again")
    assert refused.value.message == errors.CERTIFICATE_REVOKED_ALREADY


# --- the completion rule in the scheduling form ----------------------------------------------------------


def _schedule(trainer, programme, *, day=SOON, **values):
    return services.session_schedule(
        actor=trainer, title="Interviewing", course_key=programme.course_key, modules=[1],
        days=[Day(day, time(9), time(13))], venue="Mary", capacity=5, language="tk", **values
    )


@pytest.mark.parametrize("value", [0, 101, -5, "many", None])
def test_the_service_refuses_a_share_outside_1_to_100(trainer, programme, value):
    with pytest.raises(errors.SessionRefused) as refused:
        _schedule(trainer, programme, min_attendance=value)
    assert refused.value.message == errors.MIN_ATTENDANCE
    assert not CascadeSession.objects.exists()


def test_the_form_passes_the_share_through(client, trainer, programme):
    assert _schedule(trainer, programme).min_attendance == 80
    assert _schedule(trainer, programme, min_attendance=100, day=SOON + timedelta(days=1)).min_attendance == 100
    data = {
        "title": "Identifying victims", "course": str(programme.course_key), "modules": ["1"], "venue": "Mary",
        "unit": "", "language": "tk", "capacity": "12", "test_mode": "online", "pre_test": "", "post_test": "",
        "days-TOTAL_FORMS": "1", "days-INITIAL_FORMS": "0", "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000",
        "days-0-date": str(SOON + timedelta(days=3)), "days-0-starts": "09:00", "days-0-ends": "13:00",
    }
    client.force_login(trainer)
    assert client.get(reverse("cascade:session_create")).context["form"]["min_attendance"].value() == 80
    refused = client.post(reverse("cascade:session_create"), {**data, "min_attendance": "150"})
    assert refused.status_code == 400
    assert list(refused.context["form"].non_field_errors()) == [str(errors.MIN_ATTENDANCE)]
    assert client.post(reverse("cascade:session_create"), {**data, "min_attendance": "75"}).status_code == 302
    session = CascadeSession.objects.get(title="Identifying victims")
    assert session.min_attendance == 75
    edit = client.get(reverse("cascade:session_edit", args=[session.pk]))
    assert edit.context["form"]["min_attendance"].value() == 75
