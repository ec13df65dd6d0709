"""The embedded default: one command, nothing else to install."""

import os

from .base import *  # noqa: F401,F403

DEBUG = True
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
# runserver serves static files from the finders; collectstatic is for production.
STATIC_ROOT = None
