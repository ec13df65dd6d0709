"""Schemathesis against /api/v1/openapi.json: for every operation, examples drawn from the schema (valid
and invalid), sent as a trainer and as a programme manager, must never be a server error, and every answer
must be what the schema says (status and body).

Bounded and repeatable: a few examples per operation and mode, derandomized, without shrinking, so the run
stays within about a minute and a failure reads the same on every machine.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance

from tests.lms.world import build_world

pytestmark = pytest.mark.django_db

EXAMPLES = 10
CHECKS = [not_a_server_error, response_schema_conformance]
ROLES = ("trainer", "manager")


def _path_parameters(operation, world) -> dict:
    """Ids of records that exist, so the valid examples reach real sessions and trainers, not only 404s."""
    names = {parameter.name for parameter in operation.path_parameters}
    values = {}
    if "id" in names:
        values["id"] = world.users["trainer"].pk if "/trainers/" in operation.path else world.ids["pk"]
    if "user_id" in names:
        values["user_id"] = world.users["trainee"].pk
    return values


def _run(operation, *, mode, headers, failures, path_parameters=None):
    @settings(
        max_examples=EXAMPLES, derandomize=True, database=None, deadline=None, phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters or None))
    def check(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        check()
    except Exception as error:  # a check failed: keep it, go on with the other operations
        failures.append(f"{operation.label} ({mode.value}, {sorted(path_parameters or {})}): {str(error)[:1500]}")


@pytest.fixture
def wsgi_app():
    """Django's WSGI app, without closing the database connection after each request (as Django's own
    test client does): the test's transaction must outlive the requests, on PostgreSQL too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_api_keeps_to_its_schema_and_never_fails(curriculum, wsgi_app):
    world = build_world(curriculum)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 13
    failures = []
    for role in ROLES:
        headers = {"Authorization": f"Token {world.token(role)}", "Accept-Language": "en"}
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                _run(operation, mode=mode, headers=headers, failures=failures)
            if _path_parameters(operation, world):
                _run(operation, mode=GenerationMode.POSITIVE, headers=headers, failures=failures,
                     path_parameters=_path_parameters(operation, world))
    assert not failures, "\n".join(failure.splitlines()[0] for failure in failures) + "\n\n" + "\n\n".join(failures)
