"""H5P in lessons, hostile report bodies (xAPI conformance style): each is refused with a 400 and changes
nothing; the learner's own actor and replays.
"""

import json
import uuid

import pytest

from content.h5p.xapi import VERB_COMPLETED, learner_mbox
from content.models import H5PStatement, H5PUserState
from courses.models import LessonProgress
from tests.courses.helpers import STATE_URL, XAPI_URL, post_json, statement

pytestmark = pytest.mark.django_db


# --- hostile bodies (xAPI conformance style): each is refused with a 400 and changes nothing ---------


def _raw_post(client, url, text):
    return client.post(url, data=text.encode("utf-8", "surrogatepass"), content_type="application/json")


def _nothing_changed(user):
    assert not H5PStatement.objects.filter(user=user).exists()
    assert not LessonProgress.objects.filter(user=user).exists()
    assert not H5PUserState.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    "body",
    [
        '{"lesson": 1e400, "package": %(package)s, "statement": %(statement)s}',
        '{"lesson": %(lesson)s, "package": 12345678901234567890123, "statement": %(statement)s}',
        '{"lesson": %(lesson)s, "package": 9223372036854775808, "statement": %(statement)s}',
        '{"lesson": -%(lesson)s, "package": %(package)s, "statement": %(statement)s}',
        '{"lesson": 0, "package": %(package)s, "statement": %(statement)s}',
        '{"lesson": true, "package": %(package)s, "statement": %(statement)s}',
        '{"lesson": %(lesson)s.5, "package": %(package)s, "statement": %(statement)s}',
        '{"lesson": [%(lesson)s], "package": %(package)s, "statement": %(statement)s}',
        '{"lesson": NaN, "package": %(package)s, "statement": %(statement)s}',
        '{"lesson": %(lesson)s, "package": Infinity, "statement": %(statement)s}',
        '{"lesson": %(lesson)s, "package": %(package)s, "statement": %(statement)s, "x": -Infinity}',
        '{"lesson": %(lesson)s, "package": %(package)s}',
        '[%(lesson)s, %(package)s]',
        '{"lesson": %(lesson)s, "package": %(package)s, "statement": %(statement)s, "pad": "\\u0000"}',
        '{"lesson": %(lesson)s, "package": %(package)s, "statement": %(statement)s, "pad\\u0000": 1}',
        '{"lesson": %(lesson)s, "package": %(package)s, "statement": %(statement)s, "pad": "\\ud800"}',
        '{"lesson": %(lesson)s, "package": %(package)s, "statement": %(statement)s, "pad": "\\udfff x"}',
        '{"lesson": %(lesson)s, "package": %(package)s, "statement": %(statement)s, "pad": "\ud800"}',
        '{"lesson": %(lesson)s, "package": %(package)s, "statement": %(statement)s, "deep": %(deep)s}',
    ],
)


def test_hostile_report_bodies_are_refused(client, activity, trainee, body):
    lesson, package = activity
    client.force_login(trainee)
    text = body % {
        "lesson": lesson.pk, "package": package.pk, "statement": json.dumps(statement(trainee)),
        "deep": "[" * 3000 + "]" * 3000,
    }
    response = _raw_post(client, XAPI_URL, text)
    assert response.status_code == 400, response.content
    assert response.json()["error"]
    _nothing_changed(trainee)


def test_refusals_are_in_the_learners_language(client, activity, trainee):
    lesson, package = activity
    client.force_login(trainee)
    text = '{"lesson": 1e400, "package": %s}' % package.pk
    english = _raw_post(client, "/en/learn/h5p/xapi/", text).json()["error"]
    russian = _raw_post(client, "/ru/learn/h5p/xapi/", text).json()["error"]
    assert english == "The request body contains a number that is too large or not a number."
    assert russian != english


@pytest.mark.parametrize(
    "field, value",
    [
        ("statement", {"lesson": 1}),
        ("statement", "\u0000"),
        ("statement", "\ud800"),
        ("deep", "[" * 3000 + "]" * 3000),
    ],
)


def test_nul_surrogates_and_deep_nesting_inside_the_statement_are_refused(client, activity, trainee, field, value):
    lesson, package = activity
    client.force_login(trainee)
    data = statement(trainee)
    if field == "deep":
        inner = json.dumps(data)[:-1] + ', "result": {"extensions": {"http://x.org/e": ' + value + "}}}"
        text = '{"lesson": %s, "package": %s, "statement": %s}' % (lesson.pk, package.pk, inner)
    else:
        data["object"]["definition"] = {"name": {"en-US": value if isinstance(value, str) else "x"}}
        if not isinstance(value, str):
            data["result"]["extensions"] = value
            data["result"]["extensions"] = {"http://x.org/e": {"\u0000": 1}}
        text = json.dumps({"lesson": lesson.pk, "package": package.pk, "statement": data})
    assert _raw_post(client, XAPI_URL, text).status_code == 400
    _nothing_changed(trainee)


def _activity_list(**extra):
    return {"id": "http://testserver/h5p/activity/parent", "objectType": "Activity", **extra}


@pytest.mark.parametrize(
    "context, completes",
    [
        ({"contextActivities": {"parent": _activity_list()}}, False),  # one object (xAPI allows it)
        ({"contextActivities": {"parent": [_activity_list()]}}, False),
        ({"contextActivities": {"category": {"id": "http://h5p.org/libraries/H5P.CaseSort-1.0"}}}, True),
        ({"contextActivities": {"grouping": [_activity_list()], "other": []}}, True),
        ({"contextActivities": {}, "language": "tk", "registration": str(uuid.uuid4())}, True),
    ],
)


def test_context_activities_may_be_one_object_or_a_list(client, activity, trainee, context, completes):
    lesson, package = activity
    client.force_login(trainee)
    payload = {"lesson": lesson.pk, "package": package.pk, "statement": statement(trainee, context=context)}
    response = post_json(client, XAPI_URL, payload)
    assert response.status_code == 200
    assert response.json() == {"recorded": True, "lesson_done": completes}
    assert LessonProgress.objects.filter(user=trainee).exists() is completes


@pytest.mark.parametrize(
    "mutate",
    [
        lambda s: {**s, "context": {"contextActivities": []}},
        lambda s: {**s, "context": {"contextActivities": "parent"}},
        lambda s: {**s, "context": {"contextActivities": {"parent": "http://testserver/x"}}},
        lambda s: {**s, "context": {"contextActivities": {"parent": [["http://testserver/x"]]}}},
        lambda s: {**s, "context": {"contextActivities": {"parent": [{"id": 7}]}}},
        lambda s: {**s, "context": {"contextActivities": {"grouping": 1}}},
        lambda s: {**s, "context": {"contextActivities": {"category": None}}},
        lambda s: {**s, "context": {"contextActivities": {"other": {"id": "ftp://x"}}}},
        lambda s: {**s, "context": {"contextActivities": {"uncle": []}}},
        lambda s: {**s, "context": []},
        lambda s: {**s, "context": "x"},
        lambda s: {**s, "context": {"registration": 5}},
        lambda s: {**s, "context": {"extensions": []}},
        lambda s: {**s, "context": {"instructor": {"mbox": "mailto:teacher@example.org"}}},
        lambda s: {**s, "authority": {"mbox": "mailto:lrs@example.org"}},
        lambda s: {**s, "id": 12345},
        lambda s: {**s, "id": ["a"]},
        lambda s: {**s, "verb": {"id": VERB_COMPLETED, "display": "completed"}},
        lambda s: {**s, "verb": [VERB_COMPLETED]},
        lambda s: {**s, "object": {"id": "http://testserver/x", "objectType": "Agent"}},
        lambda s: {**s, "object": {"id": "http://testserver/x", "definition": []}},
        lambda s: {**s, "object": {"id": "http://testserver/x", "definition": {"name": "x"}}},
        lambda s: {**s, "object": ["http://testserver/x"]},
        lambda s: {**s, "result": []},
        lambda s: {**s, "result": {"success": "yes"}},
        lambda s: {**s, "result": {"completion": 1}},
        lambda s: {**s, "result": {"response": 5}},
        lambda s: {**s, "result": {"score": []}},
        lambda s: {**s, "result": {"score": {"raw": True}}},
        lambda s: {**s, "result": {"score": {"raw": 2**60}}},
        lambda s: {**s, "timestamp": 5},
    ],
)


def test_statement_fields_of_the_wrong_type_are_refused(client, activity, trainee, mutate):
    lesson, package = activity
    client.force_login(trainee)
    payload = {"lesson": lesson.pk, "package": package.pk, "statement": mutate(statement(trainee))}
    response = post_json(client, XAPI_URL, payload)
    assert response.status_code == 400, response.content
    _nothing_changed(trainee)


@pytest.mark.parametrize(
    "actor",
    [
        {"mbox": "mailto:someone.else@example.org"},
        {"objectType": "Agent", "account": {"homePage": "http://testserver", "name": "other"}},
        {"account": {"homePage": "http://testserver", "name": "learner"}},
        {"mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"},
        {"openid": "http://openid.example.org/someone"},
        "learner",
        [],
        {"name": "learner"},  # no identifier at all: not the learner either
    ],
)


def test_a_statement_about_anyone_but_the_sender_is_refused(client, activity, trainee, actor):
    lesson, package = activity
    client.force_login(trainee)
    payload = {"lesson": lesson.pk, "package": package.pk, "statement": statement(trainee, actor=actor)}
    response = post_json(client, "/en/learn/h5p/xapi/", payload)
    assert response.status_code == 400
    assert response.json()["error"] == "The statement is about another person."
    _nothing_changed(trainee)


def test_the_learners_own_actor_with_a_second_identifier_is_refused(client, activity, trainee):
    lesson, package = activity
    client.force_login(trainee)
    own = learner_mbox(trainee.pk)
    for extra in (
        {"account": {"homePage": "http://testserver", "name": "someone"}},
        {"mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"},
        {"openid": "http://openid.example.org/someone"},
        {"objectType": "Group", "member": [{"mbox": "mailto:someone.else@example.org"}]},
    ):
        data = statement(trainee, actor={"mbox": own, **extra})
        assert post_json(client, XAPI_URL, {"lesson": lesson.pk, "package": package.pk, "statement": data}).status_code == 400
    _nothing_changed(trainee)


def test_the_player_sends_no_actor_and_that_is_the_learner(client, activity, trainee):
    """The bridge drops the player's anonymous actor (player.js): the statement is the sender's."""
    lesson, package = activity
    client.force_login(trainee)
    data = statement(trainee)
    del data["actor"]
    response = post_json(client, XAPI_URL, {"lesson": lesson.pk, "package": package.pk, "statement": data})
    assert response.json() == {"recorded": True, "lesson_done": True}


@pytest.mark.parametrize(
    "state",
    [
        "[" * 3000 + "]" * 3000,
        '{"answers": NaN}',
        '{"answers": 1e400}',
        '{"answers": "\\u0000"}',
        '{"answers": "\\ud800"}',
        "\u0000",
        "\ud800",
    ],
)


def test_hostile_states_are_refused(client, activity, trainee, state):
    lesson, package = activity
    client.force_login(trainee)
    text = json.dumps({"lesson": lesson.pk, "package": package.pk, "state": state})
    response = _raw_post(client, STATE_URL, text)
    assert response.status_code == 400
    _nothing_changed(trainee)


def test_a_failure_after_the_statement_leaves_neither_statement_nor_progress(activity, trainee, monkeypatch):
    from django.db import OperationalError

    from courses import services

    lesson, package = activity

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "lesson_complete_enrolling", locked)
    with pytest.raises(OperationalError):
        services.h5p_statement_record(
            user=trainee, lesson_id=lesson.pk, package_id=package.pk, statement=statement(trainee)
        )
    _nothing_changed(trainee)


def test_a_replayed_completion_whose_lesson_was_not_marked_finishes_the_job(client, activity, trainee):
    """Statements stored before statement and progress shared a transaction may lack their progress."""
    lesson, package = activity
    client.force_login(trainee)
    data = statement(trainee)
    H5PStatement.objects.create(
        user=trainee, package=package, lesson_key=lesson.translation_key, statement_id=data["id"],
        verb=VERB_COMPLETED, completed=True, statement=data,
    )
    payload = {"lesson": lesson.pk, "package": package.pk, "statement": data}
    assert post_json(client, XAPI_URL, payload).json() == {"recorded": False, "lesson_done": True}
    assert LessonProgress.objects.filter(user=trainee, lesson_key=lesson.translation_key).exists()
    assert post_json(client, XAPI_URL, payload).json() == {"recorded": False, "lesson_done": False}
    assert H5PStatement.objects.filter(user=trainee).count() == 1


def test_a_deeply_but_reasonably_nested_state_is_kept(client, activity, trainee):
    lesson, package = activity
    client.force_login(trainee)
    state = '{"children": ' * 40 + "[1]" + "}" * 40  # sub-activities hold sub-activities
    response = post_json(client, STATE_URL, {"lesson": lesson.pk, "package": package.pk, "state": state})
    assert response.status_code == 200
    assert H5PUserState.objects.get(user=trainee, package=package).data == state
