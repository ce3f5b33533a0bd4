"""The outbox on MariaDB with real concurrent transactions: commits that finish out of `seq`
order, and two relays taking the lease at once (tests/statement_barrier.py)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import await_only

from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.bus.relay import OutboxRelay
from dojang.kernel.clock import FixedClock
from tests.sql_backends import on_mariadb_only
from tests.statement_barrier import StatementBarrier

from .conftest import TinyService

pytestmark = on_mariadb_only

START = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


async def _commit(service: TinyService, name: str) -> None:
    async with service.unit_of_work() as uow:
        uow.emit(
            "counters",
            Event(type="counter.bumped", aggregate_id="k", data={"name": name}, occurred_at=START),
        )
        await uow.commit()


async def _published(bus: LocalBus) -> list[str]:
    subscription = await bus.subscribe("reader", ["counters"])
    records = await subscription.fetch(100, timeout=0)
    await subscription.close()
    return [Event.from_json(r.value).data["name"] for r in records]


def _relay(service: TinyService, bus: LocalBus, holder: str) -> OutboxRelay:
    clock = FixedClock(START)
    return OutboxRelay(service.db, service.tables, bus, service.signal, holder=holder, clock=clock)


class HeldCommit:
    """Holds the commit of the first transaction that appends to the outbox until `release`."""

    def __init__(self) -> None:
        self.appended = asyncio.Event()
        self.release = asyncio.Event()
        self._holding: Any = None

    def _after_execute(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if self._holding is None and statement.startswith("INSERT INTO outbox ("):
            self._holding = conn

    def _commit(self, conn: Any) -> None:
        if conn is self._holding and not self.release.is_set():
            self.appended.set()
            await_only(self.release.wait())

    @contextlib.contextmanager
    def on(self, engine: AsyncEngine) -> Iterator[HeldCommit]:
        sync = engine.sync_engine
        event.listen(sync, "after_cursor_execute", self._after_execute)
        event.listen(sync, "commit", self._commit)
        try:
            yield self
        finally:
            event.remove(sync, "after_cursor_execute", self._after_execute)
            event.remove(sync, "commit", self._commit)


async def test_a_commit_after_a_slower_one_is_relayed_after_it(
    service: TinyService, bus: LocalBus
) -> None:
    """The first transaction has its `seq` but has not committed; the second waits for the
    append lock, so a relay meanwhile sees neither, and the key keeps its order."""
    relay = _relay(service, bus, "pod-1")
    assert isinstance(service.db.engine, AsyncEngine)
    with HeldCommit().on(service.db.engine) as held:
        first = asyncio.create_task(_commit(service, "k1"))
        await held.appended.wait()
        second = asyncio.create_task(_commit(service, "k2"))
        try:
            await asyncio.wait({second}, timeout=0.5)
            waited = not second.done()  # for the first one's append lock
            relayed_meanwhile = await relay.relay_once()
        finally:
            held.release.set()
            await asyncio.gather(first, second)
    while await relay.relay_once():
        pass
    assert await _published(bus) == ["k1", "k2"]
    assert (waited, relayed_meanwhile) == (True, 0)


async def test_two_relays_starting_on_a_fresh_outbox_publish_once(
    service: TinyService, bus: LocalBus
) -> None:
    for name in ("k1", "k2", "k3"):
        await _commit(service, name)
    first, second = _relay(service, bus, "pod-1"), _relay(service, bus, "pod-2")
    published = await asyncio.gather(first.relay_once(), second.relay_once())
    assert sorted(published) == [0, 3]
    assert [first.holds_lease, second.holds_lease].count(True) == 1
    assert await _published(bus) == ["k1", "k2", "k3"]


async def test_two_relays_taking_a_free_lease_at_once_publish_once(
    service: TinyService, bus: LocalBus
) -> None:
    """Both know the lease row and both try the conditional `UPDATE` at once: the second
    waits for the first one's row lock, then finds the lease held and changes nothing."""
    first, second = _relay(service, bus, "pod-1"), _relay(service, bus, "pod-2")
    for relay in (first, second):  # each has held the lease once and let it go
        await relay.relay_once()
        await relay.release_lease()
    for name in ("k1", "k2", "k3"):
        await _commit(service, name)
    barrier = StatementBarrier("UPDATE outbox_locks")
    with barrier.on(service.db):
        published = await asyncio.gather(first.relay_once(), second.relay_once())
    assert barrier.all_met  # both had read nothing and went for the lease together
    assert sorted(published) == [0, 3]
    assert [first.holds_lease, second.holds_lease].count(True) == 1
    assert await _published(bus) == ["k1", "k2", "k3"]
