"""Loading (and, for the zero-setup demo, creating) the e-permit signing keys.

The keys file is JSON: {"active": kid, "private": {kid: base64 seed}, "public": {kid: base64}}.
Kept outside the repository (EPERMIT_KEYS_FILE; var/epermit-keys.json in the demo). Rotate with
``manage.py epermit_keygen --rotate``: a new active key; the public keys of the old ones stay.
"""

import base64
import json
import os
from pathlib import Path
from typing import Any


def new_key() -> tuple[str, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(seed).decode(), base64.b64encode(public).decode()


def new_keyset(kid: str) -> dict[str, Any]:
    seed, public = new_key()
    return {"active": kid, "private": {kid: seed}, "public": {kid: public}}


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def load_or_create(path: Path, kid: str = "demo-1") -> dict[str, Any]:
    """The demo's keys: created on first use, readable by the owner only."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(new_keyset(kid), indent=2), encoding="utf-8")
        os.chmod(path, 0o600)
    return load(path)
