"""Lock rows: one upsert creates the row when missing and locks it exclusively."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select
from sqlalchemy.dialects import mysql, postgresql, sqlite

from dojang.kernel.bus.tables import define_kernel_tables
from dojang.kernel.bus.unit_of_work import OutboxSignal, SqlUnitOfWork
from dojang.kernel.db import Database
from dojang.kernel.locks import count_up_statement, lock_row_statement

metadata = MetaData()
turns = Table("turns", metadata, Column("owner_id", String(64), primary_key=True))
kernel_tables = define_kernel_tables(metadata)


def _sql(dialect: object) -> str:
    statement = lock_row_statement(dialect, turns, {"owner_id": "emp-kim"})  # type: ignore[arg-type]
    return str(statement.compile(dialect=dialect))  # type: ignore[arg-type]


def test_on_mysql_the_lock_is_an_insert_that_updates_the_duplicate() -> None:
    assert _sql(mysql.dialect()) == (
        "INSERT INTO turns (owner_id) VALUES (%s) "
        "ON DUPLICATE KEY UPDATE owner_id = VALUES(owner_id)"
    )


@pytest.mark.parametrize("dialect", [postgresql.dialect(), sqlite.dialect()])
def test_elsewhere_the_lock_is_an_insert_that_updates_on_conflict(dialect: object) -> None:
    assert "ON CONFLICT (owner_id) DO UPDATE SET owner_id = excluded.owner_id" in _sql(dialect)


async def test_locking_a_row_creates_it_once(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'locks.db'}")
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    for _ in range(2):
        async with SqlUnitOfWork(db, kernel_tables, OutboxSignal()) as uow:
            await uow.lock_row(turns, owner_id="emp-kim")
            await uow.commit()
    async with db.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(turns)) == 1
    await db.dispose()


counters = Table(
    "counters",
    metadata,
    Column("name", String(20), primary_key=True),
    Column("count", Integer, nullable=False),
)


def test_on_mysql_a_count_up_is_an_insert_that_adds_one_to_the_duplicate() -> None:
    statement = count_up_statement(mysql.dialect(), counters, {"name": "general"}, "count")
    assert str(statement.compile(dialect=mysql.dialect())) == (
        "INSERT INTO counters (name, count) VALUES (%s, %s) "
        "ON DUPLICATE KEY UPDATE count = (counters.count + %s)"
    )


async def test_counting_up_starts_a_row_at_one_and_adds_one_after(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'counts.db'}")
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    try:
        for _ in range(3):
            async with db.engine.begin() as conn:
                await conn.execute(count_up_statement(db.dialect, counters, {"name": "a"}, "count"))
        async with db.engine.connect() as conn:
            assert await conn.scalar(select(counters.c.count)) == 3
    finally:
        await db.dispose()
