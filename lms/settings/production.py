"""Production: PostgreSQL, Redis, the database task backend, whitenoise behind nginx.

Every value comes from the environment; see README.md ("Production settings").
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env_bool, env_list

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters in production."
    )
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name the host(s) this site answers on.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

DEMO_DATA_ALLOWED = False

# TLS is terminated by nginx, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # Wagtail previews opt in to SAMEORIGIN themselves

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # package files: under PACKAGES_ROOT, never under MEDIA_ROOT (nginx must not serve them)
    "packages": {"BACKEND": "content.storage.PackageStorage"},
}
# Media on S3-compatible storage when a bucket is named (needs the `s3` extra).
if os.environ.get("MEDIA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["MEDIA_S3_BUCKET"],
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            "access_key": os.environ.get("MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    # Package files under a private prefix (or a bucket of their own): the app reads them and serves
    # them sandboxed through the token view; no URL to them is ever handed out.
    STORAGES["packages"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **STORAGES["default"]["OPTIONS"],
            "bucket_name": os.environ.get("PACKAGES_S3_BUCKET") or os.environ["MEDIA_S3_BUCKET"],
            "location": os.environ.get("PACKAGES_S3_PREFIX", "private/packages"),
            "default_acl": "private",
        },
    }

# Without Redis, the workers share a file cache: a per-process memory cache would keep serving the
# navigation and permissions of before a publish or a role change in the other workers.
if not REDIS_URL:  # noqa: F405
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR") or str(BASE_DIR / "var" / "cache"),  # noqa: F405
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
# Sessions are read from the cache (Redis, or the shared file cache) and written through to the database:
# no session query per request, and no one is signed out when the cache is emptied.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
