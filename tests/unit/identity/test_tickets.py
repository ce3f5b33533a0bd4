"""WebSocket tickets: single use, short-lived, standing for whoever asked for them."""

from __future__ import annotations

from dojang.kernel.auth.principal import Principal

from .conftest import Running

CALLER = Principal(user_id="emp-1", roles=frozenset({"manager"}), email="kim@dojang.example")


async def test_a_ticket_stands_for_its_principal_once(running: Running) -> None:
    issued = await running.identity.tickets.issue(CALLER)
    assert issued.expires_in == 30
    assert await running.identity.redeem_ws_ticket(issued.ticket) == CALLER
    assert await running.identity.redeem_ws_ticket(issued.ticket) is None


async def test_an_expired_ticket_is_refused(running: Running) -> None:
    issued = await running.identity.tickets.issue(CALLER)
    running.clock.advance(seconds=30)
    assert await running.identity.redeem_ws_ticket(issued.ticket) is None


async def test_an_unknown_ticket_is_refused(running: Running) -> None:
    assert await running.identity.redeem_ws_ticket("made-up") is None


async def test_tickets_are_independent(running: Running) -> None:
    first = await running.identity.tickets.issue(CALLER)
    second = await running.identity.tickets.issue(CALLER)
    assert first.ticket != second.ticket
    assert await running.identity.redeem_ws_ticket(second.ticket) == CALLER
    assert await running.identity.redeem_ws_ticket(first.ticket) == CALLER
