"""Settings for the test suite: production-like (DEBUG off) with demo commands allowed.

DATABASE_URL points the suite at PostgreSQL (``.ci/run`` does); without it, SQLite.
"""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = False
AUDIT_CHAIN_KEY = "test-only-audit-chain-key-0123456789-abcdefghijklmnop"
ID_NUMBER_KEY = "test-only-id-number-key-0123456789-abcdefghijklmnopqr"
ID_NUMBER_RETIRED_KEYS = []
ID_NUMBER_INDEX_KEY = "test-only-id-number-index-key-0123456789-abcdefghijk"
SECRET_KEY = "test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DEMO_DATA_ALLOWED = True

# Password hashing is not what the suite measures.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests read static files from the finders; documents go to a fresh private folder per run.
DOCUMENT_ROOT = tempfile.mkdtemp(prefix="hukou-documents-")
STORAGES = {
    **STORAGES,  # noqa: F405
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DOCUMENT_ROOT, "base_url": None, "file_permissions_mode": 0o600},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")

# On SQLite, a file (not shared-cache memory) so that threads of one test wait for each other's
# write lock as the real portal's processes do, instead of failing with "table is locked".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.mkdtemp(prefix="hukou-test-db-")) / "test.sqlite3")}  # noqa: F405

# Fresh e-permit keys per run: "test-2" signs; "test-1" is a retired key whose public half is
# still published, as after a rotation.
from . import epermit_keys  # noqa: E402

_retired, _active = epermit_keys.new_keyset("test-1"), epermit_keys.new_keyset("test-2")
EPERMIT_KEYS = {
    "active": "test-2",
    "private": {**_retired["private"], **_active["private"]},
    "public": {**_retired["public"], **_active["public"]},
}
