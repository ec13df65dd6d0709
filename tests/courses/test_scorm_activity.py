"""SCORM in lessons: SCO files behind tokens with the runtime put in, CMI commits and resume,
permissions, multi-SCO states, and lesson progress (never more)."""

import io
import json
import re

import pytest
from django.test import Client

from content.models import ScormAttempt, ScormUsage
from content.scorm.cmi import COMMIT_BAD_STATUS, MAX_COMMIT_BYTES
from content.scorm.learner import learner_id
from content.scorm.services import scorm_package_create
from content.scorm.tokens import scorm_token
from courses.models import LessonProgress
from lms.people.roles import Role
from tests.content.scorm_builders import scorm_zip, seed_zip
from tests.courses.helpers import lesson_in
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee(agency_a):
    return person(username="learner", roles=[Role.TRAINEE], agency=agency_a)


@pytest.fixture
def other(agency_a):
    return person(username="other-learner", roles=[Role.TRAINEE], agency=agency_a)


def attach(lesson, package):
    """Put a SCORM block with ``package`` at the end of the lesson and publish it."""
    lesson.body = [*lesson.body.raw_data, {"type": "scorm", "value": {"package": package.pk, "introduction": "Intro"}}]
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    return lesson


@pytest.fixture
def scorm12(curriculum):
    package = scorm_package_create(upload=io.BytesIO(seed_zip("1.2", "tk")))
    return attach(lesson_in(curriculum, "tk", "definitions-one"), package), package


@pytest.fixture
def multi(curriculum):
    package = scorm_package_create(upload=io.BytesIO(scorm_zip(version="2004", scos=[
        ("one", "Part one", "one.html"), ("two", "Part two", "two/index.html"),
    ])))
    return attach(lesson_in(curriculum, "en", "definitions-one"), package), package


def commit_url(token, sco=0, attempt=1):
    return f"/en/learn/scorm/{token}/{sco}/{attempt}/commit/"


def commit(token, data, *, sco=0, attempt=1, content_type="text/plain;charset=UTF-8"):
    return Client().post(commit_url(token, sco, attempt), data=json.dumps(data), content_type=content_type)


def launch_config(client, token, sco=0, path="index.html") -> dict:
    response = client.get(f"/scorm/{token}/{sco}/{path}")
    assert response.status_code == 200
    match = re.search(r'<script type="application/json" id="lms-scorm-config">(.*?)</script>', response.content.decode())
    return json.loads(match.group(1))


def test_lesson_page_lists_the_scos_with_token_addresses(client, scorm12, trainee):
    lesson, package = scorm12
    assert ScormUsage.objects.filter(page=lesson, package=package).exists()
    client.force_login(trainee)
    response = client.get(lesson.url)
    config = response.context["scorm"]
    entry = config["packages"][str(package.pk)]
    assert entry["version"] == "1.2"
    assert entry["scos"][0]["state"] == "new"
    assert re.fullmatch(r"/scorm/[^/]+/0/index\.html", entry["scos"][0]["url"])
    html = response.content.decode()
    assert 'id="scorm-packages"' in html and "scorm-embed.js" in html and f'data-scorm-package="{package.pk}"' in html


def test_sco_page_runs_sandboxed_with_the_runtime_first_in_its_head(scorm12, trainee):
    lesson, package = scorm12
    token = scorm_token(user_id=trainee.pk, package_id=package.pk, lesson_id=lesson.pk)
    response = Client().get(f"/scorm/{token}/0/index.html")  # no session: the token is the credential
    csp = response["Content-Security-Policy"]
    assert csp.startswith("sandbox allow-scripts;") and "allow-same-origin" not in csp
    html = response.content.decode()
    head = html.index("<head>") + len("<head>")
    assert html[head:].lstrip().startswith('<script src="/static/vendor/scorm-again/scorm12.min.js">')
    assert html.index("/static/scorm/sco.js") < html.index('src="module.js"')
    config = launch_config(Client(), token)
    assert config["version"] == "1.2" and config["attempt"] == 1
    assert config["cmi"]["cmi.core.entry"] == "ab-initio"
    assert config["cmi"]["cmi.core.student_id"] == learner_id(trainee)
    assert re.search(re.escape(commit_url(token).split("/learn/")[1]) + r"\?session=[0-9a-f]{32}$", config["commitUrl"])
    # other files are served as they are, sandboxed too, and nothing outside the package
    script = Client().get(f"/scorm/{token}/0/module.js")
    assert script.status_code == 200 and script["Content-Security-Policy"].startswith("sandbox")
    for path in ("../imsmanifest.xml", "nothing.html", ".DS_Store"):
        assert Client().get(f"/scorm/{token}/0/{path}").status_code == 404
    assert Client().get(f"/scorm/forged/0/index.html").status_code == 404
    assert Client().get(f"/scorm/{token}/5/index.html").status_code == 404


def test_cmi_round_trips_through_the_server_and_the_sco_resumes(scorm12, trainee):
    lesson, package = scorm12
    token = scorm_token(user_id=trainee.pk, package_id=package.pk, lesson_id=lesson.pk)
    suspend = json.dumps({"answers": [0, None, None]})
    response = commit(token, {
        "cmi.core.lesson_status": "incomplete", "cmi.core.lesson_location": "1", "cmi.suspend_data": suspend,
        "cmi.core.exit": "suspend", "cmi.core.session_time": "0000:01:30", "cmi.core.score.raw": "1",
        "cmi.core.total_time": "0000:01:30",
    })
    assert response.status_code == 200, response.content
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {"result": "true", "errorCode": 0, "lesson_done": False}
    attempt = ScormAttempt.objects.get(user=trainee, package=package)
    assert (attempt.lesson_status, attempt.location, attempt.suspend_data, attempt.exit) == ("incomplete", "1", suspend, "suspend")
    assert attempt.session_time == "0000:01:30" and attempt.score_raw == 1.0
    assert attempt.lesson_key == lesson.translation_key
    config = launch_config(Client(), token)
    assert config["attempt"] == 1
    assert config["cmi"]["cmi.core.entry"] == "resume"
    assert config["cmi"]["cmi.suspend_data"] == suspend
    assert config["cmi"]["cmi.core.lesson_location"] == "1"
    assert config["cmi"]["cmi.core.lesson_status"] == "incomplete"
    assert not LessonProgress.objects.filter(user=trainee).exists()

    done = commit(token, {"cmi.core.lesson_status": "completed", "cmi.core.exit": "", "cmi.core.score.raw": "3"})
    assert done.json()["lesson_done"] is True
    progress = LessonProgress.objects.get(user=trainee, lesson_key=lesson.translation_key)
    assert progress.source == LessonProgress.Source.ACTIVITY
    # a finished attempt is kept; the next launch starts attempt 2 from the beginning
    config = launch_config(Client(), token)
    assert config["attempt"] == 2 and config["cmi"]["cmi.core.entry"] == "ab-initio"
    assert "cmi.suspend_data" not in config["cmi"]


def test_scorm_2004_statuses_and_the_preflight(multi, trainee):
    lesson, package = multi
    token = scorm_token(user_id=trainee.pk, package_id=package.pk, lesson_id=lesson.pk)
    preflight = Client().options(commit_url(token))
    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Origin"] == "*"
    response = commit(token, {
        "cmi.completion_status": "completed", "cmi.success_status": "passed", "cmi.score.scaled": 0.9,
        "cmi.location": "p3", "cmi.suspend_data": "x", "cmi.exit": "normal", "cmi.session_time": "PT1M2S",
    }, content_type="application/json")
    assert response.status_code == 200
    attempt = ScormAttempt.objects.get(user=trainee, sco="one")
    assert (attempt.completion_status, attempt.success_status, attempt.score_scaled) == ("completed", "passed", 0.9)
    # one SCO of two is done: the lesson is not
    assert response.json()["lesson_done"] is False
    client = Client()
    client.force_login(trainee)
    status = client.get(f"/en/learn/scorm/status/?lesson={lesson.pk}&package={package.pk}").json()
    assert status == {"states": ["passed", "new"], "lesson_done": False}
    second = launch_config(Client(), token, sco=1, path="two/index.html")
    assert second["cmi"]["cmi.entry"] == "ab-initio"
    response = commit(token, {"cmi.completion_status": "completed", "cmi.exit": "normal"}, sco=1)
    assert response.json()["lesson_done"] is True
    status = client.get(f"/en/learn/scorm/status/?lesson={lesson.pk}&package={package.pk}").json()
    assert status == {"states": ["passed", "completed"], "lesson_done": True}


def test_another_learner_cannot_read_or_write_your_cmi(scorm12, trainee, other):
    lesson, package = scorm12
    mine = scorm_token(user_id=trainee.pk, package_id=package.pk, lesson_id=lesson.pk)
    commit(mine, {"cmi.core.lesson_status": "incomplete", "cmi.suspend_data": "secret", "cmi.core.exit": "suspend"})
    theirs = scorm_token(user_id=other.pk, package_id=package.pk, lesson_id=lesson.pk)
    # their launch shows none of my data; their commit writes their own attempt only
    assert "secret" not in json.dumps(launch_config(Client(), theirs))
    commit(theirs, {"cmi.core.lesson_status": "completed", "cmi.suspend_data": "theirs"})
    assert ScormAttempt.objects.get(user=trainee).suspend_data == "secret"
    assert not LessonProgress.objects.filter(user=trainee).exists()
    # a forged or altered token is refused, a session does not replace the token
    assert commit("forged", {"cmi.core.lesson_status": "completed"}).status_code == 404
    assert commit(mine[:-2] + "xx", {"cmi.core.lesson_status": "completed"}).status_code == 404
    client = Client()
    client.force_login(other)
    status = client.get(f"/en/learn/scorm/status/?lesson={lesson.pk}&package={package.pk}").json()
    assert status["states"] == ["completed"]  # their own state, not mine ("started")
    # a token for a lesson that does not hold the package is refused
    wrong = scorm_token(user_id=trainee.pk, package_id=package.pk, lesson_id=lesson.pk + 100000)
    assert commit(wrong, {"cmi.core.lesson_status": "completed"}).status_code == 403


@pytest.mark.parametrize(
    "data, status",
    [
        ({"cmi.core.lesson_status": "mastered"}, 400),
        ({"cmi.core.score.raw": "NaN"}, 400),
        ({"cmi.core.score.raw": "1e400"}, 400),
        ({"evil": "x"}, 400),
        ({"cmi.suspend_data": {"nested": 1}}, 400),
        (["cmi.core.lesson_status"], 400),
        ({"cmi.suspend_data": "x" * (MAX_COMMIT_BYTES + 10)}, 413),
    ],
)
def test_bad_commits_are_refused_and_change_nothing(scorm12, trainee, data, status):
    lesson, package = scorm12
    token = scorm_token(user_id=trainee.pk, package_id=package.pk, lesson_id=lesson.pk)
    response = commit(token, data)
    assert response.status_code == status
    assert response.json()["result"] == "false"
    assert not ScormAttempt.objects.exists()


def test_bad_status_message_and_outdated_attempt(scorm12, trainee):
    lesson, package = scorm12
    token = scorm_token(user_id=trainee.pk, package_id=package.pk, lesson_id=lesson.pk)
    assert commit(token, {"cmi.core.lesson_status": "mastered"}).json()["error"] == str(COMMIT_BAD_STATUS)
    assert commit(token, {"cmi.core.lesson_status": "incomplete"}, attempt=7).status_code == 409
    assert commit(token, {"cmi.core.lesson_status": "incomplete"}, attempt=1).status_code == 200


def test_status_needs_a_lesson_that_holds_the_package(client, scorm12, trainee):
    lesson, package = scorm12
    client.force_login(trainee)
    assert client.get(f"/en/learn/scorm/status/?lesson={lesson.pk}&package=999999").status_code == 403
    assert client.get("/en/learn/scorm/status/?lesson=x&package=1").status_code == 400


def test_a_commit_that_arrives_after_a_newer_one_of_the_same_launch_is_ignored(scorm12, trainee):
    lesson, package = scorm12
    token = scorm_token(user_id=trainee.pk, package_id=package.pk, lesson_id=lesson.pk)
    launch = "a" * 32
    url = commit_url(token) + f"?session={launch}"

    def post(url, data):
        return Client().post(url, data=json.dumps(data), content_type="text/plain")

    newer = {"cmi.core.lesson_status": "incomplete", "cmi.core.exit": "suspend", "cmi.suspend_data": "new", "commitSequence": 3}
    older = {"cmi.core.lesson_status": "incomplete", "cmi.core.exit": "", "cmi.suspend_data": "old", "commitSequence": 2}
    assert post(url, newer).status_code == 200
    assert post(url, older).status_code == 200
    attempt = ScormAttempt.objects.get(user=trainee)
    assert (attempt.suspend_data, attempt.exit) == ("new", "suspend")
    # the next launch counts from 1 again
    again = commit_url(token) + f"?session={'b' * 32}"
    assert post(again, {**older, "commitSequence": 1}).status_code == 200
    assert ScormAttempt.objects.get(user=trainee).suspend_data == "old"
    assert post(commit_url(token) + "?session=nope", older).status_code == 400
    assert post(url, {**newer, "commitSequence": "3"}).status_code == 400
