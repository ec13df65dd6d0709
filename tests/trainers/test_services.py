"""Requirements computed from records, every lifecycle move (legal and illegal), expiry run twice, reminders."""

import uuid
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from assessments.models import Assessment, Attempt
from courses.models import CourseCompletion
from lms.people.roles import Role
from lms.trainers import delivery, exceptions, selectors, services
from lms.trainers.models import (
    Certification,
    CertificationEvent,
    CertificationProgramme,
    ExpiryReminder,
    ToTCohort,
)
from tests.factories import person
from tests.trainers.helpers import submitted_attempt

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)
GOOD = {"content_accuracy": 4, "victim_centred_language": 5, "facilitation": 4, "time_management": 3, "use_of_manual": 4}


@pytest.fixture
def programme(db):
    return CertificationProgramme.objects.create(
        code="tot", name_en="Certified trainer", course_key=uuid.uuid4(), modules=[1, 2, 3], recert_sessions=2
    )


@pytest.fixture
def post_test(db):
    return Assessment.objects.create(slug="post", title_en="Post-test", purpose="post", pass_mark=70)


@pytest.fixture
def master(db):
    return person(username="master", roles=[Role.TRAINER], agency=None)


@pytest.fixture
def cohort(programme, post_test, master):
    cohort = ToTCohort.objects.create(
        code="tot-1", title="ToT 1", programme=programme, starts_on=TODAY - timedelta(days=10),
        ends_on=TODAY + timedelta(days=5), language="tk", post_test=post_test,
    )
    cohort.master_trainers.add(master)
    return cohort


@pytest.fixture
def candidate(cohort, coordinator_a, agency_a):
    user = person(username="aygul", roles=[Role.TRAINEE], agency=agency_a, first_name="Aýgül", last_name="Orazowa")
    return services.candidate_nominate(actor=coordinator_a, cohort=cohort, user=user, today=TODAY)


def _attempt(user, test, *, score, passed, days_ago=1):
    # dated against TODAY, not the clock, so the periods the checks use do not move with the run
    return submitted_attempt(user, test, score=score, passed=passed, on=TODAY - timedelta(days=days_ago))


def _meet_everything(candidate, master, post_test):
    CourseCompletion.objects.create(user=candidate.user, course_key=candidate.programme.course_key)
    _attempt(candidate.user, post_test, score=8, passed=True)
    services.evaluation_record(
        actor=master, certification=candidate, taught_on=TODAY, topic="Module 3", scores=GOOD, feedback="Clear."
    )


def _met(certification, **kwargs):
    return {r.key: r.met for r in selectors.requirement_list(certification=certification, **kwargs)}


def test_requirements_follow_the_records(candidate, master, post_test):
    assert _met(candidate) == {"course": False, "post_test": False, "practice": False}
    CourseCompletion.objects.create(user=candidate.user, course_key=candidate.programme.course_key)
    _attempt(candidate.user, post_test, score=5, passed=False)
    requirements = selectors.requirement_list(certification=candidate)
    assert [r.met for r in requirements] == [True, False, False]
    assert "50%" in requirements[1].evidence and "70%" in requirements[1].evidence
    _attempt(candidate.user, post_test, score=9, passed=True)
    # a weak criterion fails the standard even with a good mean
    weak = {**GOOD, "time_management": 1, "use_of_manual": 5, "facilitation": 5}
    services.evaluation_record(actor=master, certification=candidate, taught_on=TODAY, topic="M1", scores=weak, feedback="Too long.")
    assert _met(candidate) == {"course": True, "post_test": True, "practice": False}
    services.evaluation_record(actor=master, certification=candidate, taught_on=TODAY, topic="M1", scores=GOOD, feedback="Good.")
    requirements = selectors.requirement_list(certification=candidate)
    assert selectors.requirements_met(requirements)
    assert "4.00" in requirements[2].evidence and master.get_full_name() in requirements[2].evidence


def test_co_facilitation_comes_from_delivered_sessions(candidate, master, post_test):
    candidate.programme.requires_co_facilitation = True
    candidate.programme.save()
    _meet_everything(candidate, master, post_test)
    assert _met(candidate)["co_facilitation"] is False
    delivery.provider_set(lambda **kw: {candidate.user_id: delivery.Delivery(sessions_co_facilitated=1)})
    try:
        assert _met(candidate)["co_facilitation"] is True
    finally:
        delivery.provider_set(None)


def test_requirement_table_costs_the_same_queries_for_many(django_assert_max_num_queries, cohort, coordinator_a, agency_a, master, post_test):
    people = [person(username=f"c{n}", agency=agency_a) for n in range(6)]
    certifications = [services.candidate_nominate(actor=coordinator_a, cohort=cohort, user=p, today=TODAY) for p in people]
    for certification in certifications:
        _meet_everything(certification, master, post_test)
    rows = list(Certification.objects.select_related("programme", "cohort", "cohort__post_test"))
    with django_assert_max_num_queries(4):
        table = selectors.requirement_table(certifications=rows)
    assert all(selectors.requirements_met(table[c.pk]) for c in rows)


def test_nomination_is_for_coordinators_of_the_persons_agency(cohort, coordinator_b, agency_a, candidate):
    other = person(username="other", agency=agency_a)
    with pytest.raises(exceptions.NotPermitted):
        services.candidate_nominate(actor=coordinator_b, cohort=cohort, user=other, today=TODAY)
    with pytest.raises(exceptions.NotPermitted):
        services.candidate_nominate(actor=other, cohort=cohort, user=other, today=TODAY)
    with pytest.raises(exceptions.TransitionRefused, match="already"):
        services.candidate_nominate(actor=candidate.nominated_by, cohort=cohort, user=candidate.user, today=TODAY)
    with pytest.raises(exceptions.TransitionRefused, match="ended"):
        services.candidate_nominate(actor=candidate.nominated_by, cohort=cohort, user=other, today=cohort.ends_on + timedelta(days=1))
    assert candidate.events.get().action == "nominated"


def test_only_a_master_trainer_of_the_cohort_evaluates(candidate, coordinator_a):
    with pytest.raises(exceptions.InvalidEvaluation):
        services.evaluation_record(actor=coordinator_a, certification=candidate, taught_on=TODAY, topic="x", scores=GOOD, feedback="x")
    master = candidate.cohort.master_trainers.get()
    with pytest.raises(exceptions.InvalidEvaluation, match="1 to 5"):
        services.evaluation_record(actor=master, certification=candidate, taught_on=TODAY, topic="x", scores={**GOOD, "facilitation": 6}, feedback="x")
    with pytest.raises(exceptions.InvalidEvaluation, match="feedback"):
        services.evaluation_record(actor=master, certification=candidate, taught_on=TODAY, topic="x", scores=GOOD, feedback="  ")
    assert not candidate.evaluations.exists()


def test_a_manager_certifies_only_when_every_requirement_is_met(candidate, manager, master, post_test, coordinator_a):
    with pytest.raises(exceptions.RequirementsNotMet, match="ToT course completed"):
        services.certification_grant(actor=manager, certification=candidate, today=TODAY)
    _meet_everything(candidate, master, post_test)
    with pytest.raises(exceptions.NotPermitted):
        services.certification_grant(actor=coordinator_a, certification=candidate, today=TODAY)
    granted = services.certification_grant(actor=manager, certification=candidate, today=TODAY)
    assert (granted.status, granted.number, granted.certified_on, granted.valid_until) == (
        "certified", "TOT-2026-0001", TODAY, date(2028, 11, 23)
    )
    assert len(granted.code) >= 24
    assert granted.user.groups.filter(name=Role.TRAINER).exists()
    event = granted.events.get(action="certified")
    assert (event.actor, event.from_status, event.to_status) == (manager, "candidate", "certified")
    assert event.details["requirements"]["post_test"]["met"] is True
    with pytest.raises(exceptions.TransitionRefused):
        services.certification_grant(actor=manager, certification=granted, today=TODAY)


def test_validity_ends_on_the_last_day_of_a_shorter_month():
    assert services.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert services.add_months(date(2026, 11, 30), 27) == date(2029, 2, 28)
    assert services.add_months(date(2027, 2, 29 - 1), 12) == date(2028, 2, 28)


@pytest.fixture
def certified(candidate, manager, master, post_test):
    _meet_everything(candidate, master, post_test)
    return services.certification_grant(actor=manager, certification=candidate, today=TODAY)


LEGAL = [
    ("certified", services.certification_suspend, "suspended"),
    ("certified", services.certification_revoke, "revoked"),
    ("suspended", services.certification_revoke, "revoked"),
    ("expired", services.certification_revoke, "revoked"),
    ("suspended", services.certification_reinstate, "certified"),
    ("revoked", services.certification_reinstate, "certified"),
]


@pytest.mark.parametrize("start,move,end", LEGAL)
def test_legal_moves_are_kept_in_the_history(certified, manager, start, move, end):
    Certification.objects.filter(pk=certified.pk).update(status=start)
    result = move(actor=manager, certification=certified, reason="Decision of the board, 20 Nov")
    assert result.status == end and result.status_reason == "Decision of the board, 20 Nov"
    event = result.events.latest("pk")
    assert (event.from_status, event.to_status, event.actor, event.reason) == (start, end, manager, "Decision of the board, 20 Nov")


ILLEGAL = [
    ("candidate", services.certification_suspend),
    ("candidate", services.certification_revoke),
    ("candidate", services.certification_reinstate),
    ("expired", services.certification_suspend),
    ("revoked", services.certification_suspend),
    ("suspended", services.certification_suspend),
    ("certified", services.certification_reinstate),
    ("expired", services.certification_reinstate),
    ("revoked", services.certification_revoke),
]


@pytest.mark.parametrize("start,move", ILLEGAL)
def test_illegal_moves_are_refused_and_change_nothing(certified, manager, start, move):
    Certification.objects.filter(pk=certified.pk).update(status=start)
    events = CertificationEvent.objects.count()
    with pytest.raises(exceptions.TransitionRefused):
        move(actor=manager, certification=certified, reason="Because")
    certified.refresh_from_db()
    assert certified.status == start and CertificationEvent.objects.count() == events


def test_a_decision_needs_a_reason_and_a_manager(certified, manager, coordinator_a):
    with pytest.raises(exceptions.TransitionRefused, match="reason"):
        services.certification_suspend(actor=manager, certification=certified, reason=" ")
    with pytest.raises(exceptions.NotPermitted):
        services.certification_suspend(actor=coordinator_a, certification=certified, reason="x")
    certified.refresh_from_db()
    assert certified.status == "certified"


def test_reinstatement_after_the_validity_is_refused(certified, manager):
    services.certification_suspend(actor=manager, certification=certified, reason="Inquiry")
    with pytest.raises(exceptions.TransitionRefused, match="recertified"):
        services.certification_reinstate(actor=manager, certification=certified, reason="Cleared", today=date(2029, 1, 1))


def test_expiry_runs_twice_without_a_second_change(certified):
    assert services.certifications_expire(today=date(2028, 11, 23)) == 0  # the last valid day
    assert services.certifications_expire(today=date(2028, 11, 24)) == 1
    assert services.certifications_expire(today=date(2028, 11, 24)) == 0
    certified.refresh_from_db()
    assert certified.status == "expired"
    assert certified.events.filter(action="expired").count() == 1
    assert certified.events.get(action="expired").actor is None


def test_recertification_by_delivery_extends_the_validity(certified, manager):
    with pytest.raises(exceptions.RequirementsNotMet, match="Cascade sessions"):
        services.certification_recertify(actor=manager, certification=certified, today=date(2028, 10, 1))
    assert _met(certified) == {"recert_sessions": False, "recert_gain": False}
    calls = []

    def provider(*, user_ids, since, until):
        calls.append(since)
        return {certified.user_id: delivery.Delivery(sessions_led=2, participants=31, mean_gain=0.42)}

    delivery.provider_set(provider)
    try:
        renewed = services.certification_recertify(actor=manager, certification=certified, today=date(2028, 10, 1))
    finally:
        delivery.provider_set(None)
    assert calls == [TODAY]  # delivery counted from the (re)certification date
    # still valid: the new period runs on from the old end
    assert (renewed.status, renewed.valid_until, renewed.number) == ("certified", date(2030, 11, 23), "TOT-2026-0001")
    assert renewed.events.get(action="recertified").details["requirements"]["recert_gain"]["met"] is True


def test_an_expired_trainer_below_the_gain_threshold_is_not_recertified(certified, manager):
    services.certifications_expire(today=date(2029, 1, 1))
    delivery.provider_set(lambda **kw: {certified.user_id: delivery.Delivery(sessions_led=3, participants=40, mean_gain=0.12)})
    try:
        with pytest.raises(exceptions.RequirementsNotMet, match="gain"):
            services.certification_recertify(actor=manager, certification=certified, today=date(2029, 1, 2))
        delivery.provider_set(lambda **kw: {certified.user_id: delivery.Delivery(sessions_led=3, participants=40, mean_gain=0.35)})
        renewed = services.certification_recertify(actor=manager, certification=certified, today=date(2029, 1, 2))
    finally:
        delivery.provider_set(None)
    assert (renewed.status, renewed.valid_until) == ("certified", date(2031, 1, 2))


def test_refresher_course_and_test_count_only_inside_the_period(certified, manager, post_test):
    programme = certified.programme
    programme.refresher_course_key = uuid.uuid4()
    programme.refresher_test = post_test
    programme.save()
    certified.refresh_from_db()
    completion = CourseCompletion.objects.create(user=certified.user, course_key=programme.refresher_course_key)
    CourseCompletion.objects.filter(pk=completion.pk).update(completed_at=timezone.make_aware(timezone.datetime(2026, 1, 5)))
    met = _met(certified)
    # completed and passed before this certification: not evidence of this period
    assert met["refresher_course"] is False and met["refresher_test"] is False
    CourseCompletion.objects.filter(pk=completion.pk).update(completed_at=timezone.make_aware(timezone.datetime(2027, 6, 5)))
    when = timezone.make_aware(timezone.datetime(2027, 6, 6))
    attempt = _attempt(certified.user, post_test, score=9, passed=True)
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=when)
    met = _met(certified)
    assert met["refresher_course"] is True and met["refresher_test"] is True


def test_reminders_go_60_and_30_days_before_once_each(certified, coordinator_a, agency_a):
    certified.user.email = "aygul@example.org"
    certified.user.save()
    coordinator_a.email = "coord@example.org"
    coordinator_a.save()
    person(username="coord.other", roles=[Role.COORDINATOR], email="other@example.org")  # another agency
    end = certified.valid_until
    assert services.expiry_reminders_send(today=end - timedelta(days=61)) == 0
    assert services.expiry_reminders_send(today=end - timedelta(days=60)) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["aygul@example.org", "coord@example.org"]
    assert services.expiry_reminders_send(today=end - timedelta(days=59)) == 0  # run again: nothing new
    assert services.expiry_reminders_send(today=end - timedelta(days=29)) == 1  # missed day 30: sent on 29
    assert services.expiry_reminders_send(today=end - timedelta(days=20)) == 0
    assert list(ExpiryReminder.objects.values_list("days_before", flat=True).order_by("-days_before")) == [60, 30]
    assert len(mail.outbox) == 4
    # in the recipient's language (profiles are Turkmen by default in the factory)
    assert "TOT-2026-0001" in mail.outbox[0].body
    assert mail.outbox[0].subject != "" and "29" in mail.outbox[-1].subject


def test_a_trainer_certified_late_gets_only_the_nearest_reminder(certified):
    end = certified.valid_until
    assert services.expiry_reminders_send(today=end - timedelta(days=20)) == 1
    assert services.expiry_reminders_send(today=end - timedelta(days=19)) == 0
    assert list(ExpiryReminder.objects.values_list("days_before", flat=True)) == [30]


def test_the_daily_command_expires_and_reminds(certified, capsys):
    call_command("certifications_daily", "--today", "2028-11-24")
    call_command("certifications_daily", "--today", "2028-11-24")
    out = capsys.readouterr().out
    assert "1 certifications expired" in out and "0 certifications expired" in out
    certified.refresh_from_db()
    assert certified.status == "expired"
