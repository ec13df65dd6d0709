"""SCORM resume: everything a SCO wrote (interactions, objectives, suspend_data, location, comments,
preferences) comes back on its next launch through the server and scorm-again's real runtime (run
in Node), cmi.entry says resume or ab-initio, the data model's shape and sizes are enforced with a
refusal that changes nothing, the learner's name and opaque id, and the flow of a multi-SCO package."""

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from content.models import ScormAttempt
from content.scorm.cmi import COMMIT_BAD_KEY, COMMIT_LIST_TOO_LONG, COMMIT_SUSPEND_TOO_LONG, LIST_LIMITS
from content.scorm.learner import learner_id, learner_name
from content.scorm.services import scorm_package_create
from content.scorm.tokens import scorm_token
from lms.people.roles import Role
from tests.content.scorm_builders import scorm_zip, seed_zip
from tests.courses.helpers import lesson_in
from tests.courses.test_scorm_activity import attach, commit, launch_config
from tests.factories import person

pytestmark = pytest.mark.django_db
RUNTIME = Path(__file__).resolve().parents[1] / "content" / "scorm_runtime.js"
needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js runs scorm-again's runtime")


@pytest.fixture
def learner(agency_a):
    return person(username="learner", roles=[Role.TRAINEE], agency=agency_a)


@pytest.fixture
def single(curriculum):
    """A SCORM 1.2 and a SCORM 2004 package in one lesson each, by version."""
    lessons = {"1.2": lesson_in(curriculum, "tk", "definitions-one"), "2004": lesson_in(curriculum, "en", "definitions-one")}
    result = {}
    for version, lesson in lessons.items():
        package = scorm_package_create(upload=io.BytesIO(seed_zip(version, "en")))
        result[version] = (attach(lesson, package), package)
    return result


def token_for(user, lesson, package):
    return scorm_token(user_id=user.pk, package_id=package.pk, lesson_id=lesson.pk)


def runtime(version: str, *, load=None, set_values=(), get=()) -> dict:
    """Run scorm-again's runtime in Node: load, initialise, set, get, and the commit it would send."""
    data = {"version": version, "load": load or {}, "set": list(set_values), "get": list(get)}
    done = subprocess.run(
        ["node", str(RUNTIME)], input=json.dumps(data), capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(done.stdout)


# What a SCO writes in its first session, per version: interactions with their objectives and correct
# responses, objectives, suspend_data, location, a comment, a preference, and a suspended exit.
WRITES = {
    "1.2": [
        ("cmi.core.lesson_status", "incomplete"), ("cmi.core.lesson_location", "page-7"),
        ("cmi.suspend_data", "state:" + "x" * 4000), ("cmi.core.score.raw", "40"),
        ("cmi.interactions.0.id", "q1"), ("cmi.interactions.0.type", "choice"),
        ("cmi.interactions.0.student_response", "b"), ("cmi.interactions.0.result", "wrong"),
        ("cmi.interactions.0.objectives.0.id", "recognise"), ("cmi.interactions.0.correct_responses.0.pattern", "a"),
        ("cmi.interactions.1.id", "q2"), ("cmi.interactions.1.type", "true-false"),
        ("cmi.interactions.1.student_response", "t"), ("cmi.interactions.1.result", "correct"),
        ("cmi.objectives.0.id", "recognise"), ("cmi.objectives.0.status", "passed"), ("cmi.objectives.0.score.raw", "80"),
        ("cmi.objectives.1.id", "refer"), ("cmi.objectives.1.status", "incomplete"),
        ("cmi.comments", "Ask about art. 129-1"), ("cmi.student_preference.language", "tk"),
        ("cmi.core.exit", "suspend"), ("cmi.core.session_time", "0000:02:00"),
    ],
    "2004": [
        ("cmi.completion_status", "incomplete"), ("cmi.location", "page-7"), ("cmi.progress_measure", "0.4"),
        ("cmi.suspend_data", "state:" + "y" * 60000), ("cmi.score.scaled", "0.4"),
        ("cmi.interactions.0.id", "q1"), ("cmi.interactions.0.type", "choice"),
        ("cmi.interactions.0.learner_response", "b"), ("cmi.interactions.0.result", "incorrect"),
        ("cmi.interactions.0.objectives.0.id", "recognise"), ("cmi.interactions.0.correct_responses.0.pattern", "a"),
        ("cmi.interactions.0.description", "Which is an indicator?"),
        ("cmi.interactions.1.id", "q2"), ("cmi.interactions.1.type", "true-false"),
        ("cmi.interactions.1.learner_response", "true"), ("cmi.interactions.1.result", "correct"),
        ("cmi.objectives.0.id", "recognise"), ("cmi.objectives.0.success_status", "passed"),
        ("cmi.objectives.0.score.scaled", "0.8"), ("cmi.objectives.1.id", "refer"),
        ("cmi.objectives.1.completion_status", "incomplete"), ("cmi.objectives.1.description", "Refer the victim"),
        ("cmi.comments_from_learner.0.comment", "Ask about art. 129-1"), ("cmi.learner_preference.language", "tk"),
        ("cmi.exit", "suspend"), ("cmi.session_time", "PT2M"),
    ],
}
# what the SCO reads back on resume (SCORM 1.2 interactions are write-only: their count shows they are there)
READS = {
    "1.2": ["cmi.core.entry", "cmi.core.lesson_location", "cmi.suspend_data", "cmi.core.lesson_status",
            "cmi.core.score.raw", "cmi.interactions._count", "cmi.objectives._count", "cmi.objectives.0.status",
            "cmi.objectives.1.id", "cmi.objectives.0.score.raw", "cmi.comments", "cmi.student_preference.language",
            "cmi.core.student_name", "cmi.core.student_id"],
    "2004": ["cmi.entry", "cmi.location", "cmi.suspend_data", "cmi.completion_status", "cmi.score.scaled",
             "cmi.progress_measure", "cmi.interactions._count", "cmi.interactions.0.learner_response",
             "cmi.interactions.0.objectives.0.id", "cmi.interactions.0.correct_responses.0.pattern",
             "cmi.interactions.0.description", "cmi.interactions.1.result", "cmi.objectives._count",
             "cmi.objectives.0.success_status", "cmi.objectives.0.score.scaled", "cmi.objectives.1.description",
             "cmi.comments_from_learner.0.comment", "cmi.learner_preference.language", "cmi.learner_name",
             "cmi.learner_id", "adl.nav.request_valid.continue"],
}


@needs_node
@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_everything_the_sco_wrote_comes_back_on_resume(single, learner, version):
    lesson, package = single[version]
    learner.first_name, learner.last_name = "Aýna", "Orazowa"
    learner.save()
    token = token_for(learner, lesson, package)
    first = runtime(version, load=launch_config(Client(), token)["cmi"], set_values=WRITES[version])
    assert first["errors"] == []
    response = commit(token, first["commit"])  # the runtime's own commit, as it sends it
    assert response.status_code == 200, response.content
    attempt = ScormAttempt.objects.get(user=learner, package=package)
    assert attempt.exit == "suspend" and attempt.cmi["cmi.interactions.1.id"] == "q2"

    config = launch_config(Client(), token)
    assert config["attempt"] == 1
    resumed = runtime(version, load=config["cmi"], get=READS[version])
    got = resumed["got"]
    written = dict(WRITES[version])
    if version == "1.2":
        assert got["cmi.core.entry"] == "resume"
        assert got["cmi.core.student_name"] == "Orazowa, Aýna" and got["cmi.core.student_id"] == learner_id(learner)
        assert (got["cmi.interactions._count"], got["cmi.objectives._count"]) == ("2", "2")
        for element in ("cmi.core.lesson_location", "cmi.suspend_data", "cmi.core.lesson_status", "cmi.core.score.raw",
                        "cmi.objectives.0.status", "cmi.objectives.0.score.raw", "cmi.comments",
                        "cmi.student_preference.language"):
            assert got[element] == written[element], element
    else:
        assert got["cmi.entry"] == "resume"
        assert got["cmi.learner_name"] == "Orazowa, Aýna" and got["cmi.learner_id"] == learner_id(learner)
        assert (got["cmi.interactions._count"], got["cmi.objectives._count"]) == ("2", "2")
        for element in READS[version][1:-3]:
            if element.endswith("_count"):
                continue
            assert got[element] == written[element], element
        assert got["adl.nav.request_valid.continue"] == "false"  # a single SCO: nothing after it
    # what belongs to one session is not carried over
    session_time = "cmi.core.session_time" if version == "1.2" else "cmi.session_time"
    exit_element = "cmi.core.exit" if version == "1.2" else "cmi.exit"
    assert session_time not in config["cmi"] and exit_element not in config["cmi"]
    # the resumed runtime commits the interactions and objectives again: a later commit loses none of them
    again = resumed["commit"]
    for element, value in WRITES[version]:
        if element.startswith(("cmi.interactions.", "cmi.objectives.")):
            assert again[element] == value, element
    assert commit(token, again).status_code == 200
    assert ScormAttempt.objects.get(user=learner, package=package).cmi["cmi.interactions.0.id"] == "q1"


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_entry_is_resume_after_a_suspend_and_ab_initio_on_a_new_attempt(single, learner, version):
    lesson, package = single[version]
    token = token_for(learner, lesson, package)
    entry = "cmi.core.entry" if version == "1.2" else "cmi.entry"
    status, exit_element = (
        ("cmi.core.lesson_status", "cmi.core.exit") if version == "1.2" else ("cmi.completion_status", "cmi.exit")
    )
    assert launch_config(Client(), token)["cmi"][entry] == "ab-initio"
    assert commit(token, {status: "incomplete", exit_element: "suspend", "cmi.suspend_data": "s1"}).status_code == 200
    assert launch_config(Client(), token)["cmi"][entry] == "resume"
    # left without a suspend, not finished: the same attempt goes on, neither a resume nor a new start
    assert commit(token, {status: "incomplete", exit_element: "", "cmi.suspend_data": "s2"}).status_code == 200
    config = launch_config(Client(), token)
    assert entry not in config["cmi"] and config["cmi"]["cmi.suspend_data"] == "s2" and config["attempt"] == 1
    assert commit(token, {status: "completed", exit_element: ""}).status_code == 200
    config = launch_config(Client(), token)
    assert config["attempt"] == 2 and config["cmi"][entry] == "ab-initio" and "cmi.suspend_data" not in config["cmi"]


SIZES = [
    ("1.2", {"cmi.suspend_data": "x" * 4097}, COMMIT_SUSPEND_TOO_LONG % {"limit": 4096, "version": "1.2"}),
    ("2004", {"cmi.suspend_data": "x" * 64001}, COMMIT_SUSPEND_TOO_LONG % {"limit": 64000, "version": "2004"}),
    ("1.2", {"cmi.interactions.250.id": "q"}, COMMIT_LIST_TOO_LONG % {"element": "cmi.interactions", "limit": 250}),
    ("2004", {"cmi.interactions.250.id": "q"}, COMMIT_LIST_TOO_LONG % {"element": "cmi.interactions", "limit": 250}),
    ("2004", {"cmi.objectives.100.id": "o"}, COMMIT_LIST_TOO_LONG % {"element": "cmi.objectives", "limit": 100}),
    ("1.2", {"cmi.objectives.100.id": "o"}, COMMIT_LIST_TOO_LONG % {"element": "cmi.objectives", "limit": 100}),
    ("2004", {"cmi.interactions.0.correct_responses.100.pattern": "a"},
     COMMIT_LIST_TOO_LONG % {"element": "cmi.interactions.0", "limit": 100}),
    ("2004", {"cmi.comments_from_learner.250.comment": "c"},
     COMMIT_LIST_TOO_LONG % {"element": "cmi.comments_from_learner", "limit": 250}),
    # the shape of the data model: elements of the other version, unknown fields, bad indexes
    ("2004", {"cmi.core.lesson_status": "completed"}, COMMIT_BAD_KEY),
    ("1.2", {"cmi.completion_status": "completed"}, COMMIT_BAD_KEY),
    ("1.2", {"cmi.interactions.0.learner_response": "a"}, COMMIT_BAD_KEY),
    ("2004", {"cmi.interactions.0.colour": "red"}, COMMIT_BAD_KEY),
    ("2004", {"cmi.interactions.x.id": "q"}, COMMIT_BAD_KEY),
    ("2004", {"cmi.interactions.01.id": "q"}, COMMIT_BAD_KEY),
    ("2004", {"cmi.objectives.0.id.extra": "o"}, COMMIT_BAD_KEY),
    ("2004", {"cmi.interactions.0.id": ["q"]}, None),
]


@pytest.mark.parametrize("version, data, message", SIZES)
def test_too_large_or_misshapen_cmi_is_refused_and_changes_nothing(single, learner, version, data, message):
    lesson, package = single[version]
    token = token_for(learner, lesson, package)
    status = "cmi.core.lesson_status" if version == "1.2" else "cmi.completion_status"
    assert commit(token, {status: "incomplete", "cmi.suspend_data": "kept"}).status_code == 200
    before = ScormAttempt.objects.get(user=learner, package=package)
    response = commit(token, {status: "completed", **data})
    assert response.status_code == 400
    body = response.json()
    assert body["result"] == "false"
    if message is not None:
        assert body["error"] == str(message)
    after = ScormAttempt.objects.get(user=learner, package=package)
    assert (after.cmi, after.suspend_data, after.lesson_status, after.completion_status, after.updated_at) == (
        before.cmi, before.suspend_data, before.lesson_status, before.completion_status, before.updated_at
    )


@pytest.mark.parametrize("version, data", [
    ("1.2", {"cmi.suspend_data": "x" * 4096, "cmi.interactions.249.id": "q", "cmi.objectives.99.id": "o"}),
    ("2004", {"cmi.suspend_data": "x" * 64000, "cmi.interactions.249.id": "q", "cmi.objectives.99.id": "o"}),
])
def test_the_largest_cmi_the_data_model_allows_is_kept(single, learner, version, data):
    lesson, package = single[version]
    response = commit(token_for(learner, lesson, package), data)
    assert response.status_code == 200, response.content
    assert ScormAttempt.objects.get(user=learner).suspend_data == data["cmi.suspend_data"]
    assert LIST_LIMITS["cmi.interactions"] == 250 and LIST_LIMITS["cmi.objectives"] == 100


def test_the_learner_is_named_last_first_and_identified_by_a_stable_opaque_id(agency_a):
    jane = person(username="jane.doe", roles=[Role.TRAINEE], agency=agency_a)
    jane.first_name, jane.last_name = "Jane", "Doe"
    assert learner_name(jane) == "Doe, Jane"
    jane.last_name = ""
    assert learner_name(jane) == "Jane"
    jane.first_name = ""
    assert learner_name(jane) == "jane.doe"  # no name given: the name they sign in with
    jane.first_name, jane.last_name = "J" * 200, "D" * 200
    assert len(learner_name(jane)) == 250
    other = person(username="other", roles=[Role.TRAINEE], agency=agency_a)
    identifier = learner_id(jane)
    assert identifier == learner_id(jane) and identifier != learner_id(other)
    assert identifier.startswith("learner-") and len(identifier) == len("learner-") + 24
    assert identifier != f"learner-{jane.pk}" and "jane" not in identifier


def test_the_sco_receives_the_name_and_id_on_every_launch(single, learner):
    learner.first_name, learner.last_name = "Merdan", "Ataýew"
    learner.save()
    for version, (lesson, package) in single.items():
        cmi = launch_config(Client(), token_for(learner, lesson, package))["cmi"]
        name, identifier = ("cmi.core.student_name", "cmi.core.student_id") if version == "1.2" else (
            "cmi.learner_name", "cmi.learner_id")
        assert (cmi[name], cmi[identifier]) == ("Ataýew, Merdan", learner_id(learner))


@pytest.fixture
def three(curriculum):
    package = scorm_package_create(upload=io.BytesIO(scorm_zip(version="2004", scos=[
        ("one", "Part one", "one.html"), ("two", "Part two", "two.html"), ("three", "Part three", "three.html"),
    ])))
    return attach(lesson_in(curriculum, "en", "definitions-one"), package), package


def test_a_2004_sco_is_told_which_navigation_requests_its_place_in_the_flow_allows(client, three, learner):
    lesson, package = three
    token = token_for(learner, lesson, package)
    flows = []
    for index, path in enumerate(("one.html", "two.html", "three.html")):
        cmi = launch_config(Client(), token, sco=index, path=path)["cmi"]
        flows.append((cmi["adl.nav.request_valid.previous"], cmi["adl.nav.request_valid.continue"]))
    assert flows == [("false", "true"), ("true", "true"), ("true", "false")]
    # the lesson page knows each SCO's identifier, the target of a "choice" request
    client.force_login(learner)
    scos = client.get(lesson.url).context["scorm"]["packages"][str(package.pk)]["scos"]
    assert [sco["identifier"] for sco in scos] == ["one", "two", "three"]


@needs_node
@pytest.mark.parametrize("request_value, event", [
    ("continue", ["SequenceNext", ""]), ("previous", ["SequencePrevious", ""]),
    ("{target=three}choice", ["SequenceChoice", "three"]), ("exit", ["SequenceExit", ""]),
])
def test_the_runtime_hands_a_navigation_request_on_at_terminate(request_value, event):
    """sco.js listens for these events and tells the lesson page; a request is not CMI to commit."""
    result = runtime("2004", set_values=[("adl.nav.request", request_value)])
    assert result["errors"] == [] and result["events"] == [event]
    assert not any(key.startswith("adl.") for key in result["commit"])
