"""The issuer's signing keys: created once, encrypted at rest, kept across restarts, rotated."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import SecretStr
from sqlalchemy import select

from dojang.identity.adapters.keys import SigningKeyStore, SigningKeyUnreadable, public_jwk
from dojang.identity.adapters.tables import metadata, signing_keys
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database

from .conftest import NOW, TEST_SECRET

# RFC 7638 section 3.1: this key's thumbprint is NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs
RFC_7638_N = (
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKR"
    "XjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAt"
    "aSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPk"
    "sINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
)


def _int(value: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), "big")


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'identity.db'}")
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def store(db: Database, clock: FixedClock, secret: str = TEST_SECRET) -> SigningKeyStore:
    return SigningKeyStore(db, SecretStr(secret), clock=clock)


def test_key_id_is_the_rfc_7638_thumbprint() -> None:
    key = rsa.RSAPublicNumbers(_int("AQAB"), _int(RFC_7638_N)).public_key()
    jwk = public_jwk(key)
    assert jwk["kid"] == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    assert (jwk["kty"], jwk["alg"], jwk["use"], jwk["e"]) == ("RSA", "RS256", "sig", "AQAB")


async def test_first_start_creates_one_encrypted_2048_bit_key(
    db: Database, clock: FixedClock
) -> None:
    keys = store(db, clock)
    await keys.ensure_signing_key()
    await keys.ensure_signing_key()
    async with db.engine.connect() as conn:
        rows = (await conn.execute(select(signing_keys))).all()
    assert len(rows) == 1
    assert rows[0].private_key_pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    current = await keys.current()
    assert current.kid == rows[0].kid
    assert current.private_key.key_size == 2048


async def test_a_restart_reuses_the_stored_key(db: Database, clock: FixedClock) -> None:
    first = store(db, clock)
    await first.ensure_signing_key()
    restarted = store(db, clock)
    await restarted.ensure_signing_key()
    assert (await restarted.current()).kid == (await first.current()).kid


async def test_another_secret_cannot_read_the_key(db: Database, clock: FixedClock) -> None:
    await store(db, clock).ensure_signing_key()
    with pytest.raises(SigningKeyUnreadable, match="DOJANG_SECRET_KEY"):
        await store(db, clock, secret="another-secret-of-sufficient-length-000").current()


async def test_jwks_publishes_public_parts_only(db: Database, clock: FixedClock) -> None:
    keys = store(db, clock)
    await keys.ensure_signing_key()
    [jwk] = (await keys.public_jwks())["keys"]
    assert set(jwk) == {"kty", "kid", "use", "alg", "n", "e"}
    assert jwk["kid"] == (await keys.current()).kid


async def test_rotation_signs_with_the_new_key_and_publishes_the_old_until_retired(
    db: Database, clock: FixedClock
) -> None:
    keys = store(db, clock)
    await keys.ensure_signing_key()
    old = (await keys.current()).kid
    clock.advance(days=90)
    new = await keys.rotate(overlap=timedelta(minutes=16))
    assert new != old
    assert (await keys.current()).kid == new
    assert [k["kid"] for k in (await keys.public_jwks())["keys"]] == [new, old]
    clock.advance(minutes=16)
    assert [k["kid"] for k in (await keys.public_jwks())["keys"]] == [new]


async def test_another_replica_picks_up_a_rotation(db: Database, clock: FixedClock) -> None:
    rotating, other = store(db, clock), store(db, clock)
    await rotating.ensure_signing_key()
    await other.ensure_signing_key()
    new = await rotating.rotate(overlap=timedelta(minutes=16))
    clock.advance(seconds=61)
    assert (await other.current()).kid == new
