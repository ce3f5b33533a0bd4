"""The fan-out contract, the same tests over the in-process and the Redis fan-out.

The Redis cases need `DOJANG_TEST_REDIS_URL` and use their own key prefix per test, so that
runs sharing one server never see each other's keys.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from redis.asyncio import Redis

from dojang.kernel.bus.local import LocalBus
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database
from dojang.notification.adapters.fanout import InProcessFanout
from dojang.notification.adapters.redis_fanout import RedisFanout
from dojang.notification.bootstrap import build_notification
from dojang.notification.service.ports import NotificationFanout, TooManySockets
from dojang.notification.settings import NotificationSettings
from tests.servers import server_url
from tests.ws_tickets import TicketKeys

MAX_SOCKETS = 2

Replicas = Callable[[], Awaitable[NotificationFanout]]


@pytest.fixture(
    params=[
        "in-process",
        pytest.param("redis", marks=pytest.mark.integration),
    ]
)
async def replica(request: pytest.FixtureRequest) -> AsyncIterator[Replicas]:
    """Makes fan-outs: one process's each time in-process, replicas on one Redis otherwise."""
    made: list[NotificationFanout] = []
    prefix = f"test-{uuid.uuid4().hex}:"
    redis_url = server_url("DOJANG_TEST_REDIS_URL") if request.param == "redis" else ""
    shared = InProcessFanout(max_sockets_per_user=MAX_SOCKETS, max_pending_messages=10)

    async def make() -> NotificationFanout:
        if request.param == "in-process":
            return shared
        fanout = RedisFanout(
            redis_url, max_sockets_per_user=MAX_SOCKETS, max_pending_messages=10, key_prefix=prefix
        )
        await fanout.start()
        made.append(fanout)
        return fanout

    yield make
    for fanout in made:
        await fanout.close()
    await shared.close()


async def test_a_message_reaches_its_user_only(replica: Replicas) -> None:
    hub = await replica()
    kim, lee = await hub.subscribe("kim"), await hub.subscribe("lee")
    await hub.publish("kim", {"for": "kim"})
    await hub.publish("lee", {"for": "lee"})
    assert await asyncio.wait_for(kim.next_message(), 5) == {"for": "kim"}
    assert await asyncio.wait_for(lee.next_message(), 5) == {"for": "lee"}


async def test_each_replica_reaches_its_own_sockets(replica: Replicas) -> None:
    first, second = await replica(), await replica()
    on_first, on_second = await first.subscribe("kim"), await second.subscribe("kim")
    await second.publish("kim", {"n": 1})
    assert await asyncio.wait_for(on_first.next_message(), 5) == {"n": 1}
    assert await asyncio.wait_for(on_second.next_message(), 5) == {"n": 1}


async def test_the_socket_limit_counts_every_replica(replica: Replicas) -> None:
    first, second = await replica(), await replica()
    held = await first.subscribe("kim")
    await second.subscribe("kim")
    with pytest.raises(TooManySockets):
        await first.subscribe("kim")
    with pytest.raises(TooManySockets):
        await second.subscribe("kim")
    await held.close()
    await asyncio.sleep(0.2)  # the release reaches Redis soon after the close
    await second.subscribe("kim")


async def test_the_limit_holds_when_replicas_subscribe_at_once(replica: Replicas) -> None:
    replicas = [await replica() for _ in range(4)]
    results = await asyncio.gather(
        *(hub.subscribe("kim") for hub in replicas), return_exceptions=True
    )
    assert sum(not isinstance(r, BaseException) for r in results) == MAX_SOCKETS
    assert all(isinstance(r, TooManySockets) for r in results if isinstance(r, BaseException))


@pytest.mark.integration
async def test_a_crashed_replicas_sockets_stop_counting() -> None:
    redis_url = server_url("DOJANG_TEST_REDIS_URL")
    prefix = f"test-{uuid.uuid4().hex}:"

    def make() -> RedisFanout:
        return RedisFanout(
            redis_url,
            max_sockets_per_user=1,
            max_pending_messages=10,
            key_prefix=prefix,
            socket_ttl_seconds=1.0,
            heartbeat_seconds=0.3,
        )

    crashed, alive = make(), make()
    await alive.start()
    await crashed.subscribe("kim")
    # the crashed replica stops renewing without releasing anything
    for task in crashed._tasks:
        task.cancel()
    with pytest.raises(TooManySockets):
        await alive.subscribe("kim")
    await asyncio.sleep(1.5)
    held = await alive.subscribe("kim")
    await asyncio.sleep(1.2)  # alive's heartbeat keeps its own socket counted past the TTL
    with pytest.raises(TooManySockets):
        await alive.subscribe("kim")
    await held.close()
    await alive.close()
    await crashed._redis.aclose()
    await crashed._subscriber_redis.aclose()


@pytest.mark.integration
async def test_the_subscriber_reconnects_after_its_connection_is_killed() -> None:
    redis_url = server_url("DOJANG_TEST_REDIS_URL")
    hub = RedisFanout(
        redis_url,
        max_sockets_per_user=5,
        max_pending_messages=100,
        key_prefix=f"test-{uuid.uuid4().hex}:",
    )
    admin = Redis.from_url(redis_url, decode_responses=True)
    try:
        subscription = await hub.subscribe("kim")
        clients = await admin.client_list()
        ids = [c["id"] for c in clients if c.get("name") == hub.subscriber_name]
        assert len(ids) == 1
        await admin.client_kill_filter(_id=ids[0])
        async with asyncio.timeout(10):
            while True:
                await hub.publish("kim", {"after": "kill"})
                try:
                    received = await asyncio.wait_for(subscription.next_message(), 0.3)
                except TimeoutError:
                    continue
                break
        assert received == {"after": "kill"}
        assert hub.reconnects >= 1
    finally:
        await hub.close()
        await admin.aclose()


async def test_the_service_uses_redis_when_a_url_is_set(tmp_path: Path) -> None:
    bus_db = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    clock = FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    settings = NotificationSettings(data_dir=tmp_path, redis_url="redis://127.0.0.1:1/0")
    service = build_notification(settings, LocalBus(bus_db), TicketKeys(), clock=clock)
    assert isinstance(service.fanout, RedisFanout)
    assert service.fanout.start in service.module.on_start
    embedded = build_notification(
        NotificationSettings(data_dir=tmp_path), LocalBus(bus_db), TicketKeys(), clock=clock
    )
    assert isinstance(embedded.fanout, InProcessFanout)
    await bus_db.dispose()
