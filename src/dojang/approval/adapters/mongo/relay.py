"""The relay of the documents' pending events: publish them to the bus, then pull them.

The shape of the kernel's `OutboxRelay`, over the `outbox` array of each document instead
of an outbox table. Several replicas may each run one: the one that holds the lease record
in `relay_leases` publishes, the others stand by until it lets go or stops renewing it. A
document's events are published in the order they were pushed, and only pulled (by their
exact entries, `$pullAll`) after the bus took them, so a crash in between publishes them
again: at least once, in order per document, as consumers expect.
"""

from __future__ import annotations

import asyncio
import socket
from datetime import timedelta
from typing import Any

import structlog
from pymongo import UpdateOne

from dojang.approval.adapters.mongo.store import MongoStore, is_duplicate_key
from dojang.kernel.background import Pace, cancel_and_wait
from dojang.kernel.bus.port import EventBus, Message
from dojang.kernel.bus.unit_of_work import OutboxSignal
from dojang.kernel.clock import Clock, SystemClock

log = structlog.get_logger(__name__)

LEASE = "approval-outbox"


class MongoOutboxRelay:
    """Moves the documents' pending events to the bus while it holds the relay lease."""

    def __init__(
        self,
        store: MongoStore,
        bus: EventBus,
        signal: OutboxSignal,
        *,
        batch_size: int = 200,
        idle_poll_seconds: float = 1.0,
        pace_seconds: float = 0.005,
        lease_seconds: float = 30.0,
        holder: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._store = store
        self._bus = bus
        self._signal = signal
        self._batch_size = batch_size
        self._idle_poll_seconds = idle_poll_seconds
        self._pace = Pace(pace_seconds)
        self._task: asyncio.Task[None] | None = None
        self.holder = (holder or socket.gethostname())[:64]
        self._lease = timedelta(seconds=lease_seconds)
        self._clock = clock or SystemClock()
        self._lease_until: float | None = None

    @property
    def holds_lease(self) -> bool:
        """Whether this relay held the lease when it last looked, and it has not run out."""
        return self._lease_until is not None and self._clock.now().timestamp() < self._lease_until

    async def _hold_lease(self) -> bool:
        """Whether this relay holds the lease, taken or renewed when half run out: a
        conditional update that matches only if this relay holds it, or its holder let it
        run out; the first relay ever inserts it, and a second insert fails on `_id`."""
        now = self._clock.now().timestamp()
        half = self._lease.total_seconds() / 2
        if self._lease_until is not None and now < self._lease_until - half:
            return True
        until = now + self._lease.total_seconds()
        taken = await self._store.leases.update_one(
            {"_id": LEASE, "$or": [{"holder": self.holder}, {"until": {"$lt": now}}]},
            {"$set": {"holder": self.holder, "until": until}},
        )
        held = taken.matched_count == 1
        if not held:
            try:
                await self._store.leases.insert_one(
                    {"_id": LEASE, "holder": self.holder, "until": until}
                )
                held = True
            except Exception as exc:
                if not is_duplicate_key(exc):
                    raise
        had = self._lease_until is not None
        self._lease_until = until if held else None
        if had != held:
            log.info("outbox_lease_taken" if held else "outbox_lease_lost", holder=self.holder)
        return held

    async def release_lease(self) -> None:
        """Give the lease up, so that a relay standing by takes over at once."""
        if self._lease_until is None:
            return
        self._lease_until = None
        await self._store.leases.update_one(
            {"_id": LEASE, "holder": self.holder}, {"$set": {"until": 0.0}}
        )

    async def pending(self) -> int:
        """How many events wait in documents to be published."""
        count = 0
        async for record in self._store.documents.find({"relay_due": True}, {"outbox": 1}):
            count += len(record.get("outbox", []))
        return count

    async def relay_once(self) -> int:
        """Publish the pending events of a batch of documents if this relay holds the
        lease; returns how many were published (none while another relay holds it)."""
        if not await self._hold_lease():
            return 0
        records = await (
            self._store.documents.find({"relay_due": True}, {"outbox": 1})
            .sort("_id", 1)
            .limit(self._batch_size)
            .to_list()
        )
        drained = [r for r in records if not r.get("outbox")]
        waiting = [r for r in records if r.get("outbox")]
        if waiting and self.holds_lease:
            # one publish per topic; a document's events keep their order within it
            by_topic: dict[str, list[Message]] = {}
            for record in waiting:
                for entry in record["outbox"]:
                    message = Message(key=entry["key"], value=entry["payload"].encode())
                    by_topic.setdefault(entry["topic"], []).append(message)
            for topic, messages in by_topic.items():
                await asyncio.sleep(0)  # give the loop back between steps
                await self._bus.publish(topic, messages)
            await asyncio.sleep(0)
            await self._store.documents.bulk_write(
                [_pull(record) for record in waiting], ordered=True
            )
        elif waiting:
            return 0
        done = [*drained, *waiting]
        if done:
            # a document that got new events meanwhile keeps a non-empty outbox, and its flag
            await self._store.documents.bulk_write(
                [
                    UpdateOne(
                        {"_id": r["_id"], "outbox": {"$size": 0}}, {"$set": {"relay_due": False}}
                    )
                    for r in done
                ],
                ordered=False,
            )
        return sum(len(record["outbox"]) for record in waiting)

    async def run(self) -> None:
        """Relay until cancelled, waking on every commit that carried events."""
        while True:
            await self._pace.next_cycle()
            try:
                published = await self.relay_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox_relay_failed")
                published = 0
                await asyncio.sleep(self._idle_poll_seconds)
            if published == 0:
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


def _pull(record: dict[str, Any]) -> UpdateOne:
    return UpdateOne({"_id": record["_id"]}, {"$pullAll": {"outbox": record["outbox"]}})
