"""The denouncer vault: identities sealed with AES-256-GCM under a key from configuration.

The key never enters the database; a row holds nonce + ciphertext only, and its id is bound
into the tag as associated data, so a ciphertext copied onto another row fails to open."""

from __future__ import annotations

import json
import os
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.ext.asyncio import AsyncSession

from reception.adapters.db.tables import cases as t
from reception.domain.cases.denouncer import DenouncerIdentity

NONCE_BYTES = 12


class VaultCorrupted(Exception):
    """The ciphertext does not open under the configured key."""


class IdentitySealer:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, vault_id: uuid.UUID, identity: DenouncerIdentity) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        plain = json.dumps(identity.as_dict(), ensure_ascii=False).encode()
        return nonce + self._aead.encrypt(nonce, plain, vault_id.bytes)

    def open(self, vault_id: uuid.UUID, sealed: bytes) -> DenouncerIdentity:
        try:
            plain = self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], vault_id.bytes)
        except InvalidTag as error:
            raise VaultCorrupted(str(vault_id)) from error
        return DenouncerIdentity(**json.loads(plain))


class SqlVault:
    """Vault rows in the database, sealed by an IdentitySealer (unit-of-work repository)."""

    def __init__(self, session: AsyncSession, sealer: IdentitySealer | None) -> None:
        self._s = session
        self._sealer_or_none = sealer

    @property
    def _sealer(self) -> IdentitySealer:
        if self._sealer_or_none is None:  # a unit of work built without the vault key
            raise RuntimeError("the denouncer vault needs VAULT_KEY (wire an IdentitySealer)")
        return self._sealer_or_none

    async def put(self, identity: DenouncerIdentity) -> uuid.UUID:
        vault_id = uuid.uuid4()
        self._s.add(t.DenouncerVault(id=vault_id, ciphertext=self._sealer.seal(vault_id, identity)))
        await self._s.flush()
        return vault_id

    async def get(self, vault_id: uuid.UUID) -> DenouncerIdentity | None:
        row = await self._s.get(t.DenouncerVault, vault_id)
        return self._sealer.open(vault_id, row.ciphertext) if row else None
