"""The built-in issuer's RSA signing keys, persisted in the identity database.

The private key is stored as PKCS#8 PEM encrypted under the service secret, so the database
alone does not let anyone sign tokens. The newest key without a retirement time signs; every
key not yet retired is published in the JWKS, so tokens signed before a rotation keep
verifying until they expire.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import SecretStr
from sqlalchemy import insert, or_, select, update

from dojang.identity.adapters.tables import signing_keys
from dojang.kernel.auth.keys import SIGNING_ALGORITHM
from dojang.kernel.clock import Clock
from dojang.kernel.db import Database

log = structlog.get_logger(__name__)

KEY_SIZE = 2048


class SigningKeyUnreadable(RuntimeError):
    """A stored private key cannot be decrypted: the secret key is not the one it was made with."""


@dataclass(frozen=True)
class SigningKey:
    """The key tokens are signed with now."""

    kid: str
    private_key: rsa.RSAPrivateKey


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def public_jwk(public_key: rsa.RSAPublicKey) -> dict[str, str]:
    """The JWK of an RSA public key, its `kid` being the RFC 7638 thumbprint."""
    numbers = public_key.public_numbers()
    members = {"e": _b64url_uint(numbers.e), "kty": "RSA", "n": _b64url_uint(numbers.n)}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    kid = base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode()
    return {**members, "kid": kid, "use": "sig", "alg": SIGNING_ALGORITHM}


class SigningKeyStore:
    """Creates, persists, caches and rotates the issuer's signing keys."""

    def __init__(
        self, db: Database, secret_key: SecretStr, *, clock: Clock, recheck_seconds: float = 60
    ) -> None:
        self._db = db
        self._password = secret_key.get_secret_value().encode()
        self._clock = clock
        self._recheck = timedelta(seconds=recheck_seconds)
        self._current: SigningKey | None = None
        self._checked_at: datetime | None = None
        self._lock = asyncio.Lock()

    async def ensure_signing_key(self) -> None:
        """Create a signing key unless one exists (run at start); check that it decrypts."""
        if await self._newest_active_kid() is None:
            await self._insert_new_key()
        await self.current()

    async def current(self) -> SigningKey:
        """The key to sign with; re-read now and then, in case another replica rotated."""
        now = self._clock.now()
        if (
            self._current is not None
            and self._checked_at is not None
            and now - self._checked_at < self._recheck
        ):
            return self._current
        async with self._lock:
            kid = await self._newest_active_kid()
            if kid is None:
                kid = await self._insert_new_key()
            if self._current is None or self._current.kid != kid:
                self._current = await self._load(kid)
            self._checked_at = now
            return self._current

    async def public_jwks(self) -> dict[str, Any]:
        """The JWKS document: every key that is not retired yet."""
        now = self._clock.now()
        t = signing_keys
        async with self._db.engine.connect() as conn:
            rows = await conn.execute(
                select(t.c.public_jwk)
                .where(or_(t.c.retire_at.is_(None), t.c.retire_at > now))
                .order_by(t.c.created_at.desc(), t.c.kid)
            )
            return {"keys": [dict(row.public_jwk) for row in rows]}

    async def rotate(self, *, overlap: timedelta) -> str:
        """Sign with a new key from now on; the old ones stay published for `overlap`."""
        now = self._clock.now()
        async with self._lock:
            async with self._db.engine.begin() as conn:
                await conn.execute(
                    update(signing_keys)
                    .where(signing_keys.c.retire_at.is_(None))
                    .values(retire_at=now + overlap)
                )
            kid = await self._insert_new_key()
            self._current = await self._load(kid)
            self._checked_at = now
        log.info("signing_key_rotated", kid=kid)
        return kid

    async def _newest_active_kid(self) -> str | None:
        t = signing_keys
        async with self._db.engine.connect() as conn:
            found = await conn.execute(
                select(t.c.kid)
                .where(t.c.retire_at.is_(None))
                .order_by(t.c.created_at.desc(), t.c.kid)
                .limit(1)
            )
            return found.scalar_one_or_none()

    async def _insert_new_key(self) -> str:
        private_key = await asyncio.to_thread(
            rsa.generate_private_key, public_exponent=65537, key_size=KEY_SIZE
        )
        jwk = public_jwk(private_key.public_key())
        pem = private_key.private_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PrivateFormat.PKCS8,
            encryption_algorithm=serialization.BestAvailableEncryption(self._password),
        )
        async with self._db.engine.begin() as conn:
            await conn.execute(
                insert(signing_keys).values(
                    kid=jwk["kid"],
                    private_key_pem=pem,
                    public_jwk=jwk,
                    created_at=self._clock.now(),
                    retire_at=None,
                )
            )
        log.info("signing_key_created", kid=jwk["kid"])
        return jwk["kid"]

    async def _load(self, kid: str) -> SigningKey:
        async with self._db.engine.connect() as conn:
            found = await conn.execute(
                select(signing_keys.c.private_key_pem).where(signing_keys.c.kid == kid)
            )
            pem: bytes = found.scalar_one()
        try:
            private_key = await asyncio.to_thread(
                serialization.load_pem_private_key, pem, self._password
            )
        except (ValueError, TypeError) as exc:
            raise SigningKeyUnreadable(
                f"signing key {kid} cannot be decrypted; was DOJANG_SECRET_KEY changed?"
            ) from exc
        if not isinstance(private_key, rsa.RSAPrivateKey):
            raise SigningKeyUnreadable(f"signing key {kid} is not an RSA key")
        return SigningKey(kid=kid, private_key=private_key)
