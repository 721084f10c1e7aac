"""Settings shared by every environment.

Everything that differs between machines is read from the environment (django-environ).
Without any variable set the portal runs on its zero-setup default: a SQLite file and
Celery's filesystem transport, both under ``var/``. ``local.py`` (the default of manage.py),
``production.py`` and ``test.py`` build on this module.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("HUKOU_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_celery_beat",
    "django_filters",
    "django_tables2",
    "rest_framework",
    "drf_spectacular",
    # the portal's shared machinery
    "hukou_portal.core",
    "hukou_portal.accounts",
    "hukou_portal.audit",
    "hukou_portal.people",
    "hukou_portal.rules",
    "hukou_portal.casework",
    "hukou_portal.notifications",
    # the domain apps of the design card
    "registration",
    "permits",
    "settlement",
    # the evaluation (policy section 04): exports of the lists; the dashboard later
    "hukou_portal.stats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hukou_portal.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Denied accesses and refused actions into the audit trail: around everything that denies.
    "hukou_portal.audit.middleware.DenialAuditMiddleware",
    "hukou_portal.accounts.session_limits.AbsoluteSessionLimitMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hukou_portal.accounts.middleware.SecondFactorRequiredMiddleware",
    "hukou_portal.accounts.password_policy.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A citizen ID number in a query string is dropped before any view (docs/personal-data.md).
    "hukou_portal.core.middleware.IdNumbersStayOutOfAddressesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # django-axes must come last: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hukou_portal.urls"
WSGI_APPLICATION = "hukou_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hukou_portal.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL=postgres://user:pass@host:5432/name in production and CI; a SQLite file otherwise.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'hukou.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server, the worker and beat share the file; IMMEDIATE transactions take
    # the write lock up front instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every process in production (CACHE_URL=redis://…); local.py uses a folder of var/.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- Accounts and sign-in ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, the permissions kept in the cache (accounts.authz).
    "hukou_portal.accounts.backends.PortalBackend",
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # No reuse of the current or the last five passwords.
    {"NAME": "hukou_portal.accounts.password_policy.PasswordHistoryValidator"},
]

# Sessions end after 15 minutes without a request (a request renews the limit, saving the
# session at most once a minute: accounts/session_limits.py).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=15 * 60)
SESSION_SAVE_EVERY_REQUEST = False
# Absolute limit: a session ends this long after sign-in whatever the activity (session_limits.py).
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=10 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# django-axes (accounts/lockout.py): five failures within fifteen minutes lock the pair of
# username and address for fifteen minutes — an attacker elsewhere cannot lock the officer at the
# counter out by guessing, and rotating user agents or cookies does not reset the count. Thirty
# failures from one address across any usernames lock that address (password spraying); set high
# because a station's officers share one NAT address.
LOCKOUT_PAIR_FAILURES = env.int("LOCKOUT_PAIR_FAILURES", default=5)
LOCKOUT_ADDRESS_FAILURES = env.int("LOCKOUT_ADDRESS_FAILURES", default=30)
AXES_FAILURE_LIMIT = "hukou_portal.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Trust X-Forwarded-For only when PROXY_COUNT says how many proxies stand in front of us;
# otherwise a client could forge the address that the lockouts and the audit trail record.
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=None)
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# django-otp: TOTP for every staff account (accounts.middleware), each code valid for its own
# 30-second step only (devices are created with tolerance 0: accounts.services).
OTP_TOTP_ISSUER = "湖州户政业务平台"
OTP_TOTP_THROTTLE_FACTOR = 1

# --- Content-Security-Policy: everything from our own origin, nothing inline ---------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files (vendored; the police intranet has no internet) ------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
# Case documents: private, under a random name, outside every URL; served only by a view that
# checks the user may see the case. On S3-compatible storage in a multi-node deployment.
DOCUMENT_ROOT = env.str("DOCUMENT_ROOT", default=str(VAR_DIR / "documents"))
CASE_DOCUMENT_MAX_BYTES = env.int("CASE_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Images larger than this many pixels are refused before they are decoded (decompression bombs).
CASE_DOCUMENT_MAX_PIXELS = env.int("CASE_DOCUMENT_MAX_PIXELS", default=40_000_000)
# People's ID photos (一窗通拍, people/photos.py): kept in the document storage under photos/, as
# 358×441 JPEGs; the file as it came may be this large, and its picture this many pixels.
PERSON_PHOTO_MAX_BYTES = env.int("PERSON_PHOTO_MAX_BYTES", default=10 * 1024 * 1024)
PERSON_PHOTO_MAX_PIXELS = env.int("PERSON_PHOTO_MAX_PIXELS", default=40_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o600
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DOCUMENT_ROOT, "base_url": None, "file_permissions_mode": 0o600},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- REST API (DRF): signed-in staff only, session auth with CSRF -----------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # 429 with Retry-After and a Chinese message; the rate is RATE_LIMITS["api"].
    "DEFAULT_THROTTLE_CLASSES": ["hukou_portal.core.throttling.ApiRateThrottle"],
}
# Denied accesses and refused actions are audited one by one up to this many per user and
# minute; past it they are counted and summarised in one event (audit/middleware.py).
AUDIT_DENIALS_PER_MINUTE = env.int("AUDIT_DENIALS_PER_MINUTE", default=10)
# Rate limits (core/throttling.py, docs/security.md): "<count>/<sec|min|hour|day>". Counted in
# the default cache, which must be shared by every worker process (CACHE_URL=redis://...).
RATE_LIMITS = {
    "verify": env.str("RATE_LIMIT_VERIFY", default="30/min"),  # public e-permit check, per address
    "search": env.str("RATE_LIMIT_SEARCH", default="60/min"),  # header search, per user
    "api": env.str("RATE_LIMIT_API", default="120/min"),  # /api/v1/..., per user
    "export": env.str("RATE_LIMIT_EXPORT", default="5/min"),  # list exports (stats/), per user
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hukou Portal API",
    "DESCRIPTION": "Settlement pre-check (ELIGIBILITY.md) and the portal's other services.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema maps every endpoint and field: signed-in users only (anonymous: 403).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

# --- Celery -----------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "filesystem://"  # empty means unset
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's filesystem transport: one folder of message files shared by web, worker and beat.
    _celery_queue_dir = VAR_DIR / "celery" / "queue"
    _celery_control_dir = VAR_DIR / "celery" / "control"
    for _folder in (_celery_queue_dir, _celery_control_dir):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_queue_dir),
        "data_folder_out": str(_celery_queue_dir),
        "control_folder": str(_celery_control_dir),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith("redis"):
    # An unacknowledged task (acks_late: its worker died) is handed out again after this long.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DJANGO_CELERY_BEAT_TZ_AWARE = True

# --- Logging: to stderr; never a password, token or full ID number -----------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "hukou_portal.core.request_context.RequestIdLogFilter"},
        "redact_id_numbers": {"()": "hukou_portal.core.redaction.RedactIdNumbersLogFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id", "redact_id_numbers"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # pikepdf announces its logger bridge at INFO on import: not a line for a command's stderr.
        "axes": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
        # runserver's access log ("GET /path?query" status size): through the redacting handler,
        # not Django's own, which would print a query string's ID number as it came.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- Electronic residence permits: Ed25519 keys from a file outside the repository ----------------
EPERMIT_KEYS_FILE = env.str("EPERMIT_KEYS_FILE", default="")
EPERMIT_KEYS: dict[str, Any] | None = None  # set by local.py / production.py / test.py

# --- Audit trail: the chain is an HMAC with a key kept outside the database ---------------------
# AUDIT_CHAIN_KEY signs new events; AUDIT_CHAIN_RETIRED_KEYS (comma-separated) still verify the
# events signed before a rotation. Each event stores the id (fingerprint) of the key it used.
AUDIT_CHAIN_KEY = env.str("AUDIT_CHAIN_KEY", default="")
AUDIT_CHAIN_RETIRED_KEYS: list[str] = env.list("AUDIT_CHAIN_RETIRED_KEYS", default=[])
# Events are chained in this many independent lanes, so that concurrent writers do not queue
# behind one lock (audit/services.py). Lowering it later is safe: old lanes just stop growing.
AUDIT_CHAIN_LANES = env.int("AUDIT_CHAIN_LANES", default=16)
# Where the daily anchor (manage.py audit_anchor) appends the head of each lane.
AUDIT_ANCHOR_FILE = env.str("AUDIT_ANCHOR_FILE", default=str(VAR_DIR / "audit-anchors.jsonl"))

# --- Citizen ID numbers at rest (people/id_vault.py, docs/personal-data.md) ---------------------
# ID_NUMBER_KEY seals ID numbers (AES-256-GCM); ID_NUMBER_RETIRED_KEYS (comma-separated) still open
# the numbers sealed before a rotation, until ``manage.py rotate_id_number_key`` has re-sealed them.
# ID_NUMBER_INDEX_KEY keys the blind index (HMAC-SHA256) that every lookup by number goes through.
# Secrets from the environment, never in the database; each row stores its key's fingerprint.
ID_NUMBER_KEY = env.str("ID_NUMBER_KEY", default="")
ID_NUMBER_RETIRED_KEYS: list[str] = env.list("ID_NUMBER_RETIRED_KEYS", default=[])
ID_NUMBER_INDEX_KEY = env.str("ID_NUMBER_INDEX_KEY", default="")

# --- Reminders: SMS through the gateway chosen here ---------------------------------------------
SMS_GATEWAY = env.str("SMS_GATEWAY", default="log")  # log | http
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_KEY = env.str("SMS_GATEWAY_KEY", default="")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=10.0)
SMS_LOG_FILE = env.str("SMS_LOG_FILE", default=str(VAR_DIR / "sms.log"))
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")

# --- The portal -------------------------------------------------------------------------------
# seed_demo and demo_otp_code refuse to run where this is off (production).
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=False)
