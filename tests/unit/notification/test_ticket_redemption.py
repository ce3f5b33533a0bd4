"""Redeeming a WebSocket ticket: once, on whichever replica, and never after.

The same tests run over one process (in-process spent ids) and over two notification
services sharing one real Redis, as two replicas would.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from redis.asyncio import Redis

from dojang.identity.adapters.tokens import WsTicketSigner
from dojang.kernel.auth.principal import Principal
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database
from dojang.notification.adapters.spent_tickets import InProcessSpentTickets, RedisSpentTickets
from dojang.notification.bootstrap import NotificationService, build_notification
from dojang.notification.settings import NotificationSettings
from tests.servers import unique_name
from tests.ws_tickets import ISSUER, TicketKeys

KIM = Principal(user_id="emp-kim", roles=frozenset({"employee"}), email="kim@dojang.example")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class Replicas:
    """Two notification services as a client sees them (one service twice in process)."""

    first: NotificationService
    second: NotificationService
    keys: TicketKeys
    clock: FixedClock
    redis_url: str | None
    prefix: str

    async def ticket(self) -> str:
        signer = WsTicketSigner(self.keys, issuer=ISSUER, ttl=timedelta(seconds=30))
        return (await signer.issue(KIM, self.clock.now())).ticket


@pytest.fixture(params=["in-process", pytest.param("redis", marks=pytest.mark.integration)])
async def replicas(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Replicas]:
    redis_url: str | None = None
    if request.param == "redis":
        redis_url = request.getfixturevalue("redis_server")
    keys = TicketKeys()
    clock = FixedClock(NOW)
    prefix = f"{unique_name('test')}:"
    bus_db = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    bus = LocalBus(bus_db)
    built: list[NotificationService] = []

    def replica(name: str) -> NotificationService:
        settings = NotificationSettings(
            data_dir=tmp_path / name, redis_url=redis_url, redis_key_prefix=prefix
        )
        service = build_notification(settings, bus, keys, clock=clock)
        built.append(service)
        return service

    first = replica("first")
    second = replica("second") if redis_url else first
    yield Replicas(first, second, keys, clock, redis_url, prefix)
    for service in built:
        for hook in service.module.on_stop:
            await hook()
    await bus_db.dispose()


async def test_a_ticket_is_redeemed_once_on_any_replica(replicas: Replicas) -> None:
    ticket = await replicas.ticket()
    assert await replicas.first.tickets.redeem_ws_ticket(ticket) == KIM
    assert await replicas.second.tickets.redeem_ws_ticket(ticket) is None
    assert await replicas.first.tickets.redeem_ws_ticket(ticket) is None


async def test_replicas_racing_with_one_ticket_let_exactly_one_in(replicas: Replicas) -> None:
    ticket = await replicas.ticket()
    attempts = [
        service.tickets.redeem_ws_ticket(ticket)
        for service in (replicas.first, replicas.second)
        for _ in range(8)
    ]
    answers = await asyncio.gather(*attempts)
    assert answers.count(KIM) == 1
    assert answers.count(None) == len(attempts) - 1


async def test_other_tickets_of_the_same_user_still_work(replicas: Replicas) -> None:
    first, second = await replicas.ticket(), await replicas.ticket()
    assert await replicas.second.tickets.redeem_ws_ticket(second) == KIM
    assert await replicas.first.tickets.redeem_ws_ticket(first) == KIM


async def test_a_refused_ticket_spends_nothing(replicas: Replicas) -> None:
    ticket = await replicas.ticket()
    replicas.clock.advance(seconds=40)
    assert await replicas.first.tickets.redeem_ws_ticket(ticket) is None
    replicas.clock.advance(seconds=-40)
    assert await replicas.second.tickets.redeem_ws_ticket(ticket) == KIM


@pytest.mark.integration
async def test_the_spent_id_is_a_redis_key_that_outlives_the_ticket_only_briefly(
    redis_server: str,
) -> None:
    prefix = f"{unique_name('test')}:"
    spent = RedisSpentTickets(redis_server, key_prefix=prefix)
    admin = Redis.from_url(redis_server, decode_responses=True)
    try:
        assert await spent.spend("jti-1", ttl_seconds=35)
        assert not await spent.spend("jti-1", ttl_seconds=35)
        assert await admin.get(f"{prefix}ws-jti:jti-1") == "1"
        assert 30 < await admin.ttl(f"{prefix}ws-jti:jti-1") <= 35
    finally:
        await admin.delete(f"{prefix}ws-jti:jti-1")
        await admin.aclose()
        await spent.close()


@pytest.mark.integration
@pytest.mark.parametrize("replicas", ["redis"], indirect=True)
async def test_the_redis_key_lasts_as_long_as_the_ticket_could_verify(
    replicas: Replicas,
) -> None:
    assert replicas.redis_url is not None
    ticket = await replicas.ticket()
    jti = jwt.decode(ticket, options={"verify_signature": False})["jti"]
    replicas.clock.advance(seconds=10)
    assert await replicas.first.tickets.redeem_ws_ticket(ticket) == KIM
    admin = Redis.from_url(replicas.redis_url, decode_responses=True)
    try:
        # 20 s of the ticket's 30 are left, plus the 5 s the verifier allows for skew
        assert 20 < await admin.ttl(f"{replicas.prefix}ws-jti:{jti}") <= 25
    finally:
        await admin.aclose()


async def test_in_process_ids_are_forgotten_once_their_tickets_are_dead() -> None:
    clock = FixedClock(NOW)
    spent = InProcessSpentTickets(clock=clock)
    assert await spent.spend("jti-1", ttl_seconds=35)
    clock.advance(seconds=34)
    assert not await spent.spend("jti-1", ttl_seconds=35)
    clock.advance(seconds=2)
    assert await spent.spend("jti-2", ttl_seconds=35)
    assert await spent.spend("jti-1", ttl_seconds=35)
