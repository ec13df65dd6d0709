"""Settings for the page benchmark: the embedded database, DEBUG off, as a deployment would run."""

from lms.settings.base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = "benchmark-only-key"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
