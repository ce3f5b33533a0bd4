"""`WsTicketVerifier`: only a ticket signed by the issuer's key, for the socket, alive now."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from dojang.identity.adapters.tokens import WsTicketSigner
from dojang.kernel.auth.principal import Principal
from dojang.kernel.auth.ws_tickets import WsTicketVerifier
from dojang.kernel.clock import FixedClock
from dojang.kernel.errors import Unauthenticated
from tests.ws_tickets import ISSUER, TicketKeys

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KIM = Principal(user_id="emp-kim", roles=frozenset({"manager"}), email="kim@dojang.example")
KEYS = TicketKeys()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def verifier(clock: FixedClock) -> WsTicketVerifier:
    return WsTicketVerifier(KEYS, issuer=ISSUER, clock=clock)


async def issued(ttl_seconds: int = 30) -> str:
    signer = WsTicketSigner(KEYS, issuer=ISSUER, ttl=timedelta(seconds=ttl_seconds))
    return (await signer.issue(KIM, NOW)).ticket


def claims(**overrides: Any) -> dict[str, Any]:
    at = int(NOW.timestamp())
    found: dict[str, Any] = {
        "iss": ISSUER,
        "sub": KIM.user_id,
        "aud": "dojang-ws",
        "iat": at,
        "nbf": at,
        "exp": at + 30,
        "jti": "jti-1",
        "roles": ["manager"],
        "token_use": "ws_ticket",
    }
    found.update(overrides)
    return {name: value for name, value in found.items() if value is not None}


def signed(
    payload: Mapping[str, Any],
    *,
    key: rsa.RSAPrivateKey = KEYS.private_key,
    kid: str = KEYS.kid,
) -> str:
    return jwt.encode(dict(payload), key, algorithm="RS256", headers={"kid": kid})


async def test_a_fresh_ticket_names_its_principal_id_and_end(verifier: WsTicketVerifier) -> None:
    verified = await verifier.verify(await issued())
    assert verified.principal == KIM
    assert verified.jti
    assert verified.expires_at == NOW.timestamp() + 30


async def test_a_ticket_is_good_until_it_expires_give_or_take_the_skew(
    verifier: WsTicketVerifier, clock: FixedClock
) -> None:
    ticket = await issued()
    clock.advance(seconds=34)
    assert (await verifier.verify(ticket)).principal == KIM
    clock.advance(seconds=1)
    with pytest.raises(Unauthenticated, match="ticket expired"):
        await verifier.verify(ticket)


async def test_a_ticket_from_the_future_is_refused(
    verifier: WsTicketVerifier, clock: FixedClock
) -> None:
    ticket = await issued()
    clock.advance(seconds=-6)
    with pytest.raises(Unauthenticated, match="not yet valid"):
        await verifier.verify(ticket)


async def test_a_token_for_another_audience_is_refused(verifier: WsTicketVerifier) -> None:
    with pytest.raises(Unauthenticated, match="wrong audience"):
        await verifier.verify(signed(claims(aud="dojang")))


async def test_an_access_token_is_refused_even_for_the_socket_audience(
    verifier: WsTicketVerifier,
) -> None:
    with pytest.raises(Unauthenticated, match="not a WebSocket ticket"):
        await verifier.verify(signed(claims(token_use="access")))


async def test_a_ticket_signed_by_another_key_is_refused(verifier: WsTicketVerifier) -> None:
    intruder = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(Unauthenticated, match="signature invalid"):
        await verifier.verify(signed(claims(), key=intruder))


async def test_a_ticket_with_a_changed_claim_is_refused(verifier: WsTicketVerifier) -> None:
    header, _payload, signature = (await issued()).split(".")
    other = signed(claims(sub="emp-admin", roles=["admin"])).split(".")[1]
    with pytest.raises(Unauthenticated, match="signature invalid"):
        await verifier.verify(f"{header}.{other}.{signature}")


async def test_a_ticket_naming_an_unknown_key_is_refused(verifier: WsTicketVerifier) -> None:
    with pytest.raises(Unauthenticated, match="unknown signing key"):
        await verifier.verify(signed(claims(), kid="someone-else"))


@pytest.mark.parametrize("algorithm", ["HS256", "none"])
async def test_only_rs256_is_accepted(verifier: WsTicketVerifier, algorithm: str) -> None:
    key = "a-shared-secret-of-thirty-two-bytes!" if algorithm == "HS256" else None
    forged = jwt.encode(claims(), key, algorithm=algorithm, headers={"kid": KEYS.kid})
    with pytest.raises(Unauthenticated, match="RS256 only"):
        await verifier.verify(forged)


async def test_a_ticket_of_another_issuer_is_refused(verifier: WsTicketVerifier) -> None:
    with pytest.raises(Unauthenticated, match="wrong issuer"):
        await verifier.verify(signed(claims(iss="https://elsewhere.example")))


async def test_a_ticket_that_claims_a_long_life_is_refused(verifier: WsTicketVerifier) -> None:
    at = int(NOW.timestamp())
    with pytest.raises(Unauthenticated, match="lives too long"):
        await verifier.verify(signed(claims(exp=at + 3600)))


@pytest.mark.parametrize("missing", ["jti", "exp", "sub", "token_use"])
async def test_a_ticket_without_a_required_claim_is_refused(
    verifier: WsTicketVerifier, missing: str
) -> None:
    with pytest.raises(Unauthenticated, match=f"`{missing}`"):
        await verifier.verify(signed(claims(**{missing: None})))


@pytest.mark.parametrize("garbage", ["", "not-a-jwt", "a.b.c"])
async def test_garbage_is_refused(verifier: WsTicketVerifier, garbage: str) -> None:
    with pytest.raises(Unauthenticated):
        await verifier.verify(garbage)


async def test_only_dojang_roles_pass(verifier: WsTicketVerifier) -> None:
    verified = await verifier.verify(signed(claims(roles=["admin", "root", 7])))
    assert verified.principal.roles == frozenset({"admin"})
