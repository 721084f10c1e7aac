"""The zero-setup default: ``make run`` on a laptop or a counter PC for a demo.

DEBUG is on, a fixed development key is used unless SECRET_KEY is set, and the demo data
commands are allowed. Never deploy with these settings: use ``production.py``.
"""

import os
import secrets
from pathlib import Path

from .base import *  # noqa: F403
from .base import AUDIT_CHAIN_KEY, EPERMIT_KEYS_FILE, ID_NUMBER_INDEX_KEY, ID_NUMBER_KEY, VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="local-development-key-not-for-production-use-0123456789")
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=True)

VAR_DIR.mkdir(parents=True, exist_ok=True)

# One cache for the web server, the worker and beat (the kept calendar and permissions, the rate
# limits): a folder of var/. Production sets CACHE_URL to Redis.
CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}

from . import epermit_keys  # noqa: E402

EPERMIT_KEYS = epermit_keys.load_or_create(Path(EPERMIT_KEYS_FILE or VAR_DIR / "epermit-keys.json"))


def _demo_secret(path: Path) -> str:
    """A random secret kept in ``path``, created on first use (mode 600). Web, worker and beat
    start together: the file appears whole or not at all (a hard link of a finished file), and
    whoever comes second reads the first one's secret — a key lost to a race would leave the
    ID numbers sealed under it unreadable."""
    if not path.exists():
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        draft.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text(encoding="utf-8").strip()


# The demo's keys: created on first use in var/, unless set in the environment.
AUDIT_CHAIN_KEY = AUDIT_CHAIN_KEY or _demo_secret(VAR_DIR / "audit-chain-key")
ID_NUMBER_KEY = ID_NUMBER_KEY or _demo_secret(VAR_DIR / "id-number-key")
ID_NUMBER_INDEX_KEY = ID_NUMBER_INDEX_KEY or _demo_secret(VAR_DIR / "id-number-index-key")
