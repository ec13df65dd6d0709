"""Scheduling rules, the state machine, roster and attendance, and what reaches the trainers app."""

import threading
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from assessments.models import Assessment, Attempt
from lms.cascade import exceptions, services
from lms.cascade.models import Attendance, CascadeSession, TrainerSlot
from lms.cascade.services import Day
from lms.people.models import TrainingUnit
from lms.people.roles import Role
from lms.trainers import delivery
from tests.cascade.conftest import SOON, TODAY, certified
from tests.cascade.helpers import schedule_session
from tests.factories import person

pytestmark = pytest.mark.django_db


def test_a_certified_trainer_schedules_inside_their_agency(trainer, co_trainer, programme):
    session = schedule_session(trainer, programme, co_trainers=[co_trainer], days=[Day(SOON, time(9), time(13)), Day(SOON + timedelta(days=1), time(9), time(12, 30))])
    assert (session.state, session.agency, session.modules) == ("draft", trainer.profile.agency, [3])
    assert session.days.count() == 2
    # four hours and three and a half, in quarter hours, for two trainers
    assert TrainerSlot.objects.filter(session=session).count() == (16 + 14) * 2
    assert session.events.get().action == "scheduled"


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"capacity": 0}, "capacity"),
        ({"modules": [3, 7]}, "cover module"),
        ({"modules": []}, "at least one module"),
        ({"days": [Day(SOON, time(13), time(9))]}, "ends before it starts"),
        ({"days": [Day(SOON, time(9, 10), time(12))]}, "quarter hours"),
        ({"days": []}, "at least one day"),
    ],
)


def test_bad_sessions_are_refused_with_a_reason_and_leave_nothing(trainer, programme, overrides, message):
    with pytest.raises(exceptions.SessionRefused, match=message):
        schedule_session(trainer, programme, **overrides)
    assert not CascadeSession.objects.exists() and not TrainerSlot.objects.exists()


def test_uncertified_expired_or_foreign_trainers_are_refused(agency_a, agency_b, programme, trainer):
    newcomer = person(username="new", roles=[Role.TRAINER], agency=agency_a)
    with pytest.raises(exceptions.SessionRefused, match="no trainer certification"):
        schedule_session(newcomer, programme)
    lapsing = person(username="lapsing", roles=[Role.TRAINER], agency=agency_a)
    certified(lapsing, programme, valid_until=SOON - timedelta(days=1))
    with pytest.raises(exceptions.SessionRefused, match="no trainer certification"):
        schedule_session(lapsing, programme)
    with pytest.raises(exceptions.SessionRefused, match="Co-trainer"):
        schedule_session(trainer, programme, co_trainers=[newcomer])
    with pytest.raises(exceptions.SessionRefused, match="own agency"):
        schedule_session(trainer, programme, agency=agency_b)
    unit_b = TrainingUnit.objects.create(agency=agency_b, code="lebap", name_en="Lebap")
    with pytest.raises(exceptions.SessionRefused, match="another agency"):
        schedule_session(trainer, programme, unit=unit_b)
    assert not CascadeSession.objects.exists()


def test_a_trainer_cannot_be_booked_twice_at_overlapping_times(trainer, co_trainer, programme):
    first = schedule_session(trainer, programme)
    with pytest.raises(exceptions.SessionRefused, match="already booked"):
        schedule_session(trainer, programme, days=[Day(SOON, time(12, 45), time(15))])
    # the co-trainer of another session counts too
    with pytest.raises(exceptions.SessionRefused, match="Aýgül|aygul|already booked"):
        schedule_session(co_trainer, programme, co_trainers=[trainer], days=[Day(SOON, time(8), time(9, 15))])
    # back to back is fine
    schedule_session(trainer, programme, days=[Day(SOON, time(13), time(15))])
    # a cancelled session frees its times
    services.session_cancel(actor=trainer, session=first, reason="Venue unavailable")
    schedule_session(co_trainer, programme, co_trainers=[trainer], days=[Day(SOON, time(9), time(11))])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_bookings_of_one_trainer_at_once_one_wins(trainer, programme):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers: PostgreSQL only (SQLite serialises them)")
    results = []

    def book(title):
        from django.db import connections

        try:
            schedule_session(trainer, programme, title=title)
            results.append("ok")
        except exceptions.SessionRefused:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(f"S{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert CascadeSession.objects.count() == 1


def test_the_states_run_from_draft_to_reported_with_an_audit_and_mail(trainer, programme, coordinator_a, manager):
    coordinator_a.email = "coord@example.org"
    coordinator_a.save()
    session = schedule_session(trainer, programme, days=[Day(TODAY, time(9), time(13))])
    services.session_submit(actor=trainer, session=session)
    assert [m.to for m in mail.outbox] == [["coord@example.org"]]
    with pytest.raises(exceptions.SessionRefused, match="comment"):
        services.session_return(actor=coordinator_a, session=session, comment="")
    services.session_return(actor=coordinator_a, session=session, comment="Add the module 4 materials")
    with pytest.raises(exceptions.NotPermitted):
        services.session_approve(actor=trainer, session=session)
    services.session_submit(actor=trainer, session=session)
    session = services.session_approve(actor=coordinator_a, session=session)
    assert session.state == "approved"
    with pytest.raises(exceptions.SessionRefused):
        services.session_submit(actor=trainer, session=session)
    services.session_deliver(actor=trainer, session=session)
    with pytest.raises(exceptions.SessionRefused, match="methods"):
        services.session_report_submit(actor=trainer, session=session, methods=" ")
    session = services.session_report_submit(actor=trainer, session=session, methods="Case study, role play")
    assert session.state == "reported"
    services.session_report_accept(actor=coordinator_a, session=session)
    with pytest.raises(exceptions.SessionRefused, match="already accepted"):
        services.session_report_send_back(actor=coordinator_a, session=session, comment="More detail")
    history = list(session.events.values_list("action", "from_state", "to_state"))
    assert history == [
        ("scheduled", "", "draft"), ("submit", "draft", "submitted"), ("return", "submitted", "returned"),
        ("submit", "returned", "submitted"), ("approve", "submitted", "approved"), ("deliver", "approved", "delivered"),
        ("report", "delivered", "reported"), ("report_accepted", "reported", "reported"),
    ]
    with pytest.raises(exceptions.SessionRefused):
        services.session_cancel(actor=trainer, session=session, reason="Too late")


def test_delivery_before_the_first_day_is_refused(trainer, programme, coordinator_a):
    session = schedule_session(trainer, programme)
    services.session_submit(actor=trainer, session=session)
    services.session_approve(actor=coordinator_a, session=session)
    with pytest.raises(exceptions.SessionRefused, match="started"):
        services.session_deliver(actor=trainer, session=session)


def test_the_coordinator_of_another_agency_decides_nothing(trainer, programme, coordinator_b):
    session = schedule_session(trainer, programme)
    services.session_submit(actor=trainer, session=session)
    with pytest.raises(exceptions.NotPermitted):
        services.session_approve(actor=coordinator_b, session=session)
    with pytest.raises(exceptions.NotPermitted):
        services.session_cancel(actor=coordinator_b, session=session, reason="No")


def test_a_full_roster_fills_the_waiting_list_which_moves_up(trainer, programme, agency_a, agency_b):
    session = schedule_session(trainer, programme)
    people = [person(username=f"p{n}", agency=agency_a) for n in range(3)]
    places = [services.participant_add(actor=trainer, session=session, user=p) for p in people]
    assert [p.status for p in places] == ["enrolled", "enrolled", "waitlisted"]
    with pytest.raises(exceptions.SessionRefused, match="agency"):
        services.participant_add(actor=trainer, session=session, user=person(username="x", agency=agency_b))
    promoted = services.participant_remove(actor=trainer, session=session, user=people[0])
    assert promoted.user == people[2] and promoted.status == "enrolled"


def test_attendance_is_taken_by_the_trainers_for_enrolled_people_from_the_day_on(trainer, programme, coordinator_a, agency_a):
    session = schedule_session(trainer, programme, days=[Day(TODAY, time(9), time(12)), Day(TODAY + timedelta(days=1), time(9), time(12))])
    place = services.participant_add(actor=trainer, session=session, user=person(username="amy", agency=agency_a))
    today, tomorrow = session.days.all()
    with pytest.raises(exceptions.SessionRefused, match="approved"):
        services.attendance_record(actor=trainer, session=session, day=today, statuses={place.pk: "present"})
    services.session_submit(actor=trainer, session=session)
    services.session_approve(actor=coordinator_a, session=session)
    assert services.attendance_record(actor=trainer, session=session, day=today, statuses={place.pk: "late"}) == 1
    assert services.attendance_record(actor=trainer, session=session, day=today, statuses={place.pk: "present"}) == 1
    assert Attendance.objects.get().status == "present"
    with pytest.raises(exceptions.SessionRefused, match="from that day"):
        services.attendance_record(actor=trainer, session=session, day=tomorrow, statuses={place.pk: "present"})
    with pytest.raises(exceptions.SessionRefused):
        services.attendance_record(actor=trainer, session=session, day=today, statuses={place.pk: "asleep"})
    with pytest.raises(exceptions.NotPermitted):
        services.attendance_record(actor=person(username="t2", roles=[Role.TRAINER], agency=agency_a), session=session, day=today, statuses={})


def _attempt(user, test, when, score):
    return Attempt.objects.create(
        assessment=test, user=user, number=Attempt.objects.filter(user=user, assessment=test).count() + 1,
        state="submitted", language="tk", started_at=when, submitted_at=when, score=Decimal(score), max_score=Decimal(10),
    )


def test_reported_sessions_reach_the_trainers_app_with_their_gain(trainer, co_trainer, programme, coordinator_a, agency_a):
    pre = Assessment.objects.create(slug="pre", title_en="Pre", purpose="pre")
    post = Assessment.objects.create(slug="post", title_en="Post", purpose="post")
    session = schedule_session(trainer, programme, co_trainers=[co_trainer], days=[Day(TODAY, time(9), time(13))], pre_test=pre, post_test=post)
    amy, bob = person(username="amy", agency=agency_a), person(username="bob", agency=agency_a)
    for learner in (amy, bob):
        services.participant_add(actor=trainer, session=session, user=learner)
    start = timezone.make_aware(datetime.combine(TODAY, time(9, 30)))
    _attempt(amy, pre, start, 4)
    _attempt(amy, post, start + timedelta(hours=3), 7)  # (7-4)/(10-4) = 0.5
    _attempt(bob, pre, start, 0)
    _attempt(bob, post, start + timedelta(hours=3), 10)  # 1.0
    _attempt(bob, post, start - timedelta(days=60), 10)  # another time: not this session's
    assert delivery.deliveries(user_ids=[trainer.pk])[trainer.pk].sessions_led == 0  # not reported yet
    services.session_submit(actor=trainer, session=session)
    services.session_approve(actor=coordinator_a, session=session)
    services.session_deliver(actor=trainer, session=session)
    services.session_report_submit(actor=trainer, session=session, methods="Lecture, case study")
    found = delivery.deliveries(user_ids=[trainer.pk, co_trainer.pk], since=TODAY - timedelta(days=1))
    lead, co = found[trainer.pk], found[co_trainer.pk]
    assert (lead.sessions_led, lead.participants, lead.hours) == (1, 2, 4)
    assert lead.mean_gain == pytest.approx(0.75)
    assert (co.sessions_led, co.sessions_co_facilitated) == (0, 1)
    assert delivery.deliveries(user_ids=[trainer.pk], since=TODAY + timedelta(days=1))[trainer.pk].sessions_led == 0
