"""Datasets of the report tests, shared by ``tests/reports`` (through its conftest) and the browser tests
of the report pages (which import them from here)."""

import uuid
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from assessments.models import Assessment, AssessmentItem, Question
from lms.cascade.models import SessionParticipant
from lms.people.roles import Role
from lms.trainers.models import Certification, CertificationProgramme, ToTCohort
from tests.assessments.bank import bank_load
from tests.factories import CascadeSessionFactory, RegionFactory, person
from tests.reports.helpers import COURSE, KEYS, assessment_of, at, attempt, certify, session, take, who

# --- knowledge gain: the pre/post pair, results in two agencies, a cohort and a cascade session ----------


@pytest.fixture
def pair(site_home):
    bank_load()
    tests = []
    for slug, purpose in (("pre", Assessment.Purpose.PRE), ("post", Assessment.Purpose.POST)):
        test = Assessment.objects.create(slug=slug, title_en=slug, purpose=purpose, published=True, shuffle_items=False)
        for position, key in enumerate(KEYS):
            question = Question.objects.get(key=key, locale__language_code="en")
            AssessmentItem.objects.create(assessment=test, question_key=question.translation_key, position=position)
        tests.append(test)
    return tests


@pytest.fixture
def results(pair, agency_a, agency_b):
    pre, post = pair
    # agency A: 0/2 → 2/2 and 1/2 → 2/2; agency B: 1/2 → 1/2
    for name, agency, before, after in (("a1", agency_a, 0, 2), ("a2", agency_a, 1, 2), ("b1", agency_b, 1, 1)):
        learner = person(username=name, roles=[Role.TRAINEE], agency=agency)
        take(learner, pre, right=before, days_ago=10)
        take(learner, post, right=after, days_ago=2)
    return pair


@pytest.fixture
def cascade(results, agency_a, agency_b):
    """a1 and a2 are candidates of a ToT cohort whose tests are the pair; b1 and b2 sat a cascade session
    of MIA with the same tests, b2's pre-test too early for the session's window."""
    pre, post = results
    programme = CertificationProgramme.objects.create(code="kg-tot", name_en="Certified trainer", course_key=uuid.uuid4())
    today = timezone.localdate()
    cohort = ToTCohort.objects.create(
        code="tot-kg", title="ToT for prosecutors", programme=programme, starts_on=today - timedelta(days=11),
        ends_on=today - timedelta(days=1), language="en", pre_test=pre, post_test=post,
    )
    for name in ("a1", "a2"):
        Certification.objects.create(user=User.objects.get(username=name), programme=programme, cohort=cohort)
    lead = person(username="lead.b", roles=[Role.TRAINER], agency=agency_b)
    session = CascadeSessionFactory(
        title="Victim identification", course_key=programme.course_key, lead_trainer=lead, agency=agency_b,
        language="en", capacity=10, state="delivered", make_days=False,
        starts_at=timezone.now() - timedelta(days=5), ends_at=timezone.now() - timedelta(days=4),
        pre_test=pre, post_test=post,
    )
    b2 = person(username="b2", roles=[Role.TRAINEE], agency=agency_b)
    take(b2, pre, right=0, days_ago=30)
    take(b2, post, right=2, days_ago=2)
    for name in ("b1", "b2"):
        SessionParticipant.objects.create(session=session, user=User.objects.get(username=name))
    return cohort, session


# --- reach: the known dataset ---------------------------------------------------------------------------


@pytest.fixture
def world(db, agency_a, agency_b):
    balkan = RegionFactory(code="TM-B", name_en="Balkan region")
    dashoguz = RegionFactory(
        code="TM-D", name_en="Dashoguz region", name_ru="Дашогузский велаят", name_tk="Daşoguz welaýaty"
    )
    programme = CertificationProgramme.objects.create(code="tot-reach", name_en="Certified trainer", course_key=COURSE)
    c1_pre, c1_post = assessment_of("c1-pre", "pre"), assessment_of("c1-post", "post")
    c1 = ToTCohort.objects.create(code="tot-2025", title="ToT 2025", programme=programme, starts_on=date(2025, 10, 6),
                                  ends_on=date(2025, 10, 10), language="ru", pre_test=c1_pre, post_test=c1_post)
    c2 = ToTCohort.objects.create(code="tot-2026", title="ToT 2026", programme=programme, starts_on=date(2026, 1, 5),
                                  ends_on=date(2026, 1, 9), language="tk")
    t1 = who("t1", agency_a, roles=[Role.TRAINER])
    t2 = who("t2", agency_a, gender="male", roles=[Role.TRAINER])
    t3 = who("t3", agency_b, roles=[Role.TRAINER])
    t4 = who("t4", agency_a, roles=[Role.TRAINER])
    certify(t1, programme, c1)
    certify(t2, programme, c2, status="expired", valid_until=date(2026, 3, 1))
    certify(t3, programme, c1)
    certify(t4, programme, c2, status="candidate")
    p1 = who("p1", agency_a, region=balkan)
    p2 = who("p2", agency_a, gender="male", region=balkan)
    p3 = who("p3", agency_a, region=dashoguz)
    p4 = who("p4", agency_a, gender="male", region=None)  # no region: the session's counts
    p5 = who("p5", agency_a)
    q1 = who("q1", agency_b, region=balkan)
    q2 = who("q2", agency_b, gender="male", region=balkan)
    s_pre, s_post = assessment_of("s-pre", "pre"), assessment_of("s-post", "post")
    s1 = session(t1, agency_a, balkan, [(date(2026, 1, 12), 13), (date(2026, 1, 13), 13)], [p1, p2, p3],
                 tests=(s_pre, s_post), title="S1")
    s2 = session(t2, agency_a, dashoguz, [(date(2026, 2, 10), 15)], [p3, p4], state="reported", title="S2")
    s3 = session(t3, agency_b, balkan, [(date(2026, 4, 5), 13)], [q1, q2], tests=(s_pre, s_post), title="S3")
    s4 = session(t1, agency_a, balkan, [(date(2026, 3, 2), 13)], [p5], state="cancelled", title="S4")
    # participants' tests: p1 40 → 80 (g 2/3), p2 50 → 100 (g 1); q1 20 → 60 (g 0.5); p3 only a pre-test;
    # p1's post-test of S3's window is outside S1's (and p1 is not on S3's roster)
    attempt(p1, s_pre, 40, at(date(2026, 1, 10)))
    attempt(p1, s_post, 80, at(date(2026, 1, 20)))
    attempt(p2, s_pre, 50, at(date(2026, 1, 12), 8))
    attempt(p2, s_post, 100, at(date(2026, 1, 13), 14))
    attempt(p3, s_pre, 10, at(date(2026, 1, 11)))
    attempt(q1, s_pre, 20, at(date(2026, 4, 1)))
    attempt(q1, s_post, 60, at(date(2026, 4, 6)))
    attempt(q2, s_post, 90, at(date(2026, 6, 1)))  # too late for S3's window: no pair
    # the cohort's own tests: t1 50 → 75 (g 0.5), t3 0 → 50 (g 0.5)
    attempt(t1, c1_pre, 50, at(date(2025, 10, 6)))
    attempt(t1, c1_post, 75, at(date(2025, 10, 10)))
    attempt(t3, c1_pre, 0, at(date(2025, 10, 6)))
    attempt(t3, c1_post, 50, at(date(2025, 10, 10)))
    return {
        "cohorts": (c1, c2), "trainers": (t1, t2, t3, t4), "sessions": (s1, s2, s3, s4),
        "people": {u.username: u for u in (p1, p2, p3, p4, p5, q1, q2)}, "programme": programme,
        "regions": (balkan, dashoguz),
    }
