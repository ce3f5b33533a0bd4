"""What every outbox relay does around its store: the lease it holds, the paced loop woken by
commits, the publish per topic, and the final flush at stop.

A relay over a store (the SQL outbox table, the MongoDB documents' `outbox` arrays) says how
to take and give up its lease, how to publish one batch, and what housekeeping it does while
it holds the lease; `RelayLoop` runs it.
"""

from __future__ import annotations

import asyncio
import socket
from abc import ABC, abstractmethod
from collections.abc import Iterable
from datetime import datetime, timedelta

import structlog

from dojang.kernel.background import Pace, cancel_and_wait
from dojang.kernel.bus.port import EventBus, Message
from dojang.kernel.bus.unit_of_work import OutboxSignal
from dojang.kernel.clock import Clock, SystemClock

log = structlog.get_logger(__name__)


class RelayLoop(ABC):
    """The loop of one relay: relays batches while it holds its lease, until stopped."""

    def __init__(
        self,
        bus: EventBus,
        signal: OutboxSignal,
        *,
        batch_size: int,
        idle_poll_seconds: float,
        pace_seconds: float,
        lease_seconds: float,
        holder: str | None,
        clock: Clock | None,
    ) -> None:
        self._bus = bus
        self._signal = signal
        self._batch_size = batch_size
        self._idle_poll_seconds = idle_poll_seconds
        self._pace = Pace(pace_seconds)
        self._task: asyncio.Task[None] | None = None
        # who holds the lease: the host by default, so that a relay restarted after a crash
        # resumes its own lease at once instead of waiting for it to run out
        self.holder = (holder or socket.gethostname())[:64]
        self._lease = timedelta(seconds=lease_seconds)
        self._clock = clock or SystemClock()
        self._lease_until: datetime | None = None

    @property
    def holds_lease(self) -> bool:
        """Whether this relay held the lease when it last looked, and it has not run out."""
        return self._lease_until is not None and self._clock.now() < self._lease_until

    def _lease_still_fresh(self, now: datetime) -> bool:
        """Whether the lease held has more than half of its time left (no renewal yet)."""
        return self._lease_until is not None and now < self._lease_until - self._lease / 2

    def _lease_result(self, held: bool, until: datetime) -> bool:
        """Record whether the lease is held (until `until`), logging a change; `held`."""
        had = self._lease_until is not None
        self._lease_until = until if held else None
        if had != held:
            log.info("outbox_lease_taken" if held else "outbox_lease_lost", holder=self.holder)
        return held

    @abstractmethod
    async def relay_once(self) -> int:
        """Publish one batch if this relay holds the lease; how many were published."""

    @abstractmethod
    async def release_lease(self) -> None:
        """Give the lease up, so that a relay standing by takes over at once."""

    async def housekeeping(self) -> None:  # noqa: B027 (a relay may have none)
        """What the relay holding the lease does now and then besides relaying."""

    async def _publish_by_topic(self, messages: Iterable[tuple[str, Message]]) -> None:
        """One publish per topic, in the given order within it: every key keeps its order,
        as order only ever holds within a topic (Kafka promises nothing across topics)."""
        by_topic: dict[str, list[Message]] = {}
        for topic, message in messages:
            by_topic.setdefault(topic, []).append(message)
        for topic, batch in by_topic.items():
            await asyncio.sleep(0)  # give the loop back between steps (see ConsumerRunner.run)
            await self._bus.publish(topic, batch)
        await asyncio.sleep(0)

    async def run(self) -> None:
        """Relay until cancelled, waking on every commit that carried events."""
        while True:
            await self._pace.next_cycle()
            try:
                published = await self.relay_once()
                if self.holds_lease:
                    await self.housekeeping()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox_relay_failed")
                published = 0
                await asyncio.sleep(self._idle_poll_seconds)
            if published < self._batch_size:
                await self._signal.wait(self._idle_poll_seconds)

    def start(self) -> None:
        """Run the relay in the background."""
        self._task = asyncio.get_running_loop().create_task(self.run(), name="outbox-relay")

    async def stop(self) -> None:
        """Publish what is left, give the lease up, then stop."""
        await cancel_and_wait(self._task)
        self._task = None
        try:
            while await self.relay_once():
                pass
            await self.release_lease()
        except Exception:
            log.exception("outbox_relay_final_flush_failed")
