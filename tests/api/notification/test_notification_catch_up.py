"""`WS /ws/notifications?after=`: a reconnecting client gets what it missed, then live ones,
each exactly once, in order."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from httpx2.websockets import AsyncWebSocketSession

from dojang.notification.service.inbox import NotificationInbox
from dojang.notification.ws import endpoint
from tests.servers import unique_name
from tests.unit.notification.approval_events import your_turn
from tests.ws_tickets import TicketKeys

from .conftest import LEE, PARK, Harness, MakeHarness, until
from .test_notification_socket import closed_with, next_json


def for_lee(number: int) -> Any:
    """Lee's turn on document `number`: one notification for Lee."""
    return your_turn(LEE.user_id, approval_id=f"apr-{number}", title=f"Document {number}")


async def sequences(session: AsyncWebSocketSession, count: int) -> list[int]:
    """The sequence numbers of the next `count` notifications on the socket."""
    found = []
    while len(found) < count:
        message = await next_json(session)
        if message["type"] == "notification":
            found.append(message["data"]["sequence"])
    return found


async def nothing_more_before(harness: Harness, session: AsyncWebSocketSession) -> int:
    """Deliver one more notification and answer its number; it must be the next message."""
    await harness.deliver(for_lee(999))
    message = await next_json(session)
    assert message["type"] == "notification"
    assert message["data"]["title"] == "Document 999"
    number: int = message["data"]["sequence"]
    return number


async def test_a_reconnecting_client_gets_what_it_missed_then_live_ones(
    harness: Harness,
) -> None:
    async with harness.socket(await harness.tickets.issue(LEE)) as first:
        await harness.sockets_of(LEE, 1)
        await harness.deliver(for_lee(1))
        seen = await next_json(first)
    assert seen["data"]["sequence"] == 1
    await harness.sockets_of(LEE, 0)
    await harness.deliver(for_lee(2), for_lee(3))

    async with harness.socket(await harness.tickets.issue(LEE), after=1) as again:
        missed = [await next_json(again), await next_json(again)]
        assert [m["data"]["sequence"] for m in missed] == [2, 3]
        assert [m["data"]["title"] for m in missed] == ["Document 2", "Document 3"]
        assert missed[0]["type"] == "notification"
        await harness.deliver(for_lee(4))
        assert await sequences(again, 1) == [4]
        assert await nothing_more_before(harness, again) == 5


async def test_after_zero_is_everything_and_nobody_elses(harness: Harness) -> None:
    await harness.deliver(for_lee(1), your_turn(PARK.user_id, approval_id="apr-p"), for_lee(2))
    async with harness.socket(await harness.tickets.issue(LEE), after=0) as session:
        assert await sequences(session, 2) == [1, 2]
        assert await nothing_more_before(harness, session) == 3


async def test_a_client_that_missed_nothing_gets_only_live_ones(harness: Harness) -> None:
    await harness.deliver(for_lee(1), for_lee(2))
    async with harness.socket(await harness.tickets.issue(LEE), after=2) as session:
        await harness.sockets_of(LEE, 1)
        assert await nothing_more_before(harness, session) == 3


async def test_catching_up_reads_page_after_page(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(endpoint, "CATCH_UP_PAGE", 2)
    await harness.deliver(*(for_lee(n) for n in range(1, 7)))
    async with harness.socket(await harness.tickets.issue(LEE), after=1) as session:
        assert await sequences(session, 5) == [2, 3, 4, 5, 6]
        assert await nothing_more_before(harness, session) == 7


async def test_a_client_ahead_of_the_server_still_gets_new_ones(harness: Harness) -> None:
    await harness.deliver(for_lee(1))
    async with harness.socket(await harness.tickets.issue(LEE), after=40) as session:
        await harness.sockets_of(LEE, 1)
        assert await nothing_more_before(harness, session) == 2


@pytest.mark.parametrize("after", ["-1", "abc", "1.5", "", "\u0661", "9" * 30])
async def test_a_bad_after_is_closed_with_4400_and_leaves_the_ticket_unspent(
    harness: Harness, after: str
) -> None:
    ticket = await harness.tickets.issue(LEE)
    async with harness.socket(ticket, after=after) as session:
        closed = await closed_with(session)
    assert closed.code == 4400
    assert "after" in closed.reason
    async with harness.socket(ticket, after=0):
        await harness.sockets_of(LEE, 1)


Read = Callable[..., Awaitable[Any]]


@pytest.mark.parametrize(
    ("step", "when"),
    [
        ("last_sequence", "before"),  # between subscribing and reading the last number
        ("after_sequence", "before"),  # between the last number and the stored ones
        ("after_sequence", "after"),  # after the stored ones were read, before going live
    ],
)
async def test_a_notification_committed_while_catching_up_arrives_exactly_once(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, step: str, when: str
) -> None:
    await harness.deliver(for_lee(1), for_lee(2))
    inbox: NotificationInbox = harness.service.inbox
    read: Read = getattr(inbox, step)
    committed = False

    async def read_with_a_commit_beside_it(*args: Any, **kwargs: Any) -> Any:
        nonlocal committed
        if when == "before" and not committed:
            committed = True
            await harness.deliver(for_lee(3))
        found = await read(*args, **kwargs)
        if when == "after" and not committed:
            committed = True
            await harness.deliver(for_lee(3))
        return found

    monkeypatch.setattr(inbox, step, read_with_a_commit_beside_it)
    async with harness.socket(await harness.tickets.issue(LEE), after=1) as session:
        assert await sequences(session, 2) == [2, 3]
        await until(lambda: committed)
        assert await nothing_more_before(harness, session) == 4


@pytest.mark.integration
async def test_a_client_catches_up_on_another_replica_where_its_ticket_works_once(
    make_harness: MakeHarness, redis_server: str
) -> None:
    shared = {"redis_url": redis_server, "redis_key_prefix": f"{unique_name('test')}:"}
    keys = TicketKeys()
    one = await make_harness(keys=keys, **shared)
    two = await make_harness(keys=keys, **shared)
    async with one.socket(await one.tickets.issue(LEE)) as first:
        await one.sockets_of(LEE, 1)
        await one.deliver(for_lee(1))
        assert await sequences(first, 1) == [1]
    await one.deliver(for_lee(2), for_lee(3))

    ticket = await two.tickets.issue(LEE)
    async with two.socket(ticket, after=1) as again:
        assert await sequences(again, 2) == [2, 3]
        await one.deliver(for_lee(4))  # stored and published by the other replica
        assert await sequences(again, 1) == [4]
        async with one.socket(ticket) as replayed:
            assert (await closed_with(replayed)).code == 4401
        assert await nothing_more_before(one, again) == 5
