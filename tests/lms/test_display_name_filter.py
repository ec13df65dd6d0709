"""``{{ user|display_name }}``: templates show a person's name by the one rule of ``lms.people.names``."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template

from tests.factories import person

pytestmark = pytest.mark.django_db


def render(user) -> str:
    return Template("{% load site_tags %}[{{ who|display_name }}]").render(Context({"who": user}))


def test_the_full_name_else_the_username_else_nothing():
    assert render(person(username="a.named", first_name="Aýna", last_name="Orazowa")) == "[Aýna Orazowa]"
    assert render(person(username="no.name", first_name="", last_name="")) == "[no.name]"
    assert render(AnonymousUser()) == "[]"
    assert render(None) == "[]"
