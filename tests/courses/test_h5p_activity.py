"""H5P in lessons: the player and its files behind tokens, xAPI statements and state, progress.

Hostile report bodies are in ``test_h5p_hostile.py``.
"""

import json

import pytest
from django.core import signing
from django.test import Client

from content.h5p.tokens import player_token
from content.h5p.xapi import VERB_ANSWERED
from content.models import H5PStatement, H5PUserState
from courses.models import LessonPage, LessonProgress
from tests.courses.helpers import STATE_URL, XAPI_URL, post_json, statement

pytestmark = pytest.mark.django_db


def test_lesson_page_embeds_a_sandboxed_player_with_a_token(client, activity, trainee):
    lesson, package = activity
    client.force_login(trainee)
    response = client.get(lesson.url)
    config = response.context["h5p"]
    assert config["lesson"] == lesson.pk
    src = config["players"][str(package.pk)]
    assert src.startswith("/h5p/") and src.endswith("/player/")
    html = response.content.decode()
    assert 'id="h5p-players"' in html and "h5p-embed.js" in html
    assert f'data-h5p-package="{package.pk}"' in html
    # lessons without an activity load no player
    assert client.get(lesson_in_curriculum_one(lesson).url).context["h5p"] is None


def lesson_in_curriculum_one(lesson):
    return LessonPage.objects.get(slug="definitions-one", locale=lesson.locale)


def test_player_page_runs_sandboxed_and_loads_only_local_files(client, activity, trainee):
    lesson, package = activity
    token = player_token(user_id=trainee.pk, package_id=package.pk, lesson_id=lesson.pk, language="tk")
    response = client.get(f"/h5p/{token}/player/")  # no session: the token is the credential
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert csp.startswith("sandbox allow-scripts;") and "allow-same-origin" not in csp
    assert "frame-ancestors 'self'" in csp
    html = response.content.decode()
    assert "/static/vendor/h5p-standalone/main.bundle.js" in html
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html
    options = json.loads(html.split('id="h5p-options" type="application/json">')[1].split("</script>")[0])
    assert options["h5pJsonPath"] == f"/h5p/{token}"
    assert "user" not in options  # no name or e-mail goes into the sandbox
    assert options["saveFreq"]  # without it the core does not hand the saved state to the activity
    assert "contentUserData" not in options


@pytest.mark.parametrize("token", ["forged", signing.dumps({"u": 1, "p": 1, "l": 1, "g": "tk"}, salt="other")])
def test_player_and_files_refuse_bad_tokens(client, token):
    # (Django's LocaleMiddleware first redirects an unprefixed 404 to /en/..., which is a 404 too)
    assert client.get(f"/h5p/{token}/player/", follow=True).status_code == 404
    assert client.get(f"/h5p/{token}/h5p.json", follow=True).status_code == 404


def test_expired_token_is_refused(client, activity, trainee, monkeypatch):
    lesson, package = activity
    import time

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - 60 * 60 * 13)
    token = player_token(user_id=trainee.pk, package_id=package.pk, lesson_id=lesson.pk, language="tk")
    monkeypatch.setattr(time, "time", real)
    assert client.get(f"/h5p/{token}/player/", follow=True).status_code == 404


def test_package_files_are_served_sandboxed_to_token_holders(client, activity, trainee):
    lesson, package = activity
    token = player_token(user_id=trainee.pk, package_id=package.pk, lesson_id=lesson.pk, language="tk")
    response = client.get(f"/h5p/{token}/h5p.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert json.loads(b"".join(response.streaming_content))["mainLibrary"] == package.main_library
    library = package.libraries.get(machine_name=package.main_library)
    assert client.get(f"/h5p/{token}/libraries/{library.folder}/library.json").status_code == 200
    assert client.get(f"/h5p/{token}/content/content.json").status_code == 200
    for path in ("content/../h5p.json", "libraries/Unknown-1.0/library.json", "secret.txt", "content/missing.json"):
        assert client.get(f"/h5p/{token}/{path}", follow=True).status_code == 404


def test_completed_statement_marks_the_lesson_done(client, activity, trainee):
    lesson, package = activity
    client.force_login(trainee)
    payload = {"lesson": lesson.pk, "package": package.pk, "statement": statement(trainee)}
    response = post_json(client, XAPI_URL, payload)
    assert response.status_code == 200
    assert response.json() == {"recorded": True, "lesson_done": True}
    progress = LessonProgress.objects.get(user=trainee, lesson_key=lesson.translation_key)
    assert progress.source == LessonProgress.Source.ACTIVITY
    stored = H5PStatement.objects.get(user=trainee)
    assert stored.completed and stored.success and stored.score_scaled == 1
    # a replay of the same statement is not stored twice
    assert post_json(client, XAPI_URL, payload).json() == {"recorded": False, "lesson_done": False}
    assert H5PStatement.objects.filter(user=trainee).count() == 1


def test_answered_and_sub_question_statements_do_not_complete(client, activity, trainee):
    lesson, package = activity
    client.force_login(trainee)
    answered = statement(trainee, verb=VERB_ANSWERED, result={"completion": False, "score": {"scaled": 1}})
    answered_no_completion = statement(trainee, verb=VERB_ANSWERED, result={"score": {"scaled": 1}})
    parent = {"contextActivities": {"parent": [{"id": "http://testserver/x"}]}}
    sub_question = statement(trainee, context=parent)
    sub_answered = statement(trainee, verb=VERB_ANSWERED, context=parent)  # completion true, but a sub-question
    for data in (answered, answered_no_completion, sub_question, sub_answered):
        response = post_json(client, XAPI_URL, {"lesson": lesson.pk, "package": package.pk, "statement": data})
        assert response.json() == {"recorded": True, "lesson_done": False}
    assert not LessonProgress.objects.filter(user=trainee).exists()
    assert H5PStatement.objects.filter(user=trainee, completed=False).count() == 4


def test_answered_with_completion_from_the_activity_itself_completes_the_lesson(client, activity, trainee):
    """Standalone question types (TrueFalse, MultiChoice …) send only "answered", with result.completion true."""
    lesson, package = activity
    client.force_login(trainee)
    data = statement(trainee, verb=VERB_ANSWERED, result={"completion": True, "success": False, "score": {"scaled": 0}})
    response = post_json(client, XAPI_URL, {"lesson": lesson.pk, "package": package.pk, "statement": data})
    assert response.json() == {"recorded": True, "lesson_done": True}
    assert LessonProgress.objects.get(user=trainee, lesson_key=lesson.translation_key).source == LessonProgress.Source.ACTIVITY
    assert H5PStatement.objects.get(user=trainee).completed


def test_player_allows_eval_and_blob_workers_only_inside_its_sandbox(client, activity, trainee):
    lesson, package = activity
    client.force_login(trainee)
    page = client.get(lesson.url)
    assert "unsafe-eval" not in page["Content-Security-Policy"] and "worker-src" not in page["Content-Security-Policy"]
    player = client.get(page.context["h5p"]["players"][str(package.pk)])
    csp = player["Content-Security-Policy"]
    assert csp.startswith("sandbox allow-scripts;")
    assert "script-src 'self' 'unsafe-inline' 'unsafe-eval';" in csp
    assert "worker-src 'self' blob:;" in csp
    assert "media-src 'self' blob:;" in csp  # no remote host unless the setting names one
    options = json.loads(player.content.decode().split('id="h5p-options" type="application/json">')[1].split("</script>")[0])
    assert options["customJs"] == ["/static/h5p/integration.js"]
    bridge = json.loads(player.content.decode().split('id="h5p-bridge" type="application/json">')[1].split("</script>")[0])
    assert bridge["crossoriginRegex"].startswith("^http://testserver/h5p/")


def test_remote_media_hosts_join_the_players_media_src_and_bad_ones_are_reported(client, activity, trainee, settings):
    from django.core import checks

    lesson, package = activity
    settings.H5P_REMOTE_MEDIA_HOSTS = ["https://media.example.org", "*.video.example.net:8443", "x; script-src *", "'none'"]
    token = player_token(user_id=trainee.pk, package_id=package.pk, lesson_id=lesson.pk, language="tk")
    csp = client.get(f"/h5p/{token}/player/")["Content-Security-Policy"]
    assert "media-src 'self' blob: https://media.example.org *.video.example.net:8443;" in csp
    assert "script-src *" not in csp and "x;" not in csp
    errors = [error for error in checks.run_checks() if error.id == "content.E002"]
    assert len(errors) == 1 and "x; script-src *" in errors[0].msg


def test_package_files_answer_a_browsers_preflight(client, activity, trainee):
    lesson, package = activity
    token = player_token(user_id=trainee.pk, package_id=package.pk, lesson_id=lesson.pk, language="tk")
    headers = {"HTTP_ORIGIN": "null", "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "GET",
               "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "content-type, x-requested-with"}
    response = client.options(f"/h5p/{token}/content/content.json", **headers)
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "content-type, x-requested-with"
    assert response["Content-Security-Policy"].startswith("sandbox;")
    bad = client.options(f"/h5p/{token}/h5p.json", HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x\r\nSet-Cookie: a=b")
    assert bad.status_code == 204 and "Access-Control-Allow-Headers" not in bad
    assert client.options("/h5p/forged/h5p.json", follow=True).status_code == 404
    assert client.post(f"/h5p/{token}/h5p.json").status_code == 405
    assert client.head(f"/h5p/{token}/h5p.json").status_code == 200


def test_microphone_is_granted_only_to_packages_an_editor_opted_in(client, activity, trainee):
    lesson, package = activity
    client.force_login(trainee)
    page = client.get(lesson.url)
    assert page.context["h5p"]["microphone"] == []
    assert "microphone=()" in page["Permissions-Policy"]
    assert "microphone=()" in client.get(page.context["h5p"]["players"][str(package.pk)])["Permissions-Policy"]

    package.microphone = True
    package.save(update_fields=["microphone"])
    page = client.get(lesson.url)
    assert page.context["h5p"]["microphone"] == [str(package.pk)]
    assert page["Permissions-Policy"] == "camera=(), microphone=*, geolocation=()"
    player = client.get(page.context["h5p"]["players"][str(package.pk)])
    assert player["Permissions-Policy"] == "camera=(), microphone=*, geolocation=()"
    # other lessons keep the microphone off
    assert "microphone=()" in client.get(lesson_in_curriculum_one(lesson).url)["Permissions-Policy"]


@pytest.mark.parametrize(
    "mutate, status",
    [
        (lambda s: {**s, "id": "not-a-uuid"}, 400),
        (lambda s: {**s, "verb": {"id": "javascript:alert(1)"}}, 400),
        (lambda s: {**s, "object": "nope"}, 400),
        (lambda s: {**s, "result": {"score": {"scaled": 7}}}, 400),
        (lambda s: {**s, "result": {"score": {"raw": "9"}}}, 400),
        (lambda s: {**s, "actor": {"mbox": "mailto:someone.else@example.org"}}, 400),
        (lambda s: [s], 400),
    ],
)


def test_malformed_or_foreign_statements_are_refused(client, activity, trainee, mutate, status):
    lesson, package = activity
    client.force_login(trainee)
    payload = {"lesson": lesson.pk, "package": package.pk, "statement": mutate(statement(trainee))}
    assert post_json(client, XAPI_URL, payload).status_code == status
    assert not H5PStatement.objects.exists()
    assert not LessonProgress.objects.exists()


def test_bad_requests_change_nothing(client, activity, trainee):
    lesson, package = activity
    client.force_login(trainee)
    assert client.post(XAPI_URL, data="{not json", content_type="application/json").status_code == 400
    assert client.post(XAPI_URL, data={"lesson": lesson.pk}).status_code == 415
    huge = {"lesson": lesson.pk, "package": package.pk, "statement": statement(trainee, padding="x" * 40_000)}
    assert post_json(client, XAPI_URL, huge).status_code == 413
    assert client.get(XAPI_URL).status_code == 405
    other_lesson = lesson_in_curriculum_one(lesson)
    wrong_place = {"lesson": other_lesson.pk, "package": package.pk, "statement": statement(trainee)}
    assert post_json(client, XAPI_URL, wrong_place).status_code == 403
    assert not H5PStatement.objects.exists()


def test_statements_need_a_session_and_a_csrf_token(activity, trainee):
    lesson, package = activity
    payload = {"lesson": lesson.pk, "package": package.pk, "statement": statement(trainee)}
    anonymous = Client(enforce_csrf_checks=True)
    assert post_json(anonymous, XAPI_URL, payload).status_code in (302, 403)
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(trainee)
    assert post_json(signed_in, XAPI_URL, payload).status_code == 403  # no CSRF token
    assert not H5PStatement.objects.exists()


def test_unpublished_lesson_takes_no_statements(client, activity, trainee):
    lesson, package = activity
    client.force_login(trainee)
    lesson.unpublish()
    payload = {"lesson": lesson.pk, "package": package.pk, "statement": statement(trainee)}
    assert post_json(client, XAPI_URL, payload).status_code == 403


def test_reports_are_rate_limited(client, activity, trainee, settings):
    lesson, package = activity
    settings.H5P_RATE_LIMIT = 3
    client.force_login(trainee)
    codes = [
        post_json(client, XAPI_URL, {"lesson": lesson.pk, "package": package.pk, "statement": statement(trainee)}).status_code
        for _ in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]


def test_state_is_kept_and_given_back_to_the_player(client, activity, trainee):
    lesson, package = activity
    client.force_login(trainee)
    state = json.dumps({"answers": [1, 0, 2], "checked": False})
    assert post_json(client, STATE_URL, {"lesson": lesson.pk, "package": package.pk, "state": state}).status_code == 200
    assert H5PUserState.objects.get(user=trainee, package=package).data == state
    token = player_token(user_id=trainee.pk, package_id=package.pk, lesson_id=lesson.pk, language="tk")
    html = Client().get(f"/h5p/{token}/player/").content.decode()
    options = json.loads(html.split('id="h5p-options" type="application/json">')[1].split("</script>")[0])
    assert options["contentUserData"] == [{"state": state}]
    too_big = json.dumps({"x": "y" * 70_000})
    assert post_json(client, STATE_URL, {"lesson": lesson.pk, "package": package.pk, "state": too_big}).status_code in (400, 413)
    assert post_json(client, STATE_URL, {"lesson": lesson.pk, "package": package.pk, "state": "{broken"}).status_code == 400
    assert H5PUserState.objects.get(user=trainee, package=package).data == state


def test_xapi_costs_the_same_queries_however_large_the_course(client, activity, trainee, django_assert_num_queries):
    """The lesson, package and access come from one usage lookup; growing the course adds nothing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses.models import ModulePage

    lesson, package = activity
    client.force_login(trainee)
    first = {"lesson": lesson.pk, "package": package.pk, "statement": statement(trainee)}
    post_json(client, XAPI_URL, first)  # enrols; warms the navigation cache

    def cost():
        payload = {"lesson": lesson.pk, "package": package.pk, "statement": statement(trainee)}
        with CaptureQueriesContext(connection) as queries:
            assert post_json(client, XAPI_URL, payload).status_code == 200
        return len(queries)

    small = cost()
    module = ModulePage.objects.get(slug="definitions", locale__language_code="en")
    for number in range(6):
        module.add_child(instance=LessonPage(title=f"Extra lesson {number}", slug=f"extra-{number}", body=[]))
    for page in LessonPage.objects.filter(slug__startswith="extra-"):
        page.save_revision().publish()
    cost()  # the navigation is rebuilt once after the publish
    assert cost() == small


def test_a_warm_lesson_with_an_activity_asks_nothing_about_its_packages(
    client, activity, trainee, django_assert_num_queries, settings
):
    """The microphone choice of the lesson's packages comes from the cache (forgotten when a package is
    saved, above): the page and the learner's progress are the only queries, as on a lesson without H5P."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    lesson, _package = activity
    client.force_login(trainee)
    client.get(lesson.url)
    with django_assert_num_queries(2):
        assert client.get(lesson.url).context["h5p"]["microphone"] == []
