"""State and the events it causes commit together, and the relay publishes them in order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.bus.port import Message
from dojang.kernel.bus.relay import OutboxRelay
from dojang.kernel.db import Database

from .conftest import TinyService, counters


def _event(name: str, event_id: str | None = None) -> Event:
    extra = {"id": event_id} if event_id else {}
    return Event(
        type="counter.bumped",
        aggregate_id=name,
        data={"name": name},
        occurred_at=datetime.now(UTC),
        **extra,
    )


async def _count(service: TinyService, table: object) -> int:
    async with service.db.engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(table)) or 0)


async def test_state_and_event_are_committed_together(service: TinyService) -> None:
    async with service.unit_of_work() as uow:
        await uow.session.execute(insert(counters).values(name="a", value=1))
        uow.emit("counters", _event("a"))
        await uow.commit()
    assert await _count(service, counters) == 1
    assert await _count(service, service.tables.outbox) == 1


async def test_failure_after_the_state_write_leaves_neither(service: TinyService) -> None:
    async with service.unit_of_work() as uow:
        uow.emit("counters", _event("seed", event_id="00000000-0000-7000-8000-000000000001"))
        await uow.commit()
    # the second event reuses an id, so writing the outbox fails after the state change
    with pytest.raises(IntegrityError):
        async with service.unit_of_work() as uow:
            await uow.session.execute(insert(counters).values(name="b", value=1))
            uow.emit("counters", _event("b", event_id="00000000-0000-7000-8000-000000000001"))
            await uow.commit()
    assert await _count(service, counters) == 0
    assert await _count(service, service.tables.outbox) == 1


async def test_leaving_without_commit_discards_state_and_events(service: TinyService) -> None:
    with pytest.raises(RuntimeError):
        async with service.unit_of_work() as uow:
            await uow.session.execute(insert(counters).values(name="c", value=1))
            uow.emit("counters", _event("c"))
            raise RuntimeError("use case failed")
    assert await _count(service, counters) == 0
    assert await _count(service, service.tables.outbox) == 0


async def _commit_on_two_topics(service: TinyService, *names: str) -> None:
    """One commit per name, each emitting an event on `counters` and then on `audit`."""
    for name in names:
        async with service.unit_of_work() as uow:
            uow.emit("counters", _event(name))
            uow.emit("audit", _event(name))
            await uow.commit()


async def test_relay_publishes_in_commit_order_and_marks_rows_sent(
    service: TinyService, bus: LocalBus
) -> None:
    await _commit_on_two_topics(service, "x", "y", "z")
    relay = OutboxRelay(service.db, service.tables, bus, service.signal)
    assert await relay.relay_once() == 6
    assert await relay.relay_once() == 0
    sub = await bus.subscribe("reader", ["counters"])
    records = await sub.fetch(10, timeout=0)
    assert [r.key for r in records] == ["x", "y", "z"]
    assert [Event.from_json(r.value).data["name"] for r in records] == ["x", "y", "z"]


class CountingBus(LocalBus):
    """The local bus, counting publish calls."""

    publishes: list[tuple[str, int]]

    async def publish(self, topic: str, messages: Sequence[Message]) -> None:
        self.publishes.append((topic, len(messages)))
        await super().publish(topic, messages)


async def test_relay_publishes_a_batch_once_per_topic(service: TinyService, tmp_path: Path) -> None:
    log = Database(f"sqlite:///{tmp_path / 'counted-bus.db'}")
    counting = CountingBus(log)
    counting.publishes = []
    await counting.start()
    await _commit_on_two_topics(service, "x", "y", "z")  # topics alternate in commit order
    relay = OutboxRelay(service.db, service.tables, counting, service.signal)
    assert await relay.relay_once() == 6
    assert counting.publishes == [("counters", 3), ("audit", 3)]
    sub = await counting.subscribe("reader", ["audit"])
    assert [r.key for r in await sub.fetch(10, timeout=0)] == ["x", "y", "z"]
    await counting.stop()
    await log.dispose()


async def test_rows_left_unmarked_by_a_crash_are_published_again(
    service: TinyService, bus: LocalBus
) -> None:
    async with service.unit_of_work() as uow:
        uow.emit("counters", _event("a"))
        await uow.commit()
    relay = OutboxRelay(service.db, service.tables, bus, service.signal)
    await relay.relay_once()
    async with service.db.engine.begin() as conn:  # as if the process died before marking
        await conn.execute(update(service.tables.outbox).values(sent_at=None))
    await relay.relay_once()
    sub = await bus.subscribe("reader", ["counters"])
    records = await sub.fetch(10, timeout=0)
    assert len(records) == 2
    assert len({Event.from_json(r.value).id for r in records}) == 1


async def test_the_relay_wakes_on_commit(service: TinyService, bus: LocalBus) -> None:
    relay = OutboxRelay(service.db, service.tables, bus, service.signal, idle_poll_seconds=30)
    relay.start()
    try:
        sub = await bus.subscribe("reader", ["counters"])
        async with service.unit_of_work() as uow:
            uow.emit("counters", _event("a"))
            await uow.commit()
        records = await sub.fetch(10, timeout=2)
        assert [r.key for r in records] == ["a"]
    finally:
        await relay.stop()


async def test_after_commit_callbacks_run_only_after_a_commit(service: TinyService) -> None:
    ran: list[str] = []

    async def remember(label: str) -> None:
        ran.append(label)

    async with service.unit_of_work() as uow:
        uow.after_commit(lambda: remember("kept"))
        await uow.commit()
    async with service.unit_of_work() as uow:
        uow.after_commit(lambda: remember("dropped"))
    assert ran == ["kept"]
