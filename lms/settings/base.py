"""Settings shared by every shape of running (embedded, test, production).

Everything that differs between a laptop and a deployment is read from the environment here or in
``production.py``; the embedded default needs no environment at all.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "lms"


def env_list(name: str, default: str = "") -> list[str]:
    """Return a comma-separated environment variable as a list without blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    """Return an environment flag: 1/true/yes/on are true."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # our apps first so that their templates and translations win
    "lms",
    "lms.people",
    "lms.trainers",
    "lms.cascade",
    "lms.grading",
    "lms.ojt",
    "lms.reports",
    "lms.api",
    "courses",
    "assessments",
    "content",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (with the /admin/ relaxations) and Permissions-Policy on every response;
    # early, so that request.csp_nonce exists for every later middleware and view
    "lms.middleware.ContentSecurityPolicyMiddleware",
    "lms.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, but under /api/ no language redirects and Accept-Language first
    "lms.middleware.LocaleMiddleware",
    "lms.middleware.AdminLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the user (their roles and permissions) from the cache: no user query per request
    "lms.people.auth.CachedAuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "courses.routing.CachedRouteMiddleware",
    # last, so that it sees the response of a failed login
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lms.navigation.navigation",
            ],
        },
    },
]

# Database: the embedded default is an SQLite file in the project folder; DATABASE_URL selects
# PostgreSQL (psycopg 3) in production and CI.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DATABASE_IS_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# SQLite under concurrent writes (two tabs saving H5P state): readers do not block the writer (WAL),
# a transaction takes the write lock when it begins instead of failing to upgrade a read lock half-way
# (IMMEDIATE), and a writer waits up to 20 s for another instead of failing with "database is locked".
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and sessions: Redis when REDIS_URL is set, so that app servers keep no state (sessions are read
# from Redis and also written to the database, so a restart of Redis signs nobody out);
# process-local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lms",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # One process (runserver, tests). Production without Redis shares a file cache between its
    # workers instead (see production.py), so a publish invalidates every worker's navigation.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background tasks (Wagtail uses django-tasks): immediate in the embedded default, the database
# backend with `manage.py db_worker` in production.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "lms.people.auth.CachedPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed logins: five failures for one username from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "lms.people.auth.client_ip"
# How many reverse proxies (nginx, a load balancer) stand in front of the app and append to
# X-Forwarded-For; 0 means REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# xAPI and state reports of the H5P player a learner may send per minute (a player sends a few per answer)
H5P_RATE_LIMIT = int(os.environ.get("H5P_RATE_LIMIT", "120"))
# Hosts the H5P player may play audio and video from (its media-src), e.g. "https://media.example.org", separated
# by commas. None by default: the networks are closed, and packages carry their media.
H5P_REMOTE_MEDIA_HOSTS = [host.strip() for host in os.environ.get("H5P_REMOTE_MEDIA_HOSTS", "").split(",") if host.strip()]
# commits of the SCORM runtime a learner may send per minute (autocommit sends one every 15 seconds)
SCORM_RATE_LIMIT = int(os.environ.get("SCORM_RATE_LIMIT", "120"))
# password reset links asked for per e-mail address and minute (three times that per client address)
PASSWORD_RESET_RATE_LIMIT = int(os.environ.get("PASSWORD_RESET_RATE_LIMIT", "3"))

# Certificate checks (the public /<lang>/verify/<code>/ page) one address may make per minute
VERIFY_RATE_LIMIT = int(os.environ.get("VERIFY_RATE_LIMIT", "30"))

# Languages: English is the source of the content; Turkmen is the default for people.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("tk", "Türkmençe"),
    ("ru", "Русский"),
    ("en", "English"),
]
DEFAULT_USER_LANGUAGE = "tk"
# Wagtail's admin has no Turkmen catalogue: Turkmen-speaking editors get it in Russian.
ADMIN_LANGUAGE_FALLBACKS = {"tk": "ru"}
WAGTAILADMIN_PERMITTED_LANGUAGES = [("en", "English"), ("ru", "Русский")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ashgabat"
# Our own date formats for tk (Django's copy the Russian "г.") and en (day first, not American).
FORMAT_MODULE_PATH = ["lms.formats"]
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
# Front-end packages come from the npm registry at install time (npm ci) and are served by the app.
STATICFILES_DIRS = [
    BASE_DIR / "lms" / "static",
    ("vendor/noto-sans", BASE_DIR / "node_modules" / "@fontsource" / "noto-sans"),
    ("vendor/h5p-standalone", BASE_DIR / "node_modules" / "h5p-standalone" / "dist"),
    ("vendor/scorm-again", BASE_DIR / "node_modules" / "scorm-again" / "dist"),
]
STATIC_ROOT = BASE_DIR / "static_collected"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media/"
# Uploaded packages (H5P and SCORM) are kept outside MEDIA_ROOT, where no media route or web server
# location serves them: only the token view does, sandboxed (see content/storage.py).
PACKAGES_ROOT = Path(os.environ.get("PACKAGES_ROOT") or BASE_DIR / "var" / "packages")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "packages": {"BACKEND": "content.storage.PackageStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = _("Anti-trafficking training")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Wagtail's database backend, fed only words (content.search)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "content.search"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# new images and documents go through the virus scanner (content.virusscan) when one is configured
WAGTAILIMAGES_IMAGE_FORM_BASE = "content.forms.ScannedImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "content.forms.ScannedDocumentForm"
WAGTAILEMBEDS_FINDERS = []  # closed networks: no oEmbed providers
WAGTAIL_ALLOW_UNICODE_SLUGS = True
# Draftail that opens any stored rich text (content/widgets.py) instead of failing on markup it cannot map
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "content.widgets.RichTextEditor"}}

# Virus scanning of uploads with ClamAV's daemon (content.virusscan), off unless one of these is set: a Unix
# socket, or a host and port. A configured scanner that cannot be reached refuses uploads (fail closed).
CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "")
CLAMD_HOST = os.environ.get("CLAMD_HOST", "")
CLAMD_PORT = int(os.environ.get("CLAMD_PORT") or 3310)
CLAMD_TIMEOUT = int(os.environ.get("CLAMD_TIMEOUT") or 30)

# Nothing comes from the internet: no avatars from gravatar.com in the admin (Wagtail's initials instead),
# and the admin's home does not ask releases.wagtail.org for a newer version.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Content-Security-Policy (django-csp 4) of every page: scripts, styles, fonts, frames and requests come
# from this site only; an inline <script> or <style> runs only with the response's nonce
# (nonce="{{ request.csp_nonce }}"), and no style="" or on*="" attribute is obeyed. The H5P player sets a
# policy of its own (a sandbox, content/h5p/views.py), which this one does not replace. The Wagtail
# admin gets the relaxations it needs under /admin/ only, and its previews frame-ancestors 'self'
# (lms.middleware.ContentSecurityPolicyMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "font-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        # the lesson page embeds the H5P player (/h5p/<token>/player/)
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Powerful browser features the site never uses stay off (lms.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"

# The REST API under /api/v1/ (lms.api): a browser session or a personal token, signed-in users only,
# pages of 50, and an OpenAPI schema drawn from the views (drf-spectacular).
REST_FRAMEWORK = {
    # the token first: a request without credentials gets 401 with "WWW-Authenticate: Token"
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # bodies are JSON (a session's days and attendance sheets are nested, which forms cannot carry)
    # (too deep a body, or a lone surrogate in it, is a 400)
    "DEFAULT_PARSER_CLASSES": ["lms.api.parsers.JSONBodyParser"],
    # JSON only: the browsable API is off (a client asking for HTML gets JSON, or 406 if it accepts nothing else)
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "lms.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Anti-trafficking training LMS API",
    "DESCRIPTION": "Cascade sessions, rosters, attendance, the trainer registry and the reach of the cascade.",
    "VERSION": "1.0.0",
    # OpenAPI 3.1: its schemas are plain JSON Schema, so clients (and our tests) validate bodies with them
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["lms.api.schema.api_endpoints_only"],
}

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "lms@localhost")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Demo accounts are created by `manage.py seed_demo` only where this is true.
DEMO_DATA_ALLOWED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # PDF printing (paper tests, certificates) logs every step at INFO
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
