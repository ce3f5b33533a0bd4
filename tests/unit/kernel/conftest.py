"""A tiny service of our own, to exercise the kernel's outbox, bus and consumer runner."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table

from dojang.kernel.bus.local import LocalBus
from dojang.kernel.bus.tables import KernelTables, define_kernel_tables
from dojang.kernel.bus.unit_of_work import OutboxSignal, SqlUnitOfWork
from dojang.kernel.db import Database

metadata = MetaData()
counters = Table(
    "counters",
    metadata,
    Column("name", String(50), primary_key=True),
    Column("value", Integer, nullable=False),
)
kernel_tables = define_kernel_tables(metadata)


@dataclass
class TinyService:
    db: Database
    tables: KernelTables
    signal: OutboxSignal

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.db, self.tables, self.signal)


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[TinyService]:
    db = Database(f"sqlite:///{tmp_path / 'tiny.db'}")
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield TinyService(db, kernel_tables, OutboxSignal())
    await db.dispose()


@pytest.fixture
async def bus(tmp_path: Path) -> AsyncIterator[LocalBus]:
    db = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    local_bus = LocalBus(db)
    await local_bus.start()
    yield local_bus
    await local_bus.stop()
    await db.dispose()
