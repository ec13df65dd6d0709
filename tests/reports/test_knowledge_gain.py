"""The knowledge-gain dashboard: figures from real attempts, scoped by agency, downloadable."""

import io
import uuid
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessments import services
from assessments.models import Assessment, AssessmentItem, Attempt, Question
from lms.people.roles import Role
from tests.assessments.bank import bank_load
from tests.factories import CascadeSessionFactory, person

pytestmark = pytest.mark.django_db

KEYS = ["m1-single", "m1-truefalse"]  # 1 point each: a test of 2 points


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


def take(user, test, *, right: int, days_ago: int):
    """Answer ``right`` of the two items right (single: b, true/false: False)."""
    when = timezone.now() - timedelta(days=days_ago)
    attempt = services.attempt_start(user=user, assessment=test, language="en", now=when)
    for answer in attempt.answers.select_related("question"):
        good = {"m1-single": "b", "m1-truefalse": False}[answer.question.key]
        bad = {"m1-single": "a", "m1-truefalse": True}[answer.question.key]
        response = good if answer.position <= right else bad
        services.answer_save(user=user, attempt_id=attempt.pk, position=answer.position, response=response, now=when)
    services.attempt_submit(attempt_id=attempt.pk, user=user, now=when + timedelta(minutes=10))


@pytest.fixture
def results(pair, agency_a, agency_b):
    pre, post = pair
    # agency A: 0/2 → 2/2 and 1/2 → 2/2; agency B: 1/2 → 1/2
    for name, agency, before, after in (("a1", agency_a, 0, 2), ("a2", agency_a, 1, 2), ("b1", agency_b, 1, 1)):
        learner = person(username=name, roles=[Role.TRAINEE], agency=agency)
        take(learner, pre, right=before, days_ago=10)
        take(learner, post, right=after, days_ago=2)
    return pair


def test_a_coordinator_sees_the_gain_of_their_agency_only(client, results, coordinator_a):
    client.force_login(coordinator_a)
    response = client.get(reverse("reports:knowledge_gain"))
    assert response.status_code == 200
    overall = response.context["overall"]
    # A only: pre 0% and 50% → 25%; post 100% and 100%; g = (1 + 1) / 2 = 1
    assert overall["n"] == 2
    assert overall["mean_pre"] == pytest.approx(25.0)
    assert overall["mean_post"] == pytest.approx(100.0)
    assert overall["mean_normalised_gain"] == pytest.approx(1.0)
    assert overall["share_improved"] == pytest.approx(1.0)
    assert [row["agency"] for row in response.context["groups"]["agency"]] == ["GPO"]


def test_a_manager_sees_every_agency_and_can_filter(client, results, manager):
    client.force_login(manager)
    response = client.get(reverse("reports:knowledge_gain"))
    overall = response.context["overall"]
    # all three: pre (0 + 50 + 50) / 3, post (100 + 100 + 50) / 3; B did not improve
    assert overall["n"] == 3
    assert overall["mean_pre"] == pytest.approx(100 / 3)
    assert overall["mean_post"] == pytest.approx(250 / 3)
    assert overall["share_improved"] == pytest.approx(2 / 3)
    by_agency = {row["agency"]: row for row in response.context["groups"]["agency"]}
    assert by_agency["MIA"]["mean_gain"] == pytest.approx(0.0)
    filtered = client.get(reverse("reports:knowledge_gain"), {"agency": "MIA"}).context["overall"]
    assert filtered["n"] == 1
    items = {row["question_key"]: row for row in response.context["items"]}
    # post-test facilities: single right for all 3; true/false right for a1 and a2 only
    assert items["m1-single"]["facility"] == pytest.approx(1.0)
    assert items["m1-truefalse"]["facility"] == pytest.approx(2 / 3)
    assert "<svg" in response.content.decode()


def test_trainees_and_trainers_have_no_report(client, results, agency_a):
    for role in (Role.TRAINEE, Role.TRAINER):
        client.force_login(person(username=f"x-{role}", roles=[role], agency=agency_a))
        assert client.get(reverse("reports:knowledge_gain")).status_code == 403


def test_downloads_are_real_files_scoped_like_the_page(client, results, coordinator_a):
    client.force_login(coordinator_a)
    xlsx = client.get(reverse("reports:knowledge_gain"), {"download": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames[0] == "Read me"
    assert {"Learners", "All learners", "By agency", "Items", "Objectives", "Answers chosen"} <= set(workbook.sheetnames)
    learners = list(workbook["Learners"].iter_rows(values_only=True))
    assert len(learners) == 1 + 2  # header and agency A's two learners
    csv = client.get(reverse("reports:knowledge_gain"), {"download": "csv"})
    text = csv.getvalue().decode("utf-8")  # streamed
    assert text.startswith("\ufeff")
    assert len(text.strip().splitlines()) == 1 + 2


def test_an_empty_selection_says_so(client, pair, manager):
    client.force_login(manager)
    response = client.get(reverse("reports:knowledge_gain"))
    assert response.status_code == 200
    assert response.context["overall"] is None or not response.context["overall"]["n"]


def test_attempts_awaiting_a_grade_count_once_graded(client, results, coordinator_a, agency_a):
    pre, post = results
    learner = person(username="a3", roles=[Role.TRAINEE], agency=agency_a)
    take(learner, pre, right=0, days_ago=10)
    take(learner, post, right=2, days_ago=2)
    Attempt.objects.filter(user=learner, assessment=post).update(state=Attempt.State.AWAITING_GRADING, score=None)
    client.force_login(coordinator_a)
    overall = client.get(reverse("reports:knowledge_gain")).context["overall"]
    assert overall["n"] == 2  # a3 has no post score yet
    assert overall["t_p"] is not None


# --- the groups of the cascade: ToT cohort and cascade session --------------------------------------------


@pytest.fixture
def cascade(results, agency_a, agency_b):
    """a1 and a2 are candidates of a ToT cohort whose tests are the pair; b1 and b2 sat a cascade session
    of MIA with the same tests, b2's pre-test too early for the session's window."""
    from django.contrib.auth.models import User

    from lms.cascade.models import SessionParticipant
    from lms.trainers.models import Certification, CertificationProgramme, ToTCohort

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


def test_cohort_and_session_are_groups_of_the_dashboard(client, cascade, manager):
    cohort, session = cascade
    client.force_login(manager)
    with translation.override("en"):
        response = client.get(reverse("reports:knowledge_gain"))
    groups = response.context["groups"]
    # a1 and a2 (candidates): pre 0% and 50%, post 100%; nobody else is in a cohort
    assert [(row["cohort"], row["n"], row["label"]) for row in groups["cohort"]] == [("tot-kg", 2, "ToT for prosecutors")]
    assert groups["cohort"][0]["mean_pre"] == pytest.approx(25.0)
    # b1 only: b2's pre-test was taken before the session's window
    assert [(row["session"], row["n"]) for row in groups["session"]] == [(str(session.pk), 1)]
    assert groups["session"][0]["label"].startswith("Victim identification")
    html = response.content.decode()
    assert "By ToT cohort" in html and "By cascade session" in html and 'id="cohort-chart"' in html
    assert response.context["overall"]["n"] == 4  # every matched learner still counts overall
    offered = [(value, label.split(",")[0]) for value, label in response.context["choices"]["sessions"]]
    assert (str(session.pk), session.title) in offered


def test_cohort_and_session_filters(client, cascade, manager):
    cohort, session = cascade
    client.force_login(manager)
    by_cohort = client.get(reverse("reports:knowledge_gain"), {"cohort": "tot-kg"}).context
    assert by_cohort["overall"]["n"] == 2 and by_cohort["overall"]["mean_post"] == pytest.approx(100.0)
    assert [row["agency"] for row in by_cohort["groups"]["agency"]] == ["GPO"]
    by_session = client.get(reverse("reports:knowledge_gain"), {"session": str(session.pk)}).context
    assert by_session["overall"]["n"] == 1 and by_session["overall"]["mean_gain"] == pytest.approx(0.0)
    nothing = client.get(reverse("reports:knowledge_gain"), {"session": "999999"}).context
    assert nothing["overall"] is None or not nothing["overall"]["n"]
    xlsx = client.get(reverse("reports:knowledge_gain"), {"download": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert {"By ToT cohort", "By cascade session"} <= set(workbook.sheetnames)
    learners = list(workbook["Learners"].iter_rows(values_only=True))
    header = learners[0]
    assert "ToT cohort" in header and "Cascade session" in header


def test_a_coordinator_sees_no_other_agencys_session(client, cascade, coordinator_a):
    cohort, session = cascade
    client.force_login(coordinator_a)
    response = client.get(reverse("reports:knowledge_gain"))
    assert response.context["groups"]["session"] == []
    assert response.context["choices"]["sessions"] == []
    assert [code for code, _title in response.context["choices"]["cohorts"]] == ["tot-kg"]
    # asking for MIA's session directly gives nothing of MIA's
    asked = client.get(reverse("reports:knowledge_gain"), {"session": str(session.pk)}).context
    assert asked["overall"] is None or not asked["overall"]["n"]


def test_the_dashboard_query_count_does_not_grow(client, cascade, manager, agency_b, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lms.cascade.models import SessionParticipant

    cohort, session = cascade
    pre, post = cohort.pre_test, cohort.post_test
    client.force_login(manager)
    client.get(reverse("reports:knowledge_gain"))  # warm: the site's root paths are cached after one page
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("reports:knowledge_gain"))
    for number in range(4):
        learner = person(username=f"more{number}", roles=[Role.TRAINEE], agency=agency_b)
        take(learner, pre, right=0, days_ago=6)
        take(learner, post, right=2, days_ago=2)
        SessionParticipant.objects.create(session=session, user=learner)
    with django_assert_num_queries(len(queries)):
        response = client.get(reverse("reports:knowledge_gain"))
    assert [row["n"] for row in response.context["groups"]["session"]] == [5]
