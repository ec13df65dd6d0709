"""The API against its own OpenAPI schema: the document is valid, names every route, documents its errors,
and every operation's success answer fits the schema (a tour through all of them, validated)."""

import re

import pytest
from drf_spectacular.validation import validate_schema

from lms.api import urls as api_urls
from lms.cascade import services
from lms.cascade.models import CascadeSession
from tests.api.conftest import api_url, schedule
from tests.cascade.conftest import SOON, TODAY

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/"


def _template(route: str) -> str:
    """``sessions/<int:pk>/`` → ``/api/v1/sessions/{id}/`` (the schema calls a primary key ``id``)."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return PREFIX + path.replace("{pk}", "{id}")


def test_the_schema_is_valid_openapi_and_names_every_route(schema):
    validate_schema(schema.document)
    assert schema.document["openapi"].startswith("3.1")
    routes = {_template(str(pattern.pattern)) for pattern in api_urls.urlpatterns if pattern.name != "schema"}
    assert routes == set(schema.document["paths"])


def test_every_operation_documents_its_refusals_with_a_detail(schema):
    error = {"$ref": "#/components/schemas/Error"}
    assert schema.document["components"]["schemas"]["Error"]["required"] == ["detail"]
    for path, operations in schema.document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"401", "403"} <= set(responses), (method, path)
            if "{id}" in path:
                assert "404" in responses, (method, path)
            if method in {"post", "delete"}:
                assert "400" in responses, (method, path)
            for code, response in responses.items():
                if code.startswith("4"):
                    assert response["content"]["application/json"]["schema"] == error, (method, path, code)
            assert operation["summary"] and operation["tags"], (method, path)


def test_a_tour_of_every_operation_fits_the_schema(api, schema, trainer, co_trainer, coordinator_a, manager,
                                                    programme, trainees):
    lead, coordinator = api(trainer), api(coordinator_a)
    # a session of today through the whole life, on the API only
    created = lead.post(api_url("session_list"), {
        "title": "Tour", "course_key": str(programme.course_key), "modules": [1], "venue": "Aşgabat",
        "capacity": 1, "language": "ru", "co_trainers": [co_trainer.pk],
        "days": [{"date": str(TODAY), "starts": "09:00", "ends": "13:00"}],
    })
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert lead.get(api_url("session_list"), {"state": "draft"}).status_code == 200
    assert lead.get(api_url("session_detail", pk)).status_code == 200
    assert lead.post(api_url("session_submit", pk)).status_code == 200
    assert coordinator.post(api_url("session_return", pk), {"comment": "Fix the venue"}).status_code == 200
    assert lead.post(api_url("session_submit", pk)).status_code == 200
    assert coordinator.post(api_url("session_approve", pk)).status_code == 200
    for trainee in trainees[:2]:
        assert lead.post(api_url("participant_list", pk), {"user": trainee.pk}).status_code == 201
    roster = lead.get(api_url("participant_list", pk)).json()
    assert [row["status"] for row in roster] == ["enrolled", "waitlisted"]
    day = lead.get(api_url("attendance", pk)).json()[0]["day"]
    sheet = {"day": day, "statuses": {str(roster[0]["id"]): "present"}}
    assert lead.post(api_url("attendance", pk), sheet).status_code == 200
    assert lead.delete(api_url("participant_detail", pk, trainees[1].pk)).status_code == 204
    assert lead.post(api_url("session_deliver", pk)).status_code == 200
    # another session, cancelled
    other = schedule(trainer, programme, day=SOON)
    assert coordinator.post(api_url("session_cancel", other.pk), {"reason": "No venue"}).status_code == 200
    # the registry and the reach of the cascade
    services.session_report_submit(actor=trainer, session=CascadeSession.objects.get(pk=pk), methods="Role play")
    trainers = coordinator.get(api_url("trainer_list")).json()["results"]
    assert {row["id"] for row in trainers} == {trainer.pk, co_trainer.pk}
    assert coordinator.get(api_url("trainer_detail", trainer.pk)).status_code == 200
    reach = api(manager).get(api_url("reach"))
    assert reach.status_code == 200 and reach.json()["totals"]["sessions"] == 1
    # every operation of the schema was called and answered as documented
    operations = {(method.upper(), path) for path, methods in schema.document["paths"].items() for method in methods}
    succeeded = {(method, path) for method, path, status in schema.checked if status < 300}
    assert succeeded == operations
