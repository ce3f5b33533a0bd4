"""The outbox relay: publishes committed outbox rows in order and marks them sent.

Several replicas of a service may each run a relay on its one outbox; the one holding the
outbox's lease publishes, the others stand by until it lets go or stops renewing it (see
docs/messaging.md). The loop, the lease bookkeeping and the publish per topic are
`RelayLoop`'s, shared with the MongoDB relay.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, func, select

from dojang.kernel.bus.port import EventBus, Message
from dojang.kernel.bus.relay_loop import RelayLoop
from dojang.kernel.bus.tables import RELAY_LEASE, KernelTables
from dojang.kernel.bus.unit_of_work import OutboxSignal
from dojang.kernel.clock import Clock
from dojang.kernel.db import Database
from dojang.kernel.locks import lock_row_statement
from dojang.kernel.tracing import traceparent_header


class OutboxRelay(RelayLoop):
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
        super().__init__(
            bus,
            signal,
            batch_size=batch_size,
            idle_poll_seconds=idle_poll_seconds,
            pace_seconds=pace_seconds,
            lease_seconds=lease_seconds,
            holder=holder,
            clock=clock,
        )
        self._db = db
        self.outbox = tables.outbox
        self._tables = tables
        self._keep_sent = keep_sent
        self._last_prune = datetime.min.replace(tzinfo=UTC)
        self._lease_row_exists = False

    async def _hold_lease(self) -> bool:
        """Whether this relay holds the outbox's lease, taken or renewed when half run out.

        Taken with a conditional `UPDATE`: it changes the row only if this relay holds the
        lease already, nobody does, or the holder let it run out; so at most one relay holds
        it at any time by the replicas' clocks.
        """
        now = self._clock.now()
        if self._lease_still_fresh(now):
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
        return self._lease_result(result.rowcount == 1, until)

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
        await self._publish_by_topic(
            (
                r.topic,
                Message(key=r.message_key, value=r.payload, headers=traceparent_header(r.payload)),
            )
            for r in rows
        )
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

    async def oldest_pending(self) -> datetime | None:
        """When the oldest unsent row was committed (None: all are sent)."""
        async with self._db.engine.connect() as conn:
            oldest = await conn.scalar(
                select(func.min(self.outbox.c.created_at)).where(self.outbox.c.sent_at.is_(None))
            )
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)  # SQLite keeps no zone: rows are written in UTC
        return cast(datetime | None, oldest)

    async def prune(self) -> None:
        """Delete rows that were sent long enough ago."""
        cutoff = datetime.now(UTC) - self._keep_sent
        async with self._db.engine.begin() as conn:
            await conn.execute(self._tables.forget_sent, {"cutoff": cutoff})
        self._last_prune = datetime.now(UTC)

    async def housekeeping(self) -> None:
        """Prune the sent rows once an hour."""
        if datetime.now(UTC) - self._last_prune > timedelta(hours=1):
            await self.prune()
