"""What a service hands the composer: routers, its database, relay, consumers, hooks."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from fastapi import APIRouter

from dojang.kernel.bus.consumer import ConsumerRunner
from dojang.kernel.db import Database

Hook = Callable[[], Awaitable[None]]


class EventRelay(Protocol):
    """Publishes a service's committed events to the bus (the kernel's `OutboxRelay`, or a
    store's own, such as approval documents' on MongoDB)."""

    def start(self) -> None:
        """Run the relay in the background."""
        ...

    async def stop(self) -> None:
        """Publish what is left, then stop."""
        ...

    async def relay_once(self) -> int:
        """Publish one batch; how many events were published."""
        ...

    async def pending(self) -> int:
        """How many committed events wait to be published."""
        ...

    async def oldest_pending(self) -> datetime | None:
        """When the oldest event still waiting to be published was committed (None: none)."""
        ...


@dataclass
class ServiceModule:
    """One service, assembled from settings and ports, ready to be started."""

    name: str
    routers: list[APIRouter] = field(default_factory=list)
    database: Database | None = None
    migrations: Path | None = None
    relay: EventRelay | None = None
    consumers: list[ConsumerRunner[Any]] = field(default_factory=list)
    on_start: list[Hook] = field(default_factory=list)
    on_stop: list[Hook] = field(default_factory=list)
    readiness: list[Hook] = field(default_factory=list)


async def answers(check: Hook, *, within_seconds: float | None = None) -> bool:
    """Whether a readiness `check` returns without raising (within `within_seconds`)."""
    try:
        async with asyncio.timeout(within_seconds):
            await check()
    except Exception:
        return False
    return True
