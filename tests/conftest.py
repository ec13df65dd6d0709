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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Migrate, then build a small curriculum (en/ru/tk) once; every test starts from that state.

    The state is serialized again afterwards, so transactional tests (tests/e2e), which flush the
    database, get the same starting point back (``serialized_rollback``).
    """
    from django.db import connections

    with django_db_blocker.unblock():
        _seed_small_curriculum()
        for alias in connections:
            connection = connections[alias]
            if hasattr(connection, "_test_serialized_contents"):
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()


def _seed_small_curriculum():
    from django.contrib.auth.models import Group
    from wagtail.models import Locale

    from courses import seed
    from courses.services import editorial_setup
    from lms.people.services import roles_sync
    from tests.courses import curriculum_data

    roles_sync()
    home = home_pages_ensure(texts=home_texts(), site_name="LMS")
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    provisions = seed.provisions_seed(locales=locales)
    index = seed.course_index_seed(home=home, locales=locales)
    packages = seed.h5p_packages_seed(locales=locales)
    tot = seed.tot_course_seed(
        index=index, locales=locales, provisions=provisions, packages=packages, data=curriculum_data.tot()
    )
    seed.refresher_course_seed(index=index, tot=tot, locales=locales, data=curriculum_data.refresher())
    editorial_setup(
        index_pages=list(index.get_translations(inclusive=True)),
        editors=Group.objects.get(name=Role.EDITOR),
        reviewers=Group.objects.get(name=Role.MANAGER),
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache is not rolled back with the database: start every test with an empty one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A test that activates a language (a view, a mail in the recipient's language) must not leave it
    active for the next test: every test starts in the default language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def curriculum(db):
    """The seeded small course tree and provisions, by name."""
    from wagtail.models import Locale

    from content.models import LegalProvision
    from courses.models import CourseIndexPage, CoursePage

    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    en = locales["en"]
    return {
        "index": CourseIndexPage.objects.get(locale=en),
        "tot": CoursePage.objects.get(locale=en, slug="tot"),
        "refresher": CoursePage.objects.get(locale=en, slug="refresher"),
        "provisions": {provision.code: provision for provision in LegalProvision.objects.filter(locale=en)},
        "locales": locales,
    }
