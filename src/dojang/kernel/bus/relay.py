"""The outbox relay: publishes committed outbox rows in order and marks them sent.

Several replicas of a service may each run a relay on its one outbox; the one holding the
outbox's lease publishes, the others stand by until it lets go or stops renewing it (see
docs/messaging.md).
"""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import structlog
from sqlalchemy import CursorResult, func, select

from dojang.kernel.background import Pace, cancel_and_wait
from dojang.kernel.bus.port import EventBus, Message
from dojang.kernel.bus.tables import RELAY_LEASE, KernelTables
from dojang.kernel.bus.unit_of_work import OutboxSignal
from dojang.kernel.clock import Clock, SystemClock
from dojang.kernel.db import Database
from dojang.kernel.locks import lock_row_statement

log = structlog.get_logger(__name__)


class OutboxRelay:
    """Moves one service's outbox to the bus: at least once, in commit order, while it holds
    the outbox's lease."""

    def __init__(
        self,
        db: Database,
        tables: KernelTables,
        bus: EventBus,
        signal: OutboxSignal,
        *,
        batch_size: int = 500,
        idle_poll_seconds: float = 1.0,
        pace_seconds: float = 0.005,
        keep_sent: timedelta = timedelta(days=1),
        lease_seconds: float = 30.0,
        holder: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._db = db
        self.outbox = tables.outbox
        self._tables = tables
        self._bus = bus
        self._signal = signal
        self._batch_size = batch_size
        self._idle_poll_seconds = idle_poll_seconds
        self._pace = Pace(pace_seconds)
        self._keep_sent = keep_sent
        self._task: asyncio.Task[None] | None = None
        self._last_prune = datetime.min.replace(tzinfo=UTC)
        # who holds the lease: the host by default, so that a relay restarted after a crash
        # resumes its own lease at once instead of waiting for it to run out
        self.holder = (holder or socket.gethostname())[:64]
        self._lease = timedelta(seconds=lease_seconds)
        self._clock = clock or SystemClock()
        self._lease_until: datetime | None = None
        self._lease_row_exists = False

    @property
    def holds_lease(self) -> bool:
        """Whether this relay held the lease when it last looked, and it has not run out."""
        return self._lease_until is not None and self._clock.now() < self._lease_until

    async def _hold_lease(self) -> bool:
        """Whether this relay holds the outbox's lease, taken or renewed when half run out.

        Taken with a conditional `UPDATE`: it changes the row only if this relay holds the
        lease already, nobody does, or the holder let it run out; so at most one relay holds
        it at any time by the replicas' clocks.
        """
        now = self._clock.now()
        if self._lease_until is not None and now < self._lease_until - self._lease / 2:
            return True
        until = now + self._lease
        async with self._db.engine.begin() as conn:
            if not self._lease_row_exists:
                lease_row = {"name": RELAY_LEASE}
                await conn.execute(
                    lock_row_statement(self._db.dialect, self._tables.outbox_locks, lease_row)
                )
            result = cast(
                CursorResult[Any],
                await conn.execute(
                    self._tables.take_lease, {"relay": self.holder, "now": now, "until": until}
                ),
            )
        self._lease_row_exists = True
        held = self._lease_until is not None
        self._lease_until = until if result.rowcount == 1 else None
        if held != (self._lease_until is not None):
            log.info("outbox_lease_taken" if not held else "outbox_lease_lost", holder=self.holder)
        return self._lease_until is not None

    async def release_lease(self) -> None:
        """Give the lease up, so that a relay standing by takes over at once."""
        if self._lease_until is None:
            return
        self._lease_until = None
        async with self._db.engine.begin() as conn:
            await conn.execute(self._tables.release_lease, {"relay": self.holder})

    async def relay_once(self) -> int:
        """Publish one batch of unsent rows if this relay holds the lease; returns how many
        were published (none while another relay holds it)."""
        if not await self._hold_lease():
            return 0
        async with self._db.engine.connect() as conn:
            rows = (await conn.execute(self._tables.unsent, {"limit": self._batch_size})).all()
        if not rows:
            return 0
        # one publish per topic, in commit order within it: every key keeps its order, as
        # order only ever holds within a topic (Kafka promises nothing across topics)
        by_topic: dict[str, list[Message]] = {}
        for r in rows:
            by_topic.setdefault(r.topic, []).append(Message(key=r.message_key, value=r.payload))
        for topic, messages in by_topic.items():
            await asyncio.sleep(0)  # give the loop back between steps (see ConsumerRunner.run)
            await self._bus.publish(topic, messages)
        await asyncio.sleep(0)
        async with self._db.engine.begin() as conn:
            await conn.execute(
                self._tables.mark_sent,
                {"seqs": [r.seq for r in rows], "sent_at": datetime.now(UTC)},
            )
        return len(rows)

    async def pending(self) -> int:
        """How many committed rows wait to be published."""
        async with self._db.engine.connect() as conn:
            unsent = await conn.scalar(select(func.count()).where(self.outbox.c.sent_at.is_(None)))
        return int(unsent or 0)

    async def prune(self) -> None:
        """Delete rows that were sent long enough ago."""
        cutoff = datetime.now(UTC) - self._keep_sent
        async with self._db.engine.begin() as conn:
            await conn.execute(self._tables.forget_sent, {"cutoff": cutoff})
        self._last_prune = datetime.now(UTC)

    async def run(self) -> None:
        """Relay until cancelled, waking on every commit that carried events."""
        while True:
            await self._pace.next_cycle()
            try:
                published = await self.relay_once()
                if self.holds_lease and datetime.now(UTC) - self._last_prune > timedelta(hours=1):
                    await self.prune()
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
