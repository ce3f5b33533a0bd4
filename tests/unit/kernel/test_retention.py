"""Bounded storage: the embedded bus log and the processed event ids are pruned by age
(and the log by size), and what is kept still reads as before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import MetaData, func, insert, select, update

from dojang.kernel.bus.local import LocalBus, log
from dojang.kernel.bus.port import Message
from dojang.kernel.bus.tables import define_kernel_tables
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database
from dojang.kernel.migrations import upgrade_to_head_async
from dojang.kernel.retention import prune_processed, retention_job
from dojang.kernel.settings import KernelSettings
from dojang.processing.bootstrap import MIGRATIONS as PROCESSING_MIGRATIONS
from tests.sql_backends import SqlBackend

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def _messages(count: int, size: int = 10) -> list[Message]:
    return [Message(key=f"k{i}", value=b"x" * size) for i in range(count)]


async def _offsets(bus_db: Database, topic: str) -> list[int]:
    async with bus_db.engine.connect() as conn:
        found = await conn.execute(select(log.c.offset).where(log.c.topic == topic))
        return sorted(found.scalars())


async def test_the_log_drops_messages_older_than_its_retention(tmp_path: Path) -> None:
    bus_db = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    bus = LocalBus(bus_db)
    await bus.start()
    await bus.publish("orders", _messages(10))
    await bus.publish("other", _messages(2))
    async with bus_db.engine.begin() as conn:
        await conn.execute(
            update(log).where(log.c.offset <= 6).values(appended_at=NOW - timedelta(days=8))
        )
    deleted = await bus.prune(older_than=NOW - timedelta(days=7), max_bytes=10**9, batch=2)
    assert deleted == 6
    assert await _offsets(bus_db, "orders") == [7, 8, 9, 10]
    assert await _offsets(bus_db, "other") == [11, 12]
    subscription = await bus.subscribe("late", ["orders"])
    assert [r.offset for r in await subscription.fetch(10, timeout=0)] == [7, 8, 9, 10]
    await bus.stop()
    await bus_db.dispose()


async def test_the_log_keeps_about_its_size_limit_per_topic(tmp_path: Path) -> None:
    bus_db = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    bus = LocalBus(bus_db)
    await bus.start()
    await bus.publish("orders", _messages(100, size=100))
    await bus.publish("small", _messages(3, size=100))
    await bus.prune(older_than=NOW - timedelta(days=7), max_bytes=2_000)
    assert await _offsets(bus_db, "orders") == list(range(81, 101))
    assert await _offsets(bus_db, "small") == [101, 102, 103]
    await bus.stop()
    await bus_db.dispose()


async def test_processed_event_ids_beyond_the_window_are_forgotten(
    sql_backend: SqlBackend,
) -> None:
    url = await sql_backend.url("processing")
    await upgrade_to_head_async(PROCESSING_MIGRATIONS, url, "processing")
    database = Database(url)
    processed = define_kernel_tables(MetaData()).processed_events
    rows = [
        {
            "consumer_group": "g",
            "event_id": f"e{i}",
            "event_type": "t",
            "processed_at": NOW - timedelta(days=i),
        }
        for i in range(10)
    ]
    async with database.engine.begin() as conn:
        await conn.execute(insert(processed), rows)
    assert await prune_processed(database, NOW - timedelta(days=6, hours=12), batch=2) == 3
    async with database.engine.connect() as conn:
        left = await conn.scalar(select(func.count()).select_from(processed))
    assert left == 7
    await database.dispose()


async def test_the_retention_job_prunes_the_log_and_each_database(tmp_path: Path) -> None:
    bus_db = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    bus = LocalBus(bus_db)
    await bus.start()
    await bus.publish("orders", _messages(5))
    url = f"sqlite:///{tmp_path / 'processing.db'}"
    await upgrade_to_head_async(PROCESSING_MIGRATIONS, url, "processing")
    database = Database(url)
    later = FixedClock(datetime.now(UTC) + timedelta(days=8))
    job = retention_job(KernelSettings(data_dir=tmp_path), later, bus, [database])
    assert await job.run_once() == 5
    assert await _offsets(bus_db, "orders") == []
    await database.dispose()
    await bus.stop()
    await bus_db.dispose()
