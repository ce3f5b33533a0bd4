"""A small app of the notification service alone, with fake tokens and tickets signed here."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from httpx2.websockets import ASGIWebSocketTransport, AsyncWebSocketClient, AsyncWebSocketSession

from dojang.identity.adapters.tokens import WsTicketSigner
from dojang.kernel.auth.principal import Principal
from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database
from dojang.kernel.errors import Unauthenticated
from dojang.kernel.migrations import upgrade_to_head_async
from dojang.kernel.web.problems import install_problem_handlers
from dojang.notification.adapters.fanout import InProcessFanout
from dojang.notification.adapters.redis_fanout import RedisFanout
from dojang.notification.bootstrap import MIGRATIONS, NotificationService, build_notification
from dojang.notification.settings import NotificationSettings
from tests.conftest import ENGLISH
from tests.servers import redis_server
from tests.sql_backends import SqlBackend
from tests.unit.notification.approval_events import as_message
from tests.ws_tickets import ISSUER, TicketKeys

__all__ = ["redis_server"]

KIM = Principal(user_id="emp-kim", roles=frozenset({"employee"}))
LEE = Principal(user_id="emp-lee", roles=frozenset({"employee"}))
PARK = Principal(user_id="emp-park", roles=frozenset({"employee"}))

BASE_URL = "http://dojang.test"
TOKENS = {"kim-token": KIM, "lee-token": LEE, "park-token": PARK}


def bearer(principal: Principal) -> dict[str, str]:
    """The Authorization header of a test principal."""
    token = next(t for t, p in TOKENS.items() if p == principal)
    return {"Authorization": f"Bearer {token}"}


class FakeVerifier:
    """Test tokens stand for fixed principals; anything else is refused."""

    async def verify(self, token: str) -> Principal:
        """The principal of a test token."""
        try:
            return TOKENS[token]
        except KeyError:
            raise Unauthenticated("The token is not valid.") from None


class Tickets:
    """Tickets as identity issues them: signed by `WsTicketSigner` with the harness's key."""

    def __init__(self, keys: TicketKeys, clock: FixedClock) -> None:
        self.keys = keys
        self._signer = WsTicketSigner(keys, issuer=ISSUER, ttl=timedelta(seconds=30))
        self._clock = clock

    async def issue(self, principal: Principal) -> str:
        """A new ticket for `principal`, issued now."""
        return (await self._signer.issue(principal, self._clock.now())).ticket


@dataclass
class Harness:
    """The service, its app, its bus and the knobs tests turn."""

    service: NotificationService
    app: FastAPI
    bus: LocalBus
    clock: FixedClock
    tickets: Tickets
    client: httpx2.AsyncClient

    @property
    def fanout(self) -> InProcessFanout | RedisFanout:
        fanout = self.service.fanout
        assert isinstance(fanout, InProcessFanout | RedisFanout)
        return fanout

    async def deliver(self, *events: Event) -> None:
        """Publish approval events and let the consumer apply them all."""
        await self.bus.publish("approval-events", [as_message(e) for e in events])
        await self.service.consumer.drain()

    @asynccontextmanager
    async def socket(
        self, ticket: str | None, *, after: int | str | None = None, lang: str | None = None
    ) -> AsyncIterator[AsyncWebSocketSession]:
        """A WebSocket to `/ws/notifications` with this ticket (None: without one), catching
        up from `after` if given, in the language `lang` (English unless told)."""
        params = {} if ticket is None else {"ticket": ticket}
        if after is not None:
            params["after"] = str(after)
        if lang is not None:
            params["lang"] = lang
        # its own transport: the task group that runs the socket lives in the test's task
        transport = ASGIWebSocketTransport(self.app)
        async with httpx2.AsyncClient(
            transport=transport, base_url=BASE_URL, headers=ENGLISH
        ) as client:
            sockets = AsyncWebSocketClient(client)
            async with sockets.connect("/ws/notifications", params=params) as session:
                yield session

    async def sockets_of(self, principal: Principal, count: int) -> None:
        """Wait until `principal` holds `count` registered sockets."""
        await until(lambda: self.fanout.subscription_count(principal.user_id) == count)

    async def stop(self) -> None:
        """What the composer does at shutdown: the module's stop hooks."""
        for hook in self.service.module.on_stop:
            await hook()


async def until(condition: Callable[[], bool], timeout: float = 2.0) -> None:
    """Wait until `condition()` holds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.005)


MakeHarness = Callable[..., Awaitable[Harness]]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
async def make_harness(
    tmp_path: Path, clock: FixedClock, sql_backend: SqlBackend
) -> AsyncIterator[MakeHarness]:
    """Builds the harness with settings overrides (e.g. a short ping interval).

    Harnesses made by one test share the notification database, as replicas do; given the
    same `keys`, they accept each other's tickets.
    """
    notification_url = await sql_backend.url("notification")
    cleanups: list[Callable[[], Awaitable[Any]]] = []

    async def make(*, keys: TicketKeys | None = None, **overrides: Any) -> Harness:
        bus_db = Database(f"sqlite:///{tmp_path / 'bus.db'}")
        bus = LocalBus(bus_db)
        await bus.start()
        keys = keys or TicketKeys()
        tickets = Tickets(keys, clock)
        settings = NotificationSettings(
            data_dir=tmp_path, notification_database_url=notification_url, **overrides
        )
        service = build_notification(settings, bus, keys, clock=clock)
        database = service.module.database
        assert database is not None
        await upgrade_to_head_async(MIGRATIONS, database.url, "notification")
        app = FastAPI()
        install_problem_handlers(app)
        app.state.token_verifier = FakeVerifier()
        for router in service.module.routers:
            app.include_router(router)
        client = httpx2.AsyncClient(
            transport=httpx2.ASGITransport(app), base_url=BASE_URL, headers=ENGLISH
        )
        harness = Harness(service, app, bus, clock, tickets, client)

        async def cleanup() -> None:
            await harness.stop()
            await client.aclose()
            await database.dispose()
            await bus.stop()
            await bus_db.dispose()

        cleanups.append(cleanup)
        return harness

    yield make
    for cleanup in reversed(cleanups):
        await cleanup()


@pytest.fixture
async def harness(make_harness: MakeHarness) -> Harness:
    """The harness with default settings, except sockets allowed: 3 per user."""
    return await make_harness(ws_max_sockets_per_user=3)
