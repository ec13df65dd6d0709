"""Issue 20: the reports read lean rows and give the figures they gave before.

The previous readings (an answer frame decoding every JSON response, and a quadratic match of attempts
to sessions) are kept here as references: the new ones must give the same frames and rows.
"""

import importlib

import pandas as pd
import pytest
from django.apps import apps as global_apps
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import Answer, AssessmentItem, Attempt, Question
from lms.cascade import delivery
from lms.cascade.models import CascadeSession, SessionParticipant
from lms.people.roles import Role
from lms.reports import selectors
from tests.factories import person
from tests.reports.helpers import take

pytestmark = pytest.mark.django_db


def reference_answer_frame(*, attempts) -> pd.DataFrame:
    """``selectors.answer_frame`` as it was before issue 20 (every response decoded)."""
    rows = Answer.objects.filter(attempt__in=attempts).values(
        "attempt_id", "score", "max_score", "response",
        kind=F("question__kind"), key=F("question__key"), language=F("question__locale__language_code"),
        objective=F("question__objective"), module=F("question__module"), title=F("question__title"),
    )
    frame = pd.DataFrame.from_records(list(rows))
    frame["question_key"] = frame.pop("key")
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce").astype(float)
    frame["max_score"] = frame["max_score"].astype(float)
    chosen = frame["kind"].isin(["single", "truefalse"]) & frame["response"].notna()
    frame["response_key"] = None
    frame.loc[chosen, "response_key"] = frame.loc[chosen, "response"].map(lambda value: str(value).lower())
    frame["objective"] = frame["objective"].replace("", None)
    return frame.drop(columns=["response", "kind"])


def reference_session_attempts(sessions, *, states=delivery.FINISHED) -> list[dict]:
    """``delivery.session_attempts`` as it was before issue 20 (every attempt tried against every session)."""
    sessions = [s for s in sessions if s.pre_test_id or s.post_test_id]
    enrolled = {}
    for session_id, user_id in SessionParticipant.objects.filter(
        session__in=sessions, status=SessionParticipant.Status.ENROLLED
    ).values_list("session_id", "user_id"):
        enrolled.setdefault(session_id, set()).add(user_id)
    users = set().union(*enrolled.values()) if enrolled else set()
    tests = {s.pre_test_id for s in sessions} | {s.post_test_id for s in sessions}
    attempts = list(Attempt.objects.filter(
        user_id__in=users, assessment_id__in=tests - {None}, state__in=states, submitted_at__isnull=False
    ).values("pk", "user_id", "assessment_id", "score", "max_score", "submitted_at", "source", "state"))
    rows = []
    for session in sessions:
        for attempt in attempts:
            if attempt["user_id"] not in enrolled.get(session.pk, set()):
                continue
            when = attempt["submitted_at"]
            if attempt["assessment_id"] == session.pre_test_id and session.starts_at - delivery.PRE_WINDOW <= when <= session.ends_at:
                phase = "pre"
            elif attempt["assessment_id"] == session.post_test_id and session.starts_at <= when <= session.ends_at + delivery.POST_WINDOW:
                phase = "post"
            else:
                continue
            rows.append({
                "session_id": session.pk, "attempt_id": attempt["pk"], "learner_id": attempt["user_id"], "phase": phase,
                "score": attempt["score"], "max_score": attempt["max_score"], "submitted_at": when,
                "source": attempt["source"], "state": attempt["state"],
            })
    return rows


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[sorted(frame.columns)].sort_values(["attempt_id", "question_key"]).reset_index(drop=True)
    return frame.astype({"module": float})


@pytest.fixture
def every_kind(results):
    """The pair's tests with a multiple-response item more (no chosen option), and one unanswered item."""
    pre, post = results
    multiple = Question.objects.get(key="m1-multiple", locale__language_code="en")
    for test in (pre, post):
        AssessmentItem.objects.create(assessment=test, question_key=multiple.translation_key, position=5)
    learner = person(username="kinds", roles=[Role.TRAINEE])
    for test in (pre, post):
        attempt = services.attempt_start(user=learner, assessment=test, language="en")
        for answer in attempt.answers.select_related("question"):
            response = {"m1-single": "c", "m1-truefalse": True, "m1-multiple": ["a", "c"]}[answer.question.key]
            if answer.question.key != "m1-single" or test == post:  # the pre-test's single item left blank
                services.answer_save(user=learner, attempt_id=attempt.pk, position=answer.position, response=response)
        services.attempt_submit(attempt_id=attempt.pk, user=learner)
    return pre, post


def test_the_answer_frame_is_the_one_read_before(every_kind):
    attempts = Attempt.objects.all()
    new, old = selectors.answer_frame(attempts=attempts), reference_answer_frame(attempts=attempts)
    assert len(new) == len(old) == Answer.objects.count()
    pd.testing.assert_frame_equal(_sorted(new), _sorted(old))
    chosen = set(new["response_key"].dropna())
    assert chosen == {"a", "b", "c", "true", "false"}  # the multiple-response item has none


def test_the_answer_frame_reads_no_json(every_kind):
    sql = str(selectors.answer_rows(attempts=Attempt.objects.all()).query)
    answers_part = sql.split(" WHERE ")[0]
    assert '"response"' not in answers_part and "JOIN" not in answers_part and '"response_key"' in answers_part
    with CaptureQueriesContext(connection) as queries:
        selectors.answer_frame(attempts=Attempt.objects.all())
    assert len(queries) == 2  # the answers (COPY on PostgreSQL), then their questions


def test_scoring_sets_the_chosen_option(every_kind):
    keys = dict(Answer.objects.filter(attempt__user__username="kinds", attempt__assessment__slug="post").values_list(
        "question__key", "response_key"))
    assert keys == {"m1-single": "c", "m1-truefalse": "true", "m1-multiple": ""}


def test_the_migration_fills_the_chosen_option_of_older_answers(every_kind):
    expected = dict(Answer.objects.values_list("pk", "response_key"))
    Answer.objects.update(response_key="")
    migration = importlib.import_module("assessments.migrations.0005_answer_response_key")
    migration.fill(global_apps, connection.schema_editor())
    assert dict(Answer.objects.values_list("pk", "response_key")) == expected
    assert any(expected.values())


def test_session_attempts_are_those_of_the_quadratic_match(cascade, agency_b):  # noqa: F811
    _cohort, session = cascade
    # a second session on the same tests with an overlapping window, and a participant who is on the waiting list
    other = CascadeSession.objects.get(pk=session.pk)
    other.pk = None
    other.title = "Second"
    other.save()
    for participant in SessionParticipant.objects.filter(session=session):
        SessionParticipant.objects.create(session=other, user=participant.user)
    waiting = person(username="gone", roles=[Role.TRAINEE], agency=agency_b)
    take(waiting, session.pre_test, right=1, days_ago=6)
    SessionParticipant.objects.create(session=other, user=waiting, status=SessionParticipant.Status.WAITLISTED)
    sessions = list(CascadeSession.objects.order_by("pk"))
    rows = delivery.session_attempts(sessions)
    assert rows == reference_session_attempts(sessions)
    assert {row["session_id"] for row in rows} == {session.pk, other.pk}


def test_the_learners_csv_reads_no_answer(client, cascade, manager):  # noqa: F811
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:knowledge_gain"), {"download": "csv"})
    assert response.status_code == 200
    assert not [query for query in queries if '"assessments_answer"' in query["sql"]]
    assert response.streaming
    body = response.getvalue()
    assert body.decode("utf-8-sig").count("\n") == 1 + 4  # the header and four learners' pairs


def _count(client, url, query=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query or {})
        response.getvalue()  # a streamed body is read too
    assert response.status_code == 200
    return len(queries)


def test_query_counts_of_the_downloads_and_the_registry_do_not_grow(client, cascade, manager, agency_b):  # noqa: F811
    from datetime import timedelta

    from django.contrib.auth.models import User
    from django.utils import timezone

    from tests.trainers.helpers import certify

    cohort, session = cascade
    lead = User.objects.get(username="lead.b")
    certify(lead, cohort.programme, cohort=cohort)
    CascadeSession.objects.filter(pk=session.pk).update(state=CascadeSession.State.REPORTED)
    client.force_login(manager)
    gain = reverse("reports:knowledge_gain")
    pages = [(gain, {"download": "csv"}), (gain, {"download": "xlsx"}), (reverse("trainers:registry"), {}),
             (reverse("trainers:registry_export"), {})]
    for url, query in pages:
        _count(client, url, query)  # warm
    before = [_count(client, url, query) for url, query in pages]
    # a second reported session of the same trainer, with four more participants and their tests
    other = CascadeSession.objects.get(pk=session.pk)
    other.pk, other.title = None, "Second"
    other.starts_at, other.ends_at = timezone.now() - timedelta(days=8), timezone.now() - timedelta(days=7)
    other.save()
    for number in range(4):
        learner = person(username=f"more{number}", roles=[Role.TRAINEE], agency=agency_b)
        take(learner, cohort.pre_test, right=0, days_ago=9)
        take(learner, cohort.post_test, right=2, days_ago=6)
        SessionParticipant.objects.create(session=other, user=learner)
    assert [_count(client, url, query) for url, query in pages] == before
