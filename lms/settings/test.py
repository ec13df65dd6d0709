"""Settings for the pytest suite: fast hashing, in-memory mail and cache, immediate tasks, temporary files."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F401,F403

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Uploads of a test run (H5P packages among them) go to a folder of their own, removed at exit.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="lms-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
PACKAGES_ROOT = Path(tempfile.mkdtemp(prefix="lms-test-packages-"))
atexit.register(shutil.rmtree, PACKAGES_ROOT, ignore_errors=True)
WAGTAILADMIN_BASE_URL = "http://testserver"
# Static files come from the finders (npm packages included), never from a collected folder.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

