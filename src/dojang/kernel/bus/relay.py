"""The outbox relay: publishes committed outbox rows in order and marks them sent."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import structlog

from dojang.kernel.background import Pace, cancel_and_wait
from dojang.kernel.bus.port import EventBus, Message
from dojang.kernel.bus.tables import KernelTables
from dojang.kernel.bus.unit_of_work import OutboxSignal
from dojang.kernel.db import Database

log = structlog.get_logger(__name__)


class OutboxRelay:
    """Moves one service's outbox to the bus: at least once, in commit order."""

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

    async def relay_once(self) -> int:
        """Publish one batch of unsent rows; returns how many were published."""
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
                if datetime.now(UTC) - self._last_prune > timedelta(hours=1):
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
        """Publish what is left, then stop."""
        await cancel_and_wait(self._task)
        self._task = None
        try:
            while await self.relay_once():
                pass
        except Exception:
            log.exception("outbox_relay_final_flush_failed")
