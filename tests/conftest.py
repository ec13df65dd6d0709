import pytest

from content.seed.loader import home_texts
from courses.services import home_pages_ensure
from lms.people.roles import Role
from tests.factories import AgencyFactory, person


@pytest.fixture
def site_home(db):
    """The three locales and a published home page per language, as the seed makes them."""
    return home_pages_ensure(texts=home_texts(), site_name="LMS")


@pytest.fixture
def agency_a(db):
    return AgencyFactory(code="GPO", name_en="General Prosecutor's Office", name_ru="Генеральная прокуратура", name_tk="Baş prokuratura")


@pytest.fixture
def agency_b(db):
    return AgencyFactory(code="MIA", name_en="Ministry of Internal Affairs", name_ru="МВД", name_tk="Içeri işler ministrligi")


@pytest.fixture
def coordinator_a(agency_a):
    return person(username="coord.a", roles=[Role.COORDINATOR], agency=agency_a)


@pytest.fixture
def coordinator_b(agency_b):
    return person(username="coord.b", roles=[Role.COORDINATOR], agency=agency_b)


@pytest.fixture
def manager(db):
    return person(username="pm", roles=[Role.MANAGER], agency=None, language="en")
