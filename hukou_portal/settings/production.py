"""Production settings: everything from the environment, and refusal to start unsafely.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CELERY_BROKER_URL, EPERMIT_KEYS_FILE,
AUDIT_CHAIN_KEY, ID_NUMBER_KEY and ID_NUMBER_INDEX_KEY (at least 32 characters each; the last two
different). DEBUG must be off.
``manage.py check --deploy --fail-level WARNING`` passes under these settings.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from . import epermit_keys
from .base import *  # noqa: F403
from .base import (
    AUDIT_CHAIN_KEY,
    DEBUG,
    EPERMIT_KEYS_FILE,
    ID_NUMBER_INDEX_KEY,
    ID_NUMBER_KEY,
    ID_NUMBER_RETIRED_KEYS,
    SECRET_KEY,
    env,
)

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (unset DEBUG or set DEBUG=false).")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

if not EPERMIT_KEYS_FILE:
    raise ImproperlyConfigured("EPERMIT_KEYS_FILE must name the e-permit keys file (manage.py epermit_keygen).")
EPERMIT_KEYS = epermit_keys.load(Path(EPERMIT_KEYS_FILE))

if len(AUDIT_CHAIN_KEY) < 32:
    raise ImproperlyConfigured(
        "AUDIT_CHAIN_KEY must be set in production (at least 32 random characters, kept outside the database)."
    )

# Citizen ID numbers are sealed at rest (people/id_vault.py): without the keys nothing is stored.
if len(ID_NUMBER_KEY) < 32 or len(ID_NUMBER_INDEX_KEY) < 32:
    raise ImproperlyConfigured(
        "ID_NUMBER_KEY and ID_NUMBER_INDEX_KEY must be set in production (at least 32 random characters each, "
        "kept outside the database): they encrypt and index citizen ID numbers."
    )
if ID_NUMBER_INDEX_KEY == ID_NUMBER_KEY or ID_NUMBER_INDEX_KEY in ID_NUMBER_RETIRED_KEYS:
    raise ImproperlyConfigured("ID_NUMBER_INDEX_KEY must be a secret of its own, not an encryption key.")
if any(len(key) < 32 for key in ID_NUMBER_RETIRED_KEYS):
    raise ImproperlyConfigured("Every key in ID_NUMBER_RETIRED_KEYS has at least 32 characters.")

# The intranet terminates TLS at the load balancer; it says so with X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

DEMO_DATA_ALLOWED = False
