"""Production settings as the two-node test runs them: plain HTTP on loopback, static files from the finders
(no collectstatic in a test), everything else as ``lms.settings.production`` reads it from the environment."""

from lms.settings.production import *  # noqa: F401,F403
from lms.settings.production import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
SECURE_HSTS_SECONDS = 0
