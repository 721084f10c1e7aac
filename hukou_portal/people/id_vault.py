"""Citizen ID numbers at rest: AES-256-GCM ciphertexts and an HMAC blind index (MLPS level 3,
important data confidential in storage).

A row never holds a number in clear. It holds three values:

- ``id_number_index``: HMAC-SHA256 of the normalised number under the *index key*. Equal numbers
  have equal indexes, so an exact lookup (``Person.objects.with_id_number``) and the unique
  constraint work without decrypting anything; the index reveals nothing without the key.
- ``id_number_sealed``: a 12-byte random nonce followed by the AES-GCM ciphertext and tag, under
  the *encryption key*. Its associated data names the column it belongs to and the row's blind
  index (``associated_data``), so a ciphertext copied into another column or another row does
  not decrypt: GCM's tag check fails. (The row's primary key is not known before an insert; the
  blind index is, and is unique among people.)
- ``id_number_key_id``: the fingerprint of the encryption key that sealed it. Keys rotate: the
  current key (``ID_NUMBER_KEY``) seals, retired keys (``ID_NUMBER_RETIRED_KEYS``) still open, and
  ``manage.py rotate_id_number_key`` re-seals the rows of retired keys under the current one.

Two secrets, not one (``ID_NUMBER_KEY``, ``ID_NUMBER_INDEX_KEY``), because their lives differ:
the encryption key is rotated routinely (re-sealing runs while the portal serves, and every
lookup keeps working), whereas changing the index key means recomputing every row's index, and
lookups of rows not yet recomputed fail meanwhile. Derived from one secret, the routine rotation
would change the index too. Both are equally secret: ID numbers have few possible values (an
area, a birth date, a sequence), so the index key and the table suffice to test candidates.
Each secret is a string from the environment; the working keys are derived from it with
HKDF-SHA256 under a label per use, so any long random string gives a full 256-bit key that
serves one purpose only.

Free of model imports: migrations use it with the keys configured when they run.
"""

import functools
import hashlib
import hmac
import os
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from .id_numbers import normalise

INDEX_LENGTH = 64  # hex of HMAC-SHA256
KEY_ID_LENGTH = 16
NONCE_BYTES = 12
SEALED_COLUMNS = ["id_number_index", "id_number_sealed", "id_number_key_id"]

_ENCRYPTION_LABEL = b"hukou-portal/id-number/aes-256-gcm/v1"
_INDEX_LABEL = b"hukou-portal/id-number/blind-index/v1"


class IdNumberUnreadable(Exception):
    """A sealed number that does not open: sealed under a key that is not configured, or not
    sealed for this column and row (copied, altered)."""


def _derive(secret: str, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(secret.encode("utf-8"))


def key_id(secret: str) -> str:
    """A key's public name: a short fingerprint of the secret, stored with each ciphertext."""
    return hashlib.sha256(b"hukou-id-number-key:" + secret.encode("utf-8")).hexdigest()[:KEY_ID_LENGTH]


@functools.lru_cache(maxsize=16)
def _cipher(secret: str) -> AESGCM:
    return AESGCM(_derive(secret, _ENCRYPTION_LABEL))


@functools.lru_cache(maxsize=16)
def _index_key(secret: str) -> bytes:
    return _derive(secret, _INDEX_LABEL)


def current_key() -> tuple[str, str]:
    """(key id, secret) of the key that seals."""
    secret = settings.ID_NUMBER_KEY
    if not secret:
        raise ImproperlyConfigured("ID_NUMBER_KEY is not set: citizen ID numbers cannot be stored.")
    return key_id(secret), secret


def keyring() -> dict[str, str]:
    """Every key that may open a sealed number (the current one and the retired ones), by id.

    Computed once per configuration: cached by the secrets themselves, so a rotation (a new
    ``ID_NUMBER_KEY``, the old one retired) or a test's ``override_settings`` is a new entry, never
    a stale one."""
    return dict(_keyring((settings.ID_NUMBER_KEY, *settings.ID_NUMBER_RETIRED_KEYS)))


@functools.lru_cache(maxsize=16)
def _keyring(secrets: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((key_id(secret), secret) for secret in secrets if secret)


def blind_index(number: str) -> str:
    """The HMAC of the normalised number under the index key (hex): what rows are looked up by."""
    secret = settings.ID_NUMBER_INDEX_KEY
    if not secret:
        raise ImproperlyConfigured("ID_NUMBER_INDEX_KEY is not set: citizen ID numbers cannot be looked up.")
    message = b"id-number:" + normalise(number).encode("utf-8")
    return hmac.new(_index_key(secret), message, hashlib.sha256).hexdigest()


def associated_data(purpose: str, index: str) -> bytes:
    """What a ciphertext is bound to: its column (``people.person.id_number``) and its row's index."""
    return f"{purpose}\x1f{index}".encode()


def seal(number: str, *, purpose: str, index: str) -> tuple[str, bytes]:
    """(key id, nonce + ciphertext) of ``number`` under the current key, for ``purpose`` and the
    row whose blind index is ``index``."""
    current_id, secret = current_key()
    nonce = os.urandom(NONCE_BYTES)
    return current_id, nonce + _cipher(secret).encrypt(nonce, number.encode("utf-8"), associated_data(purpose, index))


def unseal(sealed: bytes, *, key: str, purpose: str, index: str) -> str:
    """The number inside ``sealed``; IdNumberUnreadable when it was not sealed for this column
    and row, was altered, or names a key that is not configured."""
    secret = keyring().get(key)
    if secret is None:
        raise IdNumberUnreadable(f"no configured key has the id {key!r}")
    sealed = bytes(sealed)
    nonce, ciphertext = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    try:
        plain = _cipher(secret).decrypt(nonce, ciphertext, associated_data(purpose, index))
    except InvalidTag as error:
        raise IdNumberUnreadable("the ciphertext does not belong to this column and row, or was altered") from error
    return plain.decode("utf-8")


def opener(*, purpose: str) -> Callable[[bytes | memoryview | None, str, str], str]:
    """``unseal`` for many rows of one column (an export): the keyring's ciphers are looked up
    once, then each call is one AES-GCM decryption. Called as ``open_(sealed, key, index)``; an
    empty ``sealed`` opens as "" (``SealedIdNumber.id_number``), and a key configured after the
    opener was made, or a number that does not open, goes through ``unseal`` (its errors)."""
    ciphers = {key: _cipher(secret) for key, secret in keyring().items()}
    column = associated_data(purpose, "")  # each row's: this, then the row's index

    def open_(sealed: bytes | memoryview | None, key: str, index: str) -> str:
        sealed = bytes(sealed or b"")
        if not sealed:
            return ""
        cipher = ciphers.get(key)
        if cipher is not None:
            try:
                nonce, ciphertext = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
                return cipher.decrypt(nonce, ciphertext, column + index.encode()).decode("utf-8")
            except InvalidTag:
                pass
        return unseal(sealed, key=key, purpose=purpose, index=index)

    return open_


# --- Sealing a clear column (migrations people.0006 and settlement.0004) -------------------------


def seal_clear_column(model: Any, *, purpose: str, using: str, batch_size: int = 1000) -> int:
    """Seal every row of ``model`` (a historical model with the clear ``id_number`` column and
    the three sealed ones) that is not sealed yet, with the keys configured now; returns how many.

    Rows are read in batches of ``batch_size`` by primary key (a keyset, never the whole table in
    memory) and each batch is written in its own transaction: an interrupted run keeps what it
    did, and running it again seals only what is left (idempotent)."""
    manager = model._default_manager.db_manager(using)
    sealed, after = 0, 0
    while True:
        with transaction.atomic(using=using):
            rows = list(
                manager.select_for_update()
                .filter(pk__gt=after, id_number_sealed__isnull=True)
                .order_by("pk")
                .only("pk", "id_number")[:batch_size]
            )
            if not rows:
                return sealed
            for row in rows:
                number = normalise(row.id_number or "")
                row.id_number_index = blind_index(number)
                row.id_number_key_id, row.id_number_sealed = seal(number, purpose=purpose, index=row.id_number_index)
            manager.bulk_update(rows, SEALED_COLUMNS)
        sealed += len(rows)
        after = rows[-1].pk


def open_sealed_column(
    model: Any, *, purpose: str, using: str, keep_sealed: bool = False, batch_size: int = 1000
) -> int:
    """The reverse of ``seal_clear_column``: each sealed number back into ``id_number``, and the
    sealed columns emptied as they were before sealing (unless ``keep_sealed``: the state
    between sealing and dropping the clear column, where both are filled)."""
    manager = model._default_manager.db_manager(using)
    opened, after = 0, 0
    while True:
        with transaction.atomic(using=using):
            rows = list(
                manager.select_for_update()
                .filter(pk__gt=after, id_number_sealed__isnull=False)
                .order_by("pk")
                .only("pk", "id_number_index", "id_number_sealed", "id_number_key_id")[:batch_size]
            )
            if not rows:
                return opened
            for row in rows:
                row.id_number = unseal(
                    row.id_number_sealed, key=row.id_number_key_id, purpose=purpose, index=row.id_number_index
                )
                if not keep_sealed:
                    row.id_number_index = row.id_number_sealed = row.id_number_key_id = None
            manager.bulk_update(rows, ["id_number"] if keep_sealed else ["id_number", *SEALED_COLUMNS])
        opened += len(rows)
        after = rows[-1].pk


def ensure_column_sealed(model: Any, *, using: str) -> None:
    """Refuse to drop the clear column while a row is not sealed (it would lose the number)."""
    left = model._default_manager.db_manager(using).filter(id_number_sealed__isnull=True).count()
    if left:
        raise RuntimeError(f"{left} rows of {model._meta.label} are not sealed yet: run migrate again.")
