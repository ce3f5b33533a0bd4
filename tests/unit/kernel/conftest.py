"""A tiny service of our own, on each SQL backend, to exercise the kernel's outbox, bus and
consumer runner."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table

from dojang.kernel.bus.local import LocalBus
from dojang.kernel.bus.tables import KernelTables, define_kernel_tables
from dojang.kernel.bus.unit_of_work import OutboxSignal, SqlUnitOfWork
from dojang.kernel.db import Database
from tests.sql_backends import SqlBackend

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


@asynccontextmanager
async def tiny_service(url: str) -> AsyncIterator[TinyService]:
    """The tiny service on a new database at `url`, its tables created."""
    db = Database(url)
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    try:
        yield TinyService(db, kernel_tables, OutboxSignal())
    finally:
        await db.dispose()


@pytest.fixture
async def service(sql_backend: SqlBackend) -> AsyncIterator[TinyService]:
    async with tiny_service(await sql_backend.url("tiny")) as tiny:
        yield tiny


@pytest.fixture
async def sqlite_service(tmp_path: Path) -> AsyncIterator[TinyService]:
    """The tiny service on an SQLite file only."""
    async with tiny_service(f"sqlite:///{tmp_path / 'tiny.db'}") as tiny:
        yield tiny


@pytest.fixture
async def bus(tmp_path: Path) -> AsyncIterator[LocalBus]:
    db = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    local_bus = LocalBus(db)
    await local_bus.start()
    yield local_bus
    await local_bus.stop()
    await db.dispose()
