"""Production settings refuse to start unsafely and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SAFE_KEY = "prod-" + "k3y-" * 15


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "hukou_portal.settings.production", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_debug():
    result = run_manage("check", DEBUG="true", SECRET_KEY=SAFE_KEY, ALLOWED_HOSTS="hukou.example")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_refuses_a_missing_secret_key():
    result = run_manage("check", ALLOWED_HOSTS="hukou.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_missing_epermit_keys():
    result = run_manage("check", SECRET_KEY=SAFE_KEY, ALLOWED_HOSTS="hukou.example", EPERMIT_KEYS_FILE="")
    assert result.returncode != 0
    assert "EPERMIT_KEYS_FILE" in result.stderr


def test_production_passes_the_deployment_checks(tmp_path):
    import json

    from hukou_portal.settings.epermit_keys import new_keyset

    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps(new_keyset("prod-1")))
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=SAFE_KEY,
        ALLOWED_HOSTS="hukou.example",
        EPERMIT_KEYS_FILE=str(keys),
        AUDIT_CHAIN_KEY="prod-audit-" + "c4a1n-" * 6,
        ID_NUMBER_KEY="prod-id-number-" + "s3al-" * 8,
        ID_NUMBER_INDEX_KEY="prod-id-index-" + "bl1nd-" * 7,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_base_settings_are_chinese_first_in_shanghai():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.SESSION_COOKIE_AGE == 15 * 60


def test_suite_runs_on_the_database_it_was_given(db):
    """CI sets DATABASE_URL to PostgreSQL; make sure the suite really talks to it."""
    import os

    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected
