"""The zero-setup default: ``make run`` on a laptop or a counter PC for a demo.

DEBUG is on, a fixed development key is used unless SECRET_KEY is set, and the demo data
commands are allowed. Never deploy with these settings: use ``production.py``.
"""

from pathlib import Path

from .base import *  # noqa: F403
from .base import EPERMIT_KEYS_FILE, VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="local-development-key-not-for-production-use-0123456789")
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=True)

VAR_DIR.mkdir(parents=True, exist_ok=True)

from . import epermit_keys  # noqa: E402

EPERMIT_KEYS = epermit_keys.load_or_create(Path(EPERMIT_KEYS_FILE or VAR_DIR / "epermit-keys.json"))
