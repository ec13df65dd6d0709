"""Fixtures of the API tests: two agencies with a certified trainer each, API clients by token, and the
API's own OpenAPI schema to validate every response body against."""

import json
from datetime import time

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lms.cascade import services
from lms.cascade.services import Day
from lms.people.roles import Role
from lms.trainers.models import CertificationProgramme
from tests.cascade.conftest import SOON, certified
from tests.factories import person

SCHEMA_URI = "urn:lms-api-schema"


@pytest.fixture
def programme(curriculum):
    return CertificationProgramme.objects.create(
        code="tot", name_en="Certified trainer", course_key=curriculum["tot"].translation_key, modules=[1, 2, 3, 4]
    )


@pytest.fixture
def trainer(agency_a, programme):
    user = person(username="aygul", roles=[Role.TRAINER], agency=agency_a, language="en", first_name="Aýgül",
                  last_name="Hojaýewa")
    certified(user, programme)
    return user


@pytest.fixture
def co_trainer(agency_a, programme):
    user = person(username="merdan", roles=[Role.TRAINER], agency=agency_a, first_name="Merdan",
                  last_name="Annaýew")
    certified(user, programme)
    return user


@pytest.fixture
def trainer_b(agency_b, programme):
    user = person(username="batyr", roles=[Role.TRAINER], agency=agency_b)
    certified(user, programme)
    return user


@pytest.fixture
def trainees(agency_a):
    return [person(username=f"trainee{number}", agency=agency_a) for number in range(3)]


def schedule(trainer, programme, *, day=SOON, **overrides):
    """A session straight through the service (the API's own scheduling is tested on its own)."""
    values = {
        "title": "Victim-sensitive interviewing", "course_key": programme.course_key, "modules": [1],
        "days": [Day(day, time(9), time(13))], "venue": "Daşoguz", "capacity": 2, "language": "tk",
    }
    values.update(overrides)
    return services.session_schedule(actor=trainer, **values)


def api_as(user, *, language="en") -> APIClient:
    """A client that signs in with the user's API token and asks for answers in ``language``."""
    token, _created = Token.objects.get_or_create(user=user)
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def api_url(name, *args) -> str:
    return reverse(f"api:{name}", args=args)


def _closed(node):
    """Make every object schema with listed properties refuse other properties: a body must not carry an
    undocumented field either."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _closed(value)
    elif isinstance(node, list):
        for value in node:
            _closed(value)
    return node


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


class SchemaChecker:
    """Validate response bodies against the API's own OpenAPI (3.1) document, ``$ref``s resolved in it."""

    def __init__(self, document: dict):
        self.document = _closed(document)
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(SCHEMA_URI, resource)
        self.checked: set[tuple[str, str, int]] = set()

    def path_of(self, url: str) -> str:
        """The schema's path template that ``url`` matches (``/api/v1/sessions/{id}/`` for ``…/sessions/7/``)."""
        path = url.split("?")[0]
        for template in self.document["paths"]:
            parts, given = template.strip("/").split("/"), path.strip("/").split("/")
            if len(parts) == len(given) and all(
                part == value or (part.startswith("{") and value.isdigit()) for part, value in zip(parts, given)
            ):
                return template
        raise AssertionError(f"{url} is not in the schema")

    def check(self, response, *, method: str, url: str):
        """Assert the response's status is documented for the operation and its body fits the schema."""
        template = self.path_of(url)
        operation = self.document["paths"][template][method.lower()]
        code = str(response.status_code)
        assert code in operation["responses"], f"{method} {template}: {code} is not documented"
        documented = operation["responses"][code]
        if "content" not in documented:
            assert not response.content, f"{method} {template} {code}: a body where none is documented"
        else:
            reference = _pointer("paths", template, method.lower(), "responses", code, "content", "application/json",
                                 "schema")
            validator = Draft202012Validator(
                {"$ref": f"{SCHEMA_URI}#/{reference}"}, registry=self.registry,
                format_checker=FormatChecker(["date", "uuid", "email"]),
            )
            validator.validate(json.loads(response.content))
        self.checked.add((method.upper(), template, response.status_code))
        return response


@pytest.fixture
def schema(client):
    """The API's OpenAPI document, fetched from /api/v1/openapi.json as a client would."""
    response = client.get(api_url("schema"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/")
    return SchemaChecker(json.loads(response.content))


class CheckedClient:
    """An API client whose every response is validated against the schema before the test sees it."""

    def __init__(self, client: APIClient, schema: SchemaChecker):
        self.client, self.schema = client, schema

    def _call(self, method, url, data=None, **kwargs):
        response = getattr(self.client, method)(url, data, format="json", **kwargs)
        return self.schema.check(response, method=method, url=url)

    def get(self, url, data=None, **kwargs):
        return self._call("get", url, data, **kwargs)

    def post(self, url, data=None, **kwargs):
        return self._call("post", url, data, **kwargs)

    def delete(self, url, data=None, **kwargs):
        return self._call("delete", url, data, **kwargs)


@pytest.fixture
def api(schema):
    """``api(user, language="en")``: a schema-checked client signed in by the user's token."""

    def make(user, *, language="en") -> CheckedClient:
        return CheckedClient(api_as(user, language=language), schema)

    return make


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English unless a test asks otherwise (a request may leave another active)."""
    from django.utils import translation

    with translation.override("en"):
        yield
