"""The zero-setup default: ``make run`` on a laptop or a counter PC for a demo.

DEBUG is on, a fixed development key is used unless SECRET_KEY is set, and the demo data
commands are allowed. Never deploy with these settings: use ``production.py``.
"""

from pathlib import Path

from .base import *  # noqa: F403
from .base import AUDIT_CHAIN_KEY, EPERMIT_KEYS_FILE, VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="local-development-key-not-for-production-use-0123456789")
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=True)

VAR_DIR.mkdir(parents=True, exist_ok=True)

from . import epermit_keys  # noqa: E402

EPERMIT_KEYS = epermit_keys.load_or_create(Path(EPERMIT_KEYS_FILE or VAR_DIR / "epermit-keys.json"))

# The demo's audit-chain key: created on first use in var/, unless AUDIT_CHAIN_KEY is set.
if not AUDIT_CHAIN_KEY:
    import secrets

    _audit_key_file = VAR_DIR / "audit-chain-key"
    if not _audit_key_file.exists():
        _audit_key_file.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        _audit_key_file.chmod(0o600)
    AUDIT_CHAIN_KEY = _audit_key_file.read_text(encoding="utf-8").strip()
