"""The signed-in user (with roles and permissions) comes from the cache, and is forgotten when it changes."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.people.auth import user_cache_key
from lms.people.roles import Role
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


@pytest.fixture
def trainer(agency_a, cached_sessions):
    return person(username="coach", roles=[Role.TRAINER], agency=agency_a, first_name="Aman")


def user_queries(captured) -> list[str]:
    """The queries whose main table is the user, group, permission or session table."""
    tables = {'"auth_user"', '"auth_group"', '"auth_permission"', '"django_session"', '"auth_user_groups"'}
    found = []
    for query in captured.captured_queries:
        main = re.search(r' FROM ("\w+")', query["sql"])
        if main and main.group(1) in tables:
            found.append(query["sql"])
    return found


def test_a_warm_request_reads_no_user_group_permission_or_session(client, trainer):
    client.force_login(trainer)
    client.get("/en/dashboard/")
    assert cache.get(user_cache_key(trainer.pk)) is not None
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/en/dashboard/").content.decode()
    assert user_queries(captured) == []
    assert 'data-menu="sessions"' in html or "/training/sessions/" in html  # the trainer's menu, from cached roles


def test_a_role_removed_changes_the_menu_at_once(client, trainer):
    client.force_login(trainer)
    assert "/training/sessions/" in client.get("/en/dashboard/").content.decode()
    trainer.groups.remove(Group.objects.get(name=Role.TRAINER))
    trainer.groups.add(Group.objects.get(name=Role.TRAINEE))
    assert "/training/sessions/" not in client.get("/en/dashboard/").content.decode()


def test_a_role_given_from_the_group_side_changes_the_menu_at_once(client, trainer):
    client.force_login(trainer)
    assert "/training/sessions/" in client.get("/en/dashboard/").content.decode()
    Group.objects.get(name=Role.TRAINER).user_set.remove(trainer)
    assert "/training/sessions/" not in client.get("/en/dashboard/").content.decode()


def test_another_users_new_role_keeps_this_users_cache(client, trainer, agency_a):
    client.force_login(trainer)
    client.get("/en/dashboard/")
    person(username="newcomer", roles=[Role.TRAINEE], agency=agency_a)  # a roster import does this by the hundred
    assert cache.get(user_cache_key(trainer.pk)) is not None
    with CaptureQueriesContext(connection) as captured:
        client.get("/en/dashboard/")
    assert user_queries(captured) == []


def test_a_deactivated_user_is_signed_out_at_once(client, trainer):
    client.force_login(trainer)
    assert client.get("/en/dashboard/").status_code == 200
    trainer.is_active = False
    trainer.save()
    response = client.get("/en/dashboard/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_password_change_signs_out_other_sessions(client, trainer):
    client.force_login(trainer)
    assert client.get("/en/dashboard/").status_code == 200
    trainer.set_password("a-new-password-2026")
    trainer.save()
    assert client.get("/en/dashboard/").status_code == 302


def test_a_stale_session_hash_is_not_trusted_from_the_cache(client, trainer):
    """Even while the cached copy is still there (a save that bypassed signals), the session hash is checked."""
    client.force_login(trainer)
    client.get("/en/dashboard/")
    from django.contrib.auth.models import User

    User.objects.filter(pk=trainer.pk).update(password="md5$other$0123456789abcdef0123456789abcdef")
    cached = cache.get(user_cache_key(trainer.pk))
    cached.password = "md5$other$0123456789abcdef0123456789abcdef"
    cache.set(user_cache_key(trainer.pk), cached)
    assert client.get("/en/dashboard/").status_code == 302


def test_a_new_name_shows_at_once(client, trainer):
    client.force_login(trainer)
    assert "Aman" in client.get("/en/dashboard/").content.decode()
    trainer.first_name = "Begench"
    trainer.save()
    assert "Begench" in client.get("/en/dashboard/").content.decode()
