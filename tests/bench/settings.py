"""Settings for the page benchmark: the embedded database, DEBUG off, sessions as production reads them
(cached_db), and Redis for the cache when REDIS_URL is set (bench_pages.py starts one when it can)."""

from lms.settings.base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = "benchmark-only-key"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
