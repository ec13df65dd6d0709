"""The knowledge-gain dashboard: figures from real attempts, scoped by agency, downloadable."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from assessments.models import Attempt
from lms.people.roles import Role
from tests.factories import person
from tests.reports.helpers import take

pytestmark = pytest.mark.django_db


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
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lms.cascade.models import SessionParticipant
    from lms.reports import figures_cache
    from lms.reports.selectors import Filters

    cohort, session = cascade
    pre, post = cohort.pre_test, cohort.post_test
    client.force_login(manager)
    # the figures computed, not read from the cache (see test_figures_cache)
    unfiltered = figures_cache.entry_key(report="knowledge_gain", output="page", scope="all", filters=Filters())
    client.get(reverse("reports:knowledge_gain"))  # warm: the site's root paths are cached after one page
    cache.delete(unfiltered)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("reports:knowledge_gain"))
    for number in range(4):
        learner = person(username=f"more{number}", roles=[Role.TRAINEE], agency=agency_b)
        take(learner, pre, right=0, days_ago=6)
        take(learner, post, right=2, days_ago=2)
        SessionParticipant.objects.create(session=session, user=learner)
    cache.delete(unfiltered)
    with django_assert_num_queries(len(queries)):
        response = client.get(reverse("reports:knowledge_gain"))
    assert [row["n"] for row in response.context["groups"]["session"]] == [5]


@pytest.fixture
def two_sessions(cascade, agency_b):
    """A second session of MIA, with two learners (the first has one matched learner)."""
    from lms.cascade.models import SessionParticipant
    from tests.factories import CascadeSessionFactory

    cohort, session = cascade
    second = CascadeSessionFactory(
        title="Labour exploitation", course_key=session.course_key, lead_trainer=session.lead_trainer,
        agency=agency_b, language="en", capacity=10, state="delivered", make_days=False,
        starts_at=session.starts_at, ends_at=session.ends_at, pre_test=session.pre_test, post_test=session.post_test,
    )
    for number in range(2):
        learner = person(username=f"second{number}", roles=[Role.TRAINEE], agency=agency_b)
        take(learner, session.pre_test, right=0, days_ago=10)
        take(learner, session.post_test, right=2, days_ago=2)
        SessionParticipant.objects.create(session=second, user=learner)
    return session, second


def test_the_page_tables_the_sessions_with_most_learners_and_the_workbook_all(client, two_sessions, manager, monkeypatch):
    import importlib

    knowledge_gain = importlib.import_module("lms.reports.views.knowledge_gain")

    session, second = two_sessions
    client.force_login(manager)
    monkeypatch.setattr(knowledge_gain, "SESSION_ROWS", 1)
    with translation.override("en"):
        response = client.get(reverse("reports:knowledge_gain"))
    assert [(row["session"], row["n"]) for row in response.context["groups"]["session"]] == [(str(second.pk), 2)]
    assert response.context["session_total"] == 2
    html = response.content.decode()
    assert "The 1 sessions with the most learners, of 2" in html and f"No. {second.pk}" in html
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(reverse("reports:knowledge_gain"), {"download": "xlsx"}).content))
    assert workbook["By cascade session"].max_row == 3  # heading and both sessions


def test_with_many_sessions_the_filter_takes_the_session_number(client, two_sessions, manager, monkeypatch):
    from lms.reports import selectors

    session, second = two_sessions
    client.force_login(manager)
    monkeypatch.setattr(selectors, "SESSION_CHOICES", 1)
    with translation.override("en"):
        response = client.get(reverse("reports:knowledge_gain"))
    html = response.content.decode()
    assert response.context["choices"]["many_sessions"] and response.context["choices"]["sessions"] == []
    assert '<select name="session">' not in html and 'type="number" name="session"' in html
    with translation.override("en"):
        chosen = client.get(reverse("reports:knowledge_gain"), {"session": str(second.pk)})
    assert chosen.context["overall"]["n"] == 2
    assert f'value="{second.pk}"' in chosen.content.decode() and "Labour exploitation" in chosen.content.decode()
    # within one agency's sessions the list comes back when they fit
    monkeypatch.setattr(selectors, "SESSION_CHOICES", 5)
    listed = client.get(reverse("reports:knowledge_gain"), {"agency": "MIA"}).context["choices"]
    assert not listed["many_sessions"] and {value for value, label in listed["sessions"]} == {str(session.pk), str(second.pk)}
    assert client.get(reverse("reports:knowledge_gain"), {"agency": "GPO"}).context["choices"]["sessions"] == []
    assert client.get(reverse("reports:knowledge_gain"), {"session": "abc"}).status_code == 200
