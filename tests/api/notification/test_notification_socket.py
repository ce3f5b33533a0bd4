"""`WS /ws/notifications`: the ticket holder's notifications on every socket, nobody else's."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import uvicorn
import websockets
from fastapi import FastAPI
from httpx2.websockets import AsyncWebSocketSession, WebSocketDisconnect
from prometheus_client import REGISTRY

from tests.unit.notification.approval_events import approval_event, your_turn

from .conftest import KIM, LEE, PARK, Harness, MakeHarness, bearer, until

TIMEOUT = 2.0
PONG_MESSAGE = {"type": "pong"}


async def next_json(session: AsyncWebSocketSession) -> dict[str, Any]:
    message: dict[str, Any] = await session.receive_json(timeout=TIMEOUT)
    return message


async def closed_with(session: AsyncWebSocketSession) -> WebSocketDisconnect:
    with pytest.raises(WebSocketDisconnect) as closed:
        await session.receive_json(timeout=TIMEOUT)
    return closed.value


async def test_every_socket_of_the_user_gets_the_notification(harness: Harness) -> None:
    async with (
        harness.socket(await harness.tickets.issue(LEE)) as first,
        harness.socket(await harness.tickets.issue(LEE)) as second,
    ):
        await harness.sockets_of(LEE, 2)
        await harness.deliver(your_turn(LEE.user_id))
        listed = await harness.client.get("/api/notifications", headers=bearer(LEE))
        stored = listed.json()["items"][0]
        for session in (first, second):
            assert await next_json(session) == {"type": "notification", "data": stored}


async def test_each_socket_writes_the_notification_in_its_own_language(
    harness: Harness,
) -> None:
    async with (
        harness.socket(await harness.tickets.issue(LEE), lang="ko") as korean,
        harness.socket(await harness.tickets.issue(LEE)) as english,
    ):
        await harness.sockets_of(LEE, 2)
        await harness.deliver(your_turn(LEE.user_id))
        live = {"ko": await next_json(korean), "en": await next_json(english)}
    async with harness.socket(await harness.tickets.issue(LEE), after=0, lang="ko") as later:
        caught_up = await next_json(later)
    ko = await harness.client.get(
        "/api/notifications", headers=bearer(LEE) | {"Accept-Language": "ko"}
    )
    en = await harness.client.get("/api/notifications", headers=bearer(LEE))
    assert live["ko"]["data"] == ko.json()["items"][0] == caught_up["data"]
    assert live["en"]["data"] == en.json()["items"][0]
    assert live["ko"]["data"]["message"] == (
        "Kim Dojang 님이 결재를 요청했습니다: Q3 travel expenses"
    )
    assert live["en"]["data"]["message"] == "Kim Dojang asked for your approval: Q3 travel expenses"
    assert "message_i18n" not in live["ko"]["data"]


async def test_another_users_socket_gets_nothing(harness: Harness) -> None:
    async with (
        harness.socket(await harness.tickets.issue(LEE)) as lee,
        harness.socket(await harness.tickets.issue(PARK)) as park,
    ):
        await harness.sockets_of(LEE, 1)
        await harness.sockets_of(PARK, 1)
        await harness.deliver(your_turn(LEE.user_id, approval_id="apr-for-lee"))
        await harness.deliver(your_turn(PARK.user_id, approval_id="apr-for-park"))
        # one socket sees its messages in order: had Lee's come here, it would come first
        assert (await next_json(park))["data"]["approval_id"] == "apr-for-park"
        assert (await next_json(lee))["data"]["approval_id"] == "apr-for-lee"


async def test_an_outcome_reaches_the_requester_and_cc_sockets_only(harness: Harness) -> None:
    async with (
        harness.socket(await harness.tickets.issue(KIM)) as kim,
        harness.socket(await harness.tickets.issue(PARK)) as park,
        harness.socket(await harness.tickets.issue(LEE)) as lee,
    ):
        for principal in (KIM, PARK, LEE):
            await harness.sockets_of(principal, 1)
        await harness.deliver(
            approval_event(
                "approval.approved",
                number="N-1",
                cc=[PARK.user_id],
                completed_at="2026-03-02T10:00:00Z",
            ),
            your_turn(LEE.user_id, approval_id="apr-2"),
        )
        assert (await next_json(kim))["data"]["type"] == "approval.approved"
        assert (await next_json(park))["data"]["type"] == "approval.cc"
        assert (await next_json(lee))["data"]["approval_id"] == "apr-2"


async def test_a_ping_arrives_every_interval(make_harness: MakeHarness) -> None:
    harness = await make_harness(ws_ping_interval_seconds=0.05)
    async with harness.socket(await harness.tickets.issue(LEE)) as session:
        assert await next_json(session) == {"type": "ping"}
        assert await next_json(session) == {"type": "ping"}


async def test_a_client_ping_is_answered_and_other_messages_are_ignored(
    harness: Harness,
) -> None:
    async with harness.socket(await harness.tickets.issue(LEE)) as session:
        await session.send_text("not json")
        await session.send_bytes(b"\x00\x01")
        await session.send_json({"type": "hello"})
        await session.send_text("x" * 5000)
        await session.send_json({"type": "ping"})
        assert await next_json(session) == {"type": "pong"}


@pytest.mark.parametrize("ticket", ["unknown-ticket", "", "t" * 5000])
async def test_a_bad_ticket_is_closed_with_4401(harness: Harness, ticket: str) -> None:
    async with harness.socket(ticket) as session:
        closed = await closed_with(session)
    assert closed.code == 4401
    assert "ticket" in closed.reason


async def test_a_socket_without_a_ticket_is_closed_with_4401(harness: Harness) -> None:
    async with harness.socket(None) as session:
        assert (await closed_with(session)).code == 4401


async def test_a_used_ticket_is_closed_with_4401(harness: Harness) -> None:
    ticket = await harness.tickets.issue(LEE)
    async with harness.socket(ticket):
        await harness.sockets_of(LEE, 1)
        async with harness.socket(ticket) as reused:
            assert (await closed_with(reused)).code == 4401
        assert harness.fanout.subscription_count(LEE.user_id) == 1


async def test_a_closed_socket_is_unregistered(harness: Harness) -> None:
    async with harness.socket(await harness.tickets.issue(LEE)):
        await harness.sockets_of(LEE, 1)
    await harness.sockets_of(LEE, 0)
    await harness.deliver(your_turn(LEE.user_id))
    count = await harness.client.get("/api/notifications/unread-count", headers=bearer(LEE))
    assert count.json() == {"count": 1}


async def test_a_user_may_open_only_so_many_sockets(harness: Harness) -> None:
    async with (
        harness.socket(await harness.tickets.issue(LEE)),
        harness.socket(await harness.tickets.issue(LEE)),
        harness.socket(await harness.tickets.issue(LEE)),
    ):
        await harness.sockets_of(LEE, 3)
        async with harness.socket(await harness.tickets.issue(LEE)) as fourth:
            assert (await closed_with(fourth)).code == 4429
        async with harness.socket(await harness.tickets.issue(PARK)):
            await harness.sockets_of(PARK, 1)


async def test_stopping_the_service_closes_its_sockets_cleanly(harness: Harness) -> None:
    async with (
        harness.socket(await harness.tickets.issue(LEE)) as first,
        harness.socket(await harness.tickets.issue(PARK)) as second,
    ):
        await harness.sockets_of(LEE, 1)
        await harness.sockets_of(PARK, 1)
        await harness.stop()
        for session in (first, second):
            closed = await closed_with(session)
            assert closed.code == 1001
        await until(lambda: harness.fanout.subscription_count(LEE.user_id) == 0)
    async with harness.socket(await harness.tickets.issue(LEE)) as late:
        assert (await closed_with(late)).code == 1001


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_a_real_server_pushes_and_closes_its_sockets_at_shutdown(harness: Harness) -> None:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await harness.stop()

    app = FastAPI(lifespan=lifespan)
    for router in harness.service.module.routers:
        app.include_router(router)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    serving = asyncio.create_task(server.serve())
    await until(lambda: server.started)
    url = f"ws://127.0.0.1:{port}/ws/notifications?ticket={await harness.tickets.issue(LEE)}"
    async with websockets.connect(url) as client:
        await harness.sockets_of(LEE, 1)
        await harness.deliver(your_turn(LEE.user_id))
        pushed = json.loads(await asyncio.wait_for(client.recv(), TIMEOUT))
        assert pushed["type"] == "notification"
        assert pushed["data"]["type"] == "approval.your_turn"

        server.should_exit = True
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(client.recv(), TIMEOUT)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code in {1001, 1012}
    await asyncio.wait_for(serving, TIMEOUT)
    assert harness.fanout.subscription_count(LEE.user_id) == 0


async def test_a_ticket_whose_keys_do_not_come_in_time_is_closed_with_1013(
    make_harness: MakeHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    harness = await make_harness(port_timeout_seconds=0.05)
    ticket = await harness.tickets.issue(LEE)

    async def never_answers(_kid: str) -> None:
        await asyncio.sleep(3600)

    monkeypatch.setattr(harness.tickets.keys, "key_for", never_answers)
    async with harness.socket(ticket) as session:
        closed = await closed_with(session)
    assert closed.code == 1013
    assert "in time" in closed.reason


@asynccontextmanager
async def real_server(harness: Harness) -> AsyncIterator[int]:
    """The harness's routes served by uvicorn on a loopback port."""
    app = FastAPI()
    for router in harness.service.module.routers:
        app.include_router(router)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    await until(lambda: server.started)
    try:
        yield port
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, TIMEOUT)


async def test_a_client_flooding_pings_is_closed_with_1008(make_harness: MakeHarness) -> None:
    harness = await make_harness(ws_client_message_burst=10, ws_client_messages_per_second=1)
    async with real_server(harness) as port:
        url = f"ws://127.0.0.1:{port}/ws/notifications?ticket={await harness.tickets.issue(LEE)}"
        async with websockets.connect(url) as client:
            await harness.sockets_of(LEE, 1)
            with pytest.raises(websockets.ConnectionClosed) as closed:
                for _ in range(200):
                    await client.send(json.dumps({"type": "ping"}))
                    await asyncio.sleep(0.001)
                await asyncio.wait_for(client.wait_closed(), TIMEOUT)
                await client.recv()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1008
        await harness.sockets_of(LEE, 0)


async def test_a_client_within_the_rate_keeps_its_socket(make_harness: MakeHarness) -> None:
    harness = await make_harness(ws_client_message_burst=3, ws_client_messages_per_second=20)
    async with real_server(harness) as port:
        url = f"ws://127.0.0.1:{port}/ws/notifications?ticket={await harness.tickets.issue(LEE)}"
        async with websockets.connect(url) as client:
            for _ in range(10):
                await client.send(json.dumps({"type": "ping"}))
                assert json.loads(await asyncio.wait_for(client.recv(), TIMEOUT)) == PONG_MESSAGE
                await asyncio.sleep(0.1)


async def test_delivered_notifications_are_counted_pings_are_not(
    make_harness: MakeHarness,
) -> None:
    def delivered() -> float:
        return REGISTRY.get_sample_value("dojang_notifications_delivered_total") or 0.0

    def open_sockets() -> float:
        return REGISTRY.get_sample_value("dojang_notification_sockets") or 0.0

    harness = await make_harness(ws_ping_interval_seconds=0.05)
    before, sockets_before = delivered(), open_sockets()
    async with harness.socket(await harness.tickets.issue(LEE)) as session:
        await harness.sockets_of(LEE, 1)
        assert open_sockets() == sockets_before + 1
        assert (await next_json(session))["type"] == "ping"
        assert delivered() == before
        await harness.deliver(your_turn(LEE.user_id))
        while (await next_json(session))["type"] != "notification":
            pass
        assert delivered() == before + 1
