"""WebSocket tickets: signed by identity's key for the socket's audience, living seconds."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest

from dojang.identity.adapters.tokens import WsTicketSigner
from dojang.identity.bootstrap import build_identity
from dojang.kernel.auth.keys import LocalKeySource
from dojang.kernel.auth.principal import Principal
from dojang.kernel.auth.ws_tickets import WsTicketVerifier
from dojang.kernel.errors import Unauthenticated
from tests.ws_tickets import TicketKeys

from .conftest import Running, identity_settings

CALLER = Principal(user_id="emp-1", roles=frozenset({"manager"}), email="kim@dojang.example")


def verifier(running: Running) -> WsTicketVerifier:
    keys = LocalKeySource(running.identity.keys.public_jwks, clock=running.clock)
    return WsTicketVerifier(keys, issuer=running.settings.builtin_issuer, clock=running.clock)


async def test_a_ticket_is_signed_with_the_published_key_for_the_socket(
    running: Running,
) -> None:
    issued = await running.identity.tickets.issue(CALLER)
    assert issued.expires_in == 30
    header = jwt.get_unverified_header(issued.ticket)
    claims = jwt.decode(issued.ticket, options={"verify_signature": False})
    jwks = await running.identity.keys.public_jwks()
    assert header["kid"] in {key["kid"] for key in jwks["keys"]}
    assert claims["aud"] == "dojang-ws"
    assert claims["token_use"] == "ws_ticket"
    assert claims["iss"] == "https://dojang.test"
    assert claims["exp"] - claims["iat"] == 30
    verified = await verifier(running).verify(issued.ticket)
    assert verified.principal == CALLER


async def test_every_ticket_has_its_own_id(running: Running) -> None:
    first = await running.identity.tickets.issue(CALLER)
    second = await running.identity.tickets.issue(CALLER)
    assert (await verifier(running).verify(first.ticket)).jti != (
        await verifier(running).verify(second.ticket)
    ).jti


async def test_a_ticket_is_not_an_access_token(running: Running) -> None:
    issued = await running.identity.tickets.issue(CALLER)
    with pytest.raises(Unauthenticated, match="wrong audience"):
        await running.identity.verifier.verify(issued.ticket)


async def test_an_access_token_is_not_a_ticket(running: Running) -> None:
    token = await running.identity.issuer.issue(CALLER, running.clock.now())
    with pytest.raises(Unauthenticated, match="wrong audience"):
        await verifier(running).verify(token.token)


async def test_an_expired_ticket_is_refused(running: Running) -> None:
    issued = await running.identity.tickets.issue(CALLER)
    running.clock.advance(seconds=36)
    with pytest.raises(Unauthenticated, match="ticket expired"):
        await verifier(running).verify(issued.ticket)


def test_a_ticket_may_not_live_longer_than_a_minute(running: Running) -> None:
    with pytest.raises(ValueError, match="1 to 60"):
        WsTicketSigner(TicketKeys(), issuer="https://dojang.test", ttl=timedelta(seconds=61))
    with pytest.raises(ValueError, match="less than or equal to 60"):
        build_identity(
            identity_settings(running.settings.data_dir, ws_ticket_ttl_seconds=61),
            running.bus,
            clock=running.clock,
        )
