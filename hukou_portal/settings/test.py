"""Settings for the test suite: production-like (DEBUG off) with demo commands allowed.

DATABASE_URL points the suite at PostgreSQL (``.ci/run`` does); without it, SQLite.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DEMO_DATA_ALLOWED = True

# Password hashing is not what the suite measures.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests read static files from the finders; no collectstatic needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")
