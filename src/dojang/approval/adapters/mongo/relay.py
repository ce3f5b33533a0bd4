"""The relay of the documents' pending events: publish them to the bus, then pull them.

The kernel's `RelayLoop` (shared with the SQL `OutboxRelay`), over the `outbox` array of
each document instead of an outbox table. Several replicas may each run one: the one that
holds the lease record in `relay_leases` publishes, the others stand by until it lets go or
stops renewing it. A document's events are published in the order they were pushed, and
only taken out of it after the bus took them (a guarded write of the document's next
revision, as a save is), so a crash in between publishes them again: at least once, in
order per document.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import structlog

from dojang.approval.adapters.mongo.guard import WriteGuard
from dojang.approval.adapters.mongo.store import MongoStore, is_duplicate_key
from dojang.kernel.bus.port import EventBus, Message
from dojang.kernel.bus.relay_loop import RelayLoop
from dojang.kernel.bus.unit_of_work import OutboxSignal
from dojang.kernel.clock import Clock
from dojang.kernel.tracing import traceparent_header

log = structlog.get_logger(__name__)

LEASE = "approval-outbox"
_PULL_ATTEMPTS = 5
_SWEEP_SECONDS = 10.0


def _pulled(record: dict[str, Any], published: set[str]) -> dict[str, Any]:
    """The update that leaves in the document only its events not yet published."""
    remaining = [e for e in record.get("outbox", []) if e["id"] not in published]
    return {
        "$set": {
            "outbox": remaining,
            "relay_due": bool(remaining),
            "revision": record["revision"] + 1,
        }
    }


class MongoOutboxRelay(RelayLoop):
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
        self._store = store
        self._guard = WriteGuard(store)
        self._last_sweep = 0.0

    async def _hold_lease(self) -> bool:
        """Whether this relay holds the lease, taken or renewed when half run out: by a
        guarded compare-and-set on the lease record's `rev`, only if this relay holds it
        or its holder let it run out; the first relay ever inserts it (one insert wins)."""
        now = self._clock.now()
        if self._lease_still_fresh(now):
            return True
        until = now + self._lease
        lease = await self._store.leases.find_one({"_id": LEASE})
        if lease is None:
            held = await self._insert_lease(until.timestamp())
        elif lease["holder"] != self.holder and lease["until"] >= now.timestamp():
            held = False
        else:
            held = await self._guard.update(
                self._store.leases,
                LEASE,
                "rev",
                lease["rev"],
                {
                    "$set": {
                        "holder": self.holder,
                        "until": until.timestamp(),
                        "rev": lease["rev"] + 1,
                    }
                },
            )
        return self._lease_result(held, until)

    async def _insert_lease(self, until: float) -> bool:
        try:
            await self._store.leases.insert_one(
                {"_id": LEASE, "holder": self.holder, "until": until, "rev": 0}
            )
        except Exception as exc:
            if not is_duplicate_key(exc):
                raise
            return False
        return True

    async def release_lease(self) -> None:
        """Give the lease up, so that a relay standing by takes over at once."""
        if self._lease_until is None:
            return
        self._lease_until = None
        lease = await self._store.leases.find_one({"_id": LEASE})
        if lease is not None and lease["holder"] == self.holder:
            await self._guard.update(
                self._store.leases,
                LEASE,
                "rev",
                lease["rev"],
                {"$set": {"until": 0.0, "rev": lease["rev"] + 1}},
            )

    async def pending(self) -> int:
        """How many events wait in documents to be published."""
        count = 0
        async for record in self._store.documents.find({"relay_due": True}, {"outbox": 1}):
            count += len(record.get("outbox", []))
        return count

    async def oldest_pending(self) -> datetime | None:
        """When the oldest pending event was queued (its `queued` id's time; None: none)."""
        oldest: datetime | None = None
        async for record in self._store.documents.find({"relay_due": True}, {"outbox": 1}):
            for entry in record.get("outbox", []):
                queued: datetime = entry["queued"].generation_time
                oldest = queued if oldest is None else min(oldest, queued)
        return oldest

    async def relay_once(self) -> int:
        """Publish the pending events of a batch of documents if this relay holds the
        lease; returns how many were published (none while another relay holds it)."""
        if not await self._hold_lease():
            return 0
        records = await (
            self._store.documents.find({"relay_due": True}, {"outbox": 1, "revision": 1})
            .sort("_id", 1)
            .limit(self._batch_size)
            .to_list()
        )
        if not records or not self.holds_lease:
            return 0
        # a document's events keep their order within their topic
        published = {entry["id"] for record in records for entry in record.get("outbox", [])}
        await self._publish_by_topic(
            (entry["topic"], _message(entry))
            for record in records
            for entry in record.get("outbox", [])
        )
        await self._pull_all(records, published)
        return len(published)

    async def _pull_all(self, records: list[dict[str, Any]], published: set[str]) -> None:
        """Take the published events out of every document of the batch in one round
        trip; the documents a save changed meanwhile are read again and pulled one by one."""
        writes = [(r["_id"], r["revision"], _pulled(r, published)) for r in records]
        if await self._guard.update_each(self._store.documents, "revision", writes):
            return
        ids = [record["_id"] for record in records]
        async for record in self._store.documents.find(
            {"_id": {"$in": ids}}, {"outbox": 1, "revision": 1}
        ):
            await self._pull(record, published)

    async def _pull(self, record: dict[str, Any], published: set[str]) -> None:
        """Take the published events out of the document: a guarded write of its next
        revision, so it cannot undo, nor be undone by, a save of new events meanwhile."""
        for _ in range(_PULL_ATTEMPTS):
            if not any(e["id"] in published for e in record.get("outbox", [])):
                return
            revision = record["revision"]
            if await self._guard.update(
                self._store.documents,
                record["_id"],
                "revision",
                revision,
                _pulled(record, published),
            ):
                return
            found = await self._store.documents.find_one(
                {"_id": record["_id"]}, {"outbox": 1, "revision": 1}
            )
            if found is None:
                return
            record = found
        # left for the next round, which publishes those events again (at least once)
        log.warning("outbox_pull_contended", document_id=record["_id"])

    async def housekeeping(self) -> None:
        """Every `_SWEEP_SECONDS`, delete the old write tokens."""
        now = self._clock.now().timestamp()
        if now - self._last_sweep > _SWEEP_SECONDS:
            self._last_sweep = now
            await self._guard.forget_old_tokens()


def _message(entry: dict[str, Any]) -> Message:
    payload: bytes = entry["payload"].encode()
    return Message(key=entry["key"], value=payload, headers=traceparent_header(payload))
