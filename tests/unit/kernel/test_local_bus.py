"""The in-process bus keeps Kafka's contract: topics, keys, per-key order, groups."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import event, text

from dojang.kernel.bus.local import LocalBus
from dojang.kernel.bus.port import Message, Record
from dojang.kernel.db import Database


def _messages(*pairs: tuple[str, str]) -> list[Message]:
    return [Message(key=k, value=v.encode()) for k, v in pairs]


async def test_each_group_sees_every_message_once(bus: LocalBus) -> None:
    await bus.publish("orders", _messages(("a", "1"), ("b", "2"), ("a", "3")))
    first = await bus.subscribe("billing", ["orders"])
    second = await bus.subscribe("shipping", ["orders"])
    seen_first = await first.fetch(10, timeout=0)
    seen_second = await second.fetch(10, timeout=0)
    assert [r.value for r in seen_first] == [b"1", b"2", b"3"]
    assert [r.value for r in seen_second] == [b"1", b"2", b"3"]
    await first.commit(seen_first)
    assert await first.fetch(10, timeout=0) == []
    again = await bus.subscribe("billing", ["orders"])
    assert await again.fetch(10, timeout=0) == []


async def test_uncommitted_records_are_delivered_again_after_resubscribing(bus: LocalBus) -> None:
    await bus.publish("orders", _messages(("a", "1"), ("a", "2")))
    sub = await bus.subscribe("billing", ["orders"])
    records = await sub.fetch(1, timeout=0)
    await sub.commit(records)
    await sub.fetch(10, timeout=0)  # fetched, never committed: the process "crashed"
    await sub.close()
    resumed = await bus.subscribe("billing", ["orders"])
    assert [r.value for r in await resumed.fetch(10, timeout=0)] == [b"2"]


async def test_per_key_order_holds_across_batches(bus: LocalBus) -> None:
    for i in range(20):
        await bus.publish("orders", _messages((f"k{i % 3}", str(i))))
    sub = await bus.subscribe("billing", ["orders"])
    values: dict[str, list[int]] = {}
    while records := await sub.fetch(4, timeout=0):
        for r in records:
            values.setdefault(r.key, []).append(int(r.value))
        await sub.commit(records)
    assert all(v == sorted(v) for v in values.values())
    assert sum(len(v) for v in values.values()) == 20


async def test_a_subscription_only_sees_its_topics(bus: LocalBus) -> None:
    await bus.publish("orders", _messages(("a", "order")))
    await bus.publish("refunds", _messages(("a", "refund")))
    sub = await bus.subscribe("billing", ["refunds"])
    assert [r.value for r in await sub.fetch(10, timeout=0)] == [b"refund"]


async def test_fetch_wakes_up_when_a_message_is_published(bus: LocalBus) -> None:
    sub = await bus.subscribe("billing", ["orders"])
    waiting = asyncio.create_task(sub.fetch(10, timeout=5))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    await bus.publish("orders", _messages(("a", "late")))
    records = await asyncio.wait_for(waiting, 1)
    assert [r.value for r in records] == [b"late"]


async def test_committed_offsets_survive_a_new_bus_on_the_same_file(bus: LocalBus) -> None:
    await bus.publish("orders", _messages(("a", "1"), ("a", "2")))
    sub = await bus.subscribe("billing", ["orders"])
    await sub.commit(await sub.fetch(1, timeout=0))
    reopened = LocalBus(bus._db)
    resumed = await reopened.subscribe("billing", ["orders"])
    assert [r.value for r in await resumed.fetch(10, timeout=0)] == [b"2"]


async def test_group_committed_on_one_topic_only_is_not_redelivered_there(bus: LocalBus) -> None:
    await bus.publish("orders", _messages(("a", "o1")))
    await bus.publish("refunds", _messages(("a", "r1")))
    sub = await bus.subscribe("billing", ["orders", "refunds"])
    records = await sub.fetch(10, timeout=0)
    await sub.commit([r for r in records if r.topic == "refunds"])
    resumed = await bus.subscribe("billing", ["orders", "refunds"])
    assert [r.value for r in await resumed.fetch(10, timeout=0)] == [b"o1"]


async def test_a_fetch_cancelled_as_it_is_woken_still_ends(bus: LocalBus) -> None:
    sub = await bus.subscribe("billing", ["orders"])
    waiting = asyncio.create_task(sub.fetch(10, timeout=30))
    await asyncio.sleep(0.05)
    bus.wake_all()  # the wake-up and the cancellation land in the same loop iteration
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(waiting, 2)


class CountingReads(LocalBus):
    """The local bus, counting reads of its log."""

    reads = 0

    async def read_from(self, positions: dict[str, int], limit: int) -> list[Record]:
        self.reads += 1
        return await super().read_from(positions, limit)


async def test_an_append_wakes_only_the_subscriptions_of_its_topic(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'counted.db'}")
    bus = CountingReads(db)
    await bus.start()
    try:
        subscription = await bus.subscribe("reader", ["wanted"])
        fetching = asyncio.create_task(subscription.fetch(10, timeout=5))
        await asyncio.sleep(0.05)
        assert bus.reads == 1  # read once, found nothing, now waiting
        for n in range(3):
            await bus.publish("other", [Message(key="k", value=f"{n}".encode())])
        await asyncio.sleep(0.05)
        assert bus.reads == 1
        await bus.publish("wanted", [Message(key="k", value=b"yes")])
        records = await fetching
        assert [r.value for r in records] == [b"yes"]
        await subscription.close()
    finally:
        await bus.stop()
        await db.dispose()


async def test_a_log_written_before_headers_existed_gets_their_column(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    async with db.engine.begin() as conn:
        await conn.execute(
            text(
                'CREATE TABLE bus_log ("offset" INTEGER PRIMARY KEY AUTOINCREMENT, '
                "topic VARCHAR(200) NOT NULL, message_key VARCHAR(200) NOT NULL, "
                "value BLOB NOT NULL, appended_at DATETIME NOT NULL)"
            )
        )
        await conn.execute(
            text(
                "INSERT INTO bus_log (topic, message_key, value, appended_at) "
                "VALUES ('orders', 'a', x'6f6c64', '2026-01-01 00:00:00')"
            )
        )
    bus = LocalBus(db)
    try:
        await bus.start()
        await bus.publish("orders", [Message("a", b"new", headers=(("origin", "test"),))])
        records = await bus.read(["orders"], 0, 10)
        assert [(r.value, r.headers) for r in records] == [
            (b"old", ()),
            (b"new", (("origin", "test"),)),
        ]
    finally:
        await bus.stop()
        await db.dispose()


async def test_a_restart_reads_each_topic_from_its_own_committed_offset(tmp_path: Path) -> None:
    """A group far ahead on one topic and behind on another does not re-read the first."""
    db = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    bus = LocalBus(db)
    await bus.start()
    await bus.publish("busy", [Message(key="b", value=str(i).encode()) for i in range(2_000)])
    await bus.publish("quiet", _messages(("q", "late")))
    sub = await bus.subscribe("group", ["quiet", "busy"])
    while records := await sub.fetch(500, timeout=0):
        await sub.commit([r for r in records if r.topic == "busy"])
    await sub.close()

    reads: list[str] = []

    def count_log_reads(_c: object, _cur: object, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "bus_log" in statement:
            reads.append(statement)

    sync_engine = db.engine.sync_engine  # type: ignore[attr-defined]
    event.listen(sync_engine, "before_cursor_execute", count_log_reads)
    resumed = await bus.subscribe("group", ["quiet", "busy"])
    first = await resumed.fetch(10, timeout=0)
    event.remove(sync_engine, "before_cursor_execute", count_log_reads)
    assert [r.value for r in first] == [b"late"]
    assert len(reads) <= 2  # one indexed read per topic, none through the busy backlog
    await bus.stop()
    await db.dispose()
