"""Settings by environment, checked in fresh interpreters (settings are read once per process)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "module": settings.SETTINGS_MODULE,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "is_pg": settings.DATABASE_IS_POSTGRESQL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "session": settings.SESSION_ENGINE,
    "media_root": str(settings.MEDIA_ROOT),
    "hosts": settings.ALLOWED_HOSTS,
    "csrf": settings.CSRF_TRUSTED_ORIGINS,
    "debug": settings.DEBUG,
    "tasks": settings.TASKS["default"]["BACKEND"],
    "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
}))
"""
SECRET = "s" * 20 + "-production-secret-key-for-tests-only-0123456789"


def run_python(args, **env):
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    clean_env.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=clean_env, capture_output=True, text=True, timeout=120
    )


def probe(**env):
    result = run_python(["-c", PROBE], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_manage_py_defaults_to_dev_settings_with_embedded_sqlite():
    result = run_python(["manage.py", "shell", "-c", "from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DATABASES['default']['NAME'])"])
    assert result.returncode == 0, result.stderr
    module, name = result.stdout.strip().splitlines()[-1].split()
    assert module == "lms.settings.dev"
    assert name == str(BASE_DIR / "db.sqlite3")


def test_embedded_default_needs_no_environment():
    values = probe(DJANGO_SETTINGS_MODULE="lms.settings.dev")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["is_pg"] is False
    assert values["cache"].endswith("LocMemCache")
    assert values["session"] == "django.contrib.sessions.backends.db"
    assert values["media_root"] == str(BASE_DIR / "media")
    assert values["tasks"].endswith("ImmediateBackend")


def test_database_url_selects_postgresql_by_engine():
    values = probe(
        DJANGO_SETTINGS_MODULE="lms.settings.dev",
        DATABASE_URL="postgres://lms:secret@db.internal:5432/lms",
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["is_pg"] is True
    assert values["name"] == "lms"


def test_redis_url_moves_cache_and_sessions_to_redis(tmp_path):
    values = probe(
        DJANGO_SETTINGS_MODULE="lms.settings.dev",
        REDIS_URL="redis://127.0.0.1:6379/1",
        MEDIA_ROOT=str(tmp_path),
        DJANGO_ALLOWED_HOSTS="lms.example.tm, www.lms.example.tm",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://lms.example.tm",
    )
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["session"] == "django.contrib.sessions.backends.cached_db"
    assert values["media_root"] == str(tmp_path)
    assert values["hosts"] == ["lms.example.tm", "www.lms.example.tm"]
    assert values["csrf"] == ["https://lms.example.tm"]


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python(["-c", PROBE], DJANGO_SETTINGS_MODULE="lms.settings.production", DJANGO_ALLOWED_HOSTS="lms.example.tm")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_python(["-c", PROBE], DJANGO_SETTINGS_MODULE="lms.settings.production", DJANGO_SECRET_KEY=SECRET)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_settings_pass_check_deploy():
    env = {
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "lms.example.tm",
    }
    values = probe(**env)
    assert values["debug"] is False
    assert values["tasks"] == "django_tasks_db.backend.DatabaseBackend"
    assert values["staticfiles"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    # no session query per request: sessions are read from the cache, written through to the database
    assert values["session"] == "django.contrib.sessions.backends.cached_db"
    assert values["cache"].endswith("FileBasedCache")
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_production_refuses_demo_accounts(settings):
    from django.core.management import CommandError, call_command
    from django.contrib.auth.models import User

    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="not created under production settings"):
        call_command("seed_demo")
    assert not User.objects.exists()
    call_command("seed_demo", "--reference-only")
    assert not User.objects.exists()
