"""The session report's figures on a known dataset: participants by group, attendance and the completion
rule, pre/post results (expected values computed by hand), and the selector's constant query count."""

from datetime import date, datetime, timedelta
from datetime import timezone as tz
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Assessment, Attempt
from lms.cascade import figures
from lms.cascade.models import Attendance, CascadeSession, SessionParticipant
from lms.people.models import Profile
from lms.people.roles import Role
from lms.trainers.models import CertificationProgramme
from tests.cascade.conftest import TODAY
from tests.factories import CascadeSessionFactory, RegionFactory, TrainingUnitFactory, person

# --- the known dataset (no database) -------------------------------------------------------------------

PARTICIPANTS = [
    {"participant_id": 1, "user_id": 11, "gender": "female", "unit": "Ashgabat unit", "position": "Prosecutor", "region": "Ahal"},
    {"participant_id": 2, "user_id": 12, "gender": "female", "unit": "Ashgabat unit", "position": "prosecutor ", "region": "Ahal"},
    {"participant_id": 3, "user_id": 13, "gender": "male", "unit": "Balkan unit", "position": "Investigator", "region": "Balkan"},
    {"participant_id": 4, "user_id": 14, "gender": "male", "unit": "", "position": "Prosecutor", "region": "Ahal"},
    {"participant_id": 5, "user_id": 15, "gender": "", "unit": "Balkan unit", "position": "", "region": "Balkan"},
    {"participant_id": 6, "user_id": 16, "gender": "female", "unit": "Ashgabat unit", "position": "Judge", "region": ""},
]
DAYS = [{"id": 102, "date": date(2026, 3, 3)}, {"id": 101, "date": date(2026, 3, 2)}, {"id": 103, "date": date(2026, 3, 4)}]
P, L, E, A = "present", "late", "excused", "absent"
SHEET = {  # participant → marks of day 101, 102, 103 (None: not recorded)
    1: (P, P, L),
    2: (P, A, P),
    3: (L, L, E),
    4: (P, None, P),
    5: (A, A, A),
    6: (P, P, P),
}
MARKS = [
    {"participant_id": pk, "day_id": day_id, "status": status}
    for pk, statuses in SHEET.items()
    for day_id, status in zip((101, 102, 103), statuses)
    if status is not None
] + [{"participant_id": 99, "day_id": 101, "status": P}]  # someone no longer enrolled: not counted


def moment(hour):
    return datetime(2026, 3, 2, hour, tzinfo=tz.utc)


def attempt(pk, learner, phase, score, hour, *, state="submitted", max_score=10, source="online"):
    return {
        "session_id": 7, "attempt_id": pk, "learner_id": learner, "phase": phase, "score": Decimal(score),
        "max_score": Decimal(max_score), "submitted_at": moment(hour), "source": source, "state": state,
    }


ATTEMPTS = [
    attempt(1, 11, "pre", 4, 8),
    attempt(2, 11, "pre", 9, 10),  # a retake: the first pre-test counts
    attempt(3, 11, "post", 6, 12),
    attempt(4, 11, "post", 8, 14),  # the last post-test counts
    attempt(5, 12, "pre", 5, 8),
    attempt(6, 12, "post", 5, 14, source="paper"),
    attempt(7, 13, "pre", 10, 8),  # full marks before: no normalised gain
    attempt(8, 13, "post", 9, 14),
    attempt(9, 14, "pre", 2, 8),  # no post-test
    attempt(10, 15, "post", 7, 14),  # no pre-test
    attempt(11, 16, "pre", 6, 8, state="grading"),  # awaiting grading: not taken yet
]


def as_tuples(shares):
    return [(share.label, share.count, round(share.share, 4)) for share in shares]


def test_participants_are_counted_by_gender_unit_position_and_region():
    found = figures.participant_breakdowns(PARTICIPANTS)
    assert as_tuples(found["gender"]) == [("Female", 3, 0.5), ("Male", 2, 0.3333), ("Not given", 1, 0.1667)]
    assert as_tuples(found["unit"]) == [("Ashgabat unit", 3, 0.5), ("Balkan unit", 2, 0.3333), ("Not given", 1, 0.1667)]
    # one position however it is capitalised or spaced; ties by name; "not given" last
    assert as_tuples(found["position"]) == [
        ("Prosecutor", 3, 0.5), ("Investigator", 1, 0.1667), ("Judge", 1, 0.1667), ("Not given", 1, 0.1667)
    ]
    assert as_tuples(found["region"]) == [("Ahal", 3, 0.5), ("Balkan", 2, 0.3333), ("Not given", 1, 0.1667)]
    assert figures.breakdown([]) == []


@pytest.mark.parametrize(
    ("attended", "days", "needed", "enough"),
    [(4, 5, 80, True), (3, 4, 80, False), (3, 3, 100, True), (2, 3, 67, False), (2, 3, 66, True), (0, 0, 1, False)],
)
def test_the_completion_rule_counts_a_share_of_the_days(attended, days, needed, enough):
    assert figures.attended_enough(attended=attended, days=days, min_attendance=needed) is enough


def test_attendance_per_day_and_who_attended_enough():
    ids = [row["participant_id"] for row in PARTICIPANTS]
    found = figures.attendance_figures(days=DAYS, participant_ids=ids, marks=MARKS, min_attendance=80)
    assert [day.date.day for day in found.days] == [2, 3, 4]  # in date order
    # columns: present, late, excused, absent
    assert [(day.cells, day.not_recorded) for day in found.days] == [
        ([4, 1, 0, 1], 0),
        ([2, 1, 0, 2], 1),
        ([3, 1, 1, 1], 0),
    ]
    # 80% of 3 days needs all 3 (present or late): participants 1 and 6
    assert (found.participants, found.met, found.percent_met) == (6, 2, 33)
    lenient = figures.attendance_figures(days=DAYS, participant_ids=ids, marks=MARKS, min_attendance=60)
    assert lenient.met == 5  # 2 of 3 days suffice: everyone but participant 5
    empty = figures.attendance_figures(days=DAYS, participant_ids=[], marks=MARKS, min_attendance=80)
    assert (empty.met, empty.share_met, [day.cells for day in empty.days]) == (0, None, [[0, 0, 0, 0]] * 3)


def test_pre_and_post_results_over_the_matched_pairs():
    found = figures.pre_post_figures(ATTEMPTS)
    assert (found.pre_taken, found.post_taken, found.n) == (4, 4, 3)
    # pairs: 11 (40 → 80, g 2/3), 12 (50 → 50, g 0), 13 (100 → 90, no g)
    assert found.mean_pre == pytest.approx((40 + 50 + 100) / 3)
    assert found.mean_post == pytest.approx((80 + 50 + 90) / 3)
    assert found.mean_normalised_gain == pytest.approx((2 / 3 + 0) / 2)
    assert found.share_improved == pytest.approx(1 / 3)
    nothing = figures.pre_post_figures([attempt(1, 11, "pre", 4, 8)])
    assert (nothing.pre_taken, nothing.n, nothing.mean_pre, nothing.mean_normalised_gain) == (1, 0, None, None)


def test_the_attempt_that_stands_for_each_test_of_a_learner():
    found = figures.taken(ATTEMPTS)
    assert found[11]["pre"]["attempt_id"] == 1 and found[11]["post"]["attempt_id"] == 4
    assert found[12]["post"]["source"] == "paper"
    assert found[14] == {"pre": ATTEMPTS[8], "post": None}
    assert found[16]["pre"]["state"] == "grading"  # shown as awaiting grading
    assert 17 not in found


# --- read from the database ----------------------------------------------------------------------------

@pytest.fixture
def programme(curriculum):
    return CertificationProgramme.objects.create(
        code="tot-figures", name_en="Certified trainer", course_key=curriculum["tot"].translation_key, modules=[1, 2]
    )


def _session(agency, trainer, *, first: date, days=2, min_attendance=50, pre=None, post=None):
    return CascadeSessionFactory(
        title="Case qualification", course_key=CertificationProgramme.objects.get().course_key, lead_trainer=trainer,
        agency=agency, capacity=30, min_attendance=min_attendance, pre_test=pre, post_test=post,
        state=CascadeSession.State.DELIVERED, first=first, length=days,
    )


def _finished(test, user, score, when, *, source="online"):
    return Attempt.objects.create(
        assessment=test, user=user, number=Attempt.objects.filter(assessment=test, user=user).count() + 1,
        state="submitted", source=source, language="ru", score=Decimal(score),
        max_score=Decimal(10), started_at=when, submitted_at=when,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 10])
def test_report_figures_read_one_session_in_five_queries(size, trainer, agency_a, django_assert_num_queries):
    pre = Assessment.objects.create(slug="pre", title_en="Pre", purpose="pre")
    post = Assessment.objects.create(slug="post", title_en="Post", purpose="post")
    first = TODAY - timedelta(days=5)
    session = _session(agency_a, trainer, first=first, pre=pre, post=post)
    other = _session(agency_a, trainer, first=first - timedelta(days=60), pre=pre, post=post)
    unit = TrainingUnitFactory(agency=agency_a, name_en="Ahal unit")
    region = RegionFactory(code="TM-A", name_en="Ahal region")
    days = list(session.days.all())
    start = session.starts_at
    for number in range(size):
        learner = person(username=f"learner{number}", agency=agency_a)
        Profile.objects.filter(user=learner).update(
            gender="male" if number % 2 else "female", unit=unit if number < 2 else None, region=region,
            position="Investigator",
        )
        place = SessionParticipant.objects.create(session=session, user=learner)
        Attendance.objects.create(participant=place, day=days[0], status="present")
        if number == 0:
            Attendance.objects.create(participant=place, day=days[1], status="late")
            _finished(pre, learner, 4, start - timedelta(days=1))
            _finished(post, learner, 7, start + timedelta(days=1), source="paper")
            _finished(pre, learner, 1, start - timedelta(days=30))  # before the pre-test window: not this session's
    waiting = person(username="waiting", agency=agency_a)
    SessionParticipant.objects.create(session=session, user=waiting, status="waitlisted")  # not counted
    SessionParticipant.objects.create(session=other, user=waiting)

    with django_assert_num_queries(5):
        found = figures.report_figures(session=session)
    assert found.participants == size
    assert [(share.label, share.count) for share in found.by_gender] == [("Female", size // 2), ("Male", size // 2)]
    assert [(share.label, share.count) for share in found.by_unit] == [("Ahal unit", 2)] + (
        [("Not given", size - 2)] if size > 2 else []
    )
    assert [(share.label, share.count) for share in found.by_region] == [("Ahal region", size)]
    assert [day.cells for day in found.attendance.days] == [[size, 0, 0, 0], [0, 1, 0, 0]]
    # 50% of 2 days: one day is enough
    assert found.attendance.met == size
    results = found.results
    assert (results.pre_taken, results.post_taken, results.n) == (1, 1, 1)
    assert (results.mean_pre, results.mean_post, results.share_improved) == (40.0, 70.0, 1.0)
    assert results.mean_normalised_gain == pytest.approx(0.5)


@pytest.mark.django_db
def test_the_report_page_shows_the_figures_while_writing_and_to_the_coordinator(client, trainer, agency_a, coordinator_a):
    session = _session(agency_a, trainer, first=TODAY - timedelta(days=3), min_attendance=100)
    learner = person(username="amy", agency=agency_a)
    place = SessionParticipant.objects.create(session=session, user=learner)
    Attendance.objects.create(participant=place, day=session.days.first(), status="present")
    for user in (trainer, coordinator_a):
        client.force_login(user)
        page = client.get(reverse("cascade:session_report", args=[session.pk]))
        assert page.status_code == 200
        assert page.context["figures"].participants == 1
        text = page.content.decode()
        assert 'id="report-figures"' in text and 'id="by-position"' in text
        assert "0 of 1 participants (0%) attended at least 100% of the days" in text
    client.force_login(person(username="outsider", roles=[Role.TRAINER], agency=agency_a))
    assert client.get(reverse("cascade:session_report", args=[session.pk])).status_code == 404
