"""Bounded storage: the retention job of a process (docs/retention.md).

Every database keeps the ids of the events its consumers processed, to drop a redelivery;
beyond the redelivery window (`processed_retention_hours`) an id can no longer come back
and goes. The embedded bus log keeps messages by age and size per topic, as Kafka does.
Each pass deletes in batches through an index, so its cost follows what it deletes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Delete, MetaData, bindparam, select

from dojang.kernel.background import PeriodicJob
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.bus.port import EventBus
from dojang.kernel.bus.tables import define_kernel_tables
from dojang.kernel.clock import Clock
from dojang.kernel.db import Database
from dojang.kernel.settings import KernelSettings

BATCH = 5_000

_processed = define_kernel_tables(MetaData()).processed_events
_OLD = _processed.c.processed_at < bindparam("before")


def _prune_statement(database: Database, batch: int) -> Delete:
    # MySQL/MariaDB take no LIMIT in an IN subquery but do take one on DELETE; SQLite the
    # other way round
    if database.is_sqlite:
        return _processed.delete().where(
            _OLD,
            _processed.c.event_id.in_(
                select(_processed.c.event_id)
                .where(_OLD)
                .order_by(_processed.c.processed_at)
                .limit(batch)
            ),
        )
    return _processed.delete().where(_OLD).with_dialect_options(mysql_limit=batch)


Pruner = Callable[[], Awaitable[int]]


async def prune_processed(database: Database, before: Any, *, batch: int = BATCH) -> int:
    """Forget the event ids processed before `before`; how many went."""
    deleted = 0
    statement = _prune_statement(database, batch)
    while True:
        async with database.engine.begin() as conn:
            result = await conn.execute(statement, {"before": before})
            count = cast(CursorResult[Any], result).rowcount
        deleted += count
        if count < batch:
            return deleted


def retention_job(
    settings: KernelSettings,
    clock: Clock,
    bus: EventBus,
    databases: Sequence[Database],
    extra: Sequence[Pruner] = (),
) -> PeriodicJob:
    """The periodic job that keeps this process's storage bounded."""

    async def run() -> int:
        now = clock.now()
        deleted = 0
        if isinstance(bus, LocalBus):
            deleted += await bus.prune(
                older_than=now - timedelta(hours=settings.bus_retention_hours),
                max_bytes=settings.bus_retention_bytes,
            )
        before = now - timedelta(hours=settings.processed_retention_hours)
        for database in databases:
            deleted += await prune_processed(database, before)
        for prune in extra:
            deleted += await prune()
        return deleted

    return PeriodicJob(
        "retention_deleted", run, interval_seconds=settings.retention_interval_seconds
    )
