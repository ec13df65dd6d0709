"""Fixtures shared by the course tests (a module that needs another trainee defines its own)."""

import pytest

from content.models import H5PUsage
from lms.people.roles import Role
from tests.courses.helpers import lesson_in
from tests.factories import person


@pytest.fixture
def trainee(agency_a):
    return person(username="learner", roles=[Role.TRAINEE], agency=agency_a)


@pytest.fixture
def activity(curriculum):
    """The Turkmen lesson with the seeded case-sort activity, and its package."""
    lesson = lesson_in(curriculum, "tk", "definitions-two")
    usage = H5PUsage.objects.select_related("package").get(page=lesson)
    return lesson, usage.package
