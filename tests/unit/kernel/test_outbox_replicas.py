"""Two relays on one outbox, and commits whose order is not their `seq` order."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import event, insert

from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.bus.port import EventBus, Message
from dojang.kernel.bus.relay import OutboxRelay
from dojang.kernel.clock import FixedClock

from .conftest import TinyService, counters

START = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


class HeldBus:
    """The local bus, whose first publish waits until `go` is set (a relay stuck mid-batch)."""

    def __init__(self, bus: LocalBus) -> None:
        self._bus = bus
        self.publishing = asyncio.Event()
        self.go = asyncio.Event()
        self._held_one = False

    async def publish(self, topic: str, messages: Sequence[Message]) -> None:
        if not self._held_one:
            self._held_one = True
            self.publishing.set()
            await self.go.wait()
        await self._bus.publish(topic, messages)

    def __getattr__(self, name: str) -> object:
        return getattr(self._bus, name)


async def _commit(service: TinyService, *names: str) -> None:
    for name in names:
        async with service.unit_of_work() as uow:
            uow.emit(
                "counters",
                Event(
                    type="counter.bumped",
                    aggregate_id=name[0],
                    data={"name": name},
                    occurred_at=START,
                ),
            )
            await uow.commit()


async def _published(bus: LocalBus) -> list[str]:
    subscription = await bus.subscribe("reader", ["counters"])
    records = await subscription.fetch(100, timeout=0)
    await subscription.close()
    return [Event.from_json(r.value).data["name"] for r in records]


def _relay(service: TinyService, bus: EventBus, clock: FixedClock, holder: str) -> OutboxRelay:
    return OutboxRelay(service.db, service.tables, bus, service.signal, holder=holder, clock=clock)


async def test_a_second_relay_publishes_nothing_while_the_first_holds_the_lease(
    service: TinyService, bus: LocalBus
) -> None:
    clock = FixedClock(START)
    held = HeldBus(bus)
    first, second = _relay(service, held, clock, "pod-1"), _relay(service, bus, clock, "pod-2")
    await _commit(service, "a1", "b1", "a2")
    publishing = asyncio.create_task(first.relay_once())
    await held.publishing.wait()  # the first relay has read the rows and is publishing them
    assert await second.relay_once() == 0
    held.go.set()
    assert await publishing == 3
    assert await second.relay_once() == 0
    assert await _published(bus) == ["a1", "b1", "a2"]


async def test_a_relay_standing_by_takes_over_once_the_lease_runs_out(
    service: TinyService, bus: LocalBus
) -> None:
    clock = FixedClock(START)
    first, second = _relay(service, bus, clock, "pod-1"), _relay(service, bus, clock, "pod-2")
    await _commit(service, "a1")
    assert await first.relay_once() == 1
    await _commit(service, "a2")  # and the first relay's process stops answering
    clock.advance(seconds=29)
    assert await second.relay_once() == 0
    clock.advance(seconds=1)
    assert await second.relay_once() == 1
    assert not first.holds_lease
    assert await first.relay_once() == 0  # back, it finds the lease taken
    assert await _published(bus) == ["a1", "a2"]


async def test_a_stopping_relay_hands_the_lease_over_at_once(
    service: TinyService, bus: LocalBus
) -> None:
    clock = FixedClock(START)
    first, second = _relay(service, bus, clock, "pod-1"), _relay(service, bus, clock, "pod-2")
    await _commit(service, "a1")
    assert await first.relay_once() == 1
    await first.stop()
    await _commit(service, "a2")
    assert await second.relay_once() == 1
    assert await _published(bus) == ["a1", "a2"]


async def test_a_relay_restarted_on_the_same_host_resumes_its_lease_at_once(
    service: TinyService, bus: LocalBus
) -> None:
    clock = FixedClock(START)
    await _commit(service, "a1")
    assert await _relay(service, bus, clock, "host-1").relay_once() == 1
    await _commit(service, "a2")  # the process died without giving the lease up
    assert await _relay(service, bus, clock, "host-1").relay_once() == 1
    assert await _published(bus) == ["a1", "a2"]


async def test_a_relay_stuck_past_its_lease_publishes_again_what_its_successor_did(
    service: TinyService, bus: LocalBus
) -> None:
    """Both start from the oldest unsent row and go in `seq` order, so the first copy of
    every event still comes in order; consumers drop the second copies by event id."""
    clock = FixedClock(START)
    held = HeldBus(bus)
    first, second = _relay(service, held, clock, "pod-1"), _relay(service, bus, clock, "pod-2")
    await _commit(service, "a1", "b1", "a2")
    stuck = asyncio.create_task(first.relay_once())
    await held.publishing.wait()
    clock.advance(seconds=31)
    await _commit(service, "b2")
    assert await second.relay_once() == 4
    held.go.set()
    assert await stuck == 3
    published = await _published(bus)
    assert list(dict.fromkeys(published)) == ["a1", "b1", "a2", "b2"]


async def test_on_a_server_database_a_commit_locks_the_append_row_before_appending(
    service: TinyService,
) -> None:
    statements: list[str] = []
    engine = service.db.engine.sync_engine  # type: ignore[attr-defined]

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    on_sqlite = service.db.is_sqlite
    service.db.is_sqlite = False  # the statements are the same; SQLite just needs no lock
    event.listen(engine, "before_cursor_execute", record)
    try:
        async with service.unit_of_work() as uow:
            await uow.session.execute(insert(counters).values(name="a", value=1))
            await uow.commit()  # no events: no lock
        await _commit(service, "a1")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert [s.split(" (")[0] for s in statements] == [
        "INSERT INTO counters",
        "INSERT INTO outbox_locks",
        "INSERT INTO outbox",
    ]
    upsert = "ON CONFLICT (name) DO UPDATE" if on_sqlite else "ON DUPLICATE KEY UPDATE"
    assert upsert in statements[1]


async def test_on_sqlite_a_commit_appends_without_a_lock(sqlite_service: TinyService) -> None:
    service = sqlite_service
    statements: list[str] = []
    engine = service.db.engine.sync_engine  # type: ignore[attr-defined]

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        await _commit(service, "a1")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert [s.split(" (")[0] for s in statements] == ["INSERT INTO outbox"]
