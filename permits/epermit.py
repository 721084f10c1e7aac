"""Electronic residence permits (电子居住证, R2.1): compact tokens signed with Ed25519.

A token is ``<payload>.<signature>``, both base64url without padding; the payload is compact
JSON with the key id (``kid``), so keys can rotate: a new key signs new permits, and the public
keys of retired ones stay published so earlier tokens still verify. Anyone can check a token
offline with the published public key (``/verify/keys.json``); the public page ``/verify/<token>``
also checks the permit's current state, so a revoked permit never shows as valid.
"""

import base64
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class TokenInvalid(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # malformed | unknown_key | bad_signature


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Keys:
    active_kid: str
    private: dict[str, str]  # kid -> base64 raw 32-byte seed (the active one at least)
    public: dict[str, str]  # kid -> base64 raw 32-byte public key (every key ever used)


def keys() -> Keys:
    config = settings.EPERMIT_KEYS
    if config is None:  # every settings module sets it; base.py alone does not
        raise ImproperlyConfigured("EPERMIT_KEYS is not configured (settings: local, production or test).")
    return Keys(active_kid=config["active"], private=config["private"], public=config["public"])


def sign(payload: dict[str, Any]) -> tuple[str, str]:
    """Sign ``payload`` with the active key; returns (token, key id)."""
    current = keys()
    private = Ed25519PrivateKey.from_private_bytes(base64.b64decode(current.private[current.active_kid]))
    body = _b64encode(
        json.dumps({**payload, "kid": current.active_kid}, ensure_ascii=False, separators=(",", ":")).encode()
    )
    return f"{body}.{_b64encode(private.sign(body.encode('ascii')))}", current.active_kid


def verify(token: str) -> dict[str, Any]:
    """The payload of a genuine token; ``TokenInvalid`` for anything else."""
    try:
        body, signature = token.split(".")
        payload = json.loads(_b64decode(body))
        raw_signature = _b64decode(signature)
    except (ValueError, UnicodeDecodeError):
        raise TokenInvalid("malformed") from None
    if not isinstance(payload, dict):
        raise TokenInvalid("malformed")
    public = keys().public.get(str(payload.get("kid")))
    if public is None:
        raise TokenInvalid("unknown_key")
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public)).verify(raw_signature, body.encode("ascii"))
    except InvalidSignature:
        raise TokenInvalid("bad_signature") from None
    return payload
