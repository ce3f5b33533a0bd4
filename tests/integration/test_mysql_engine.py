"""What `kernel.mysql` sets up on every MariaDB connection, seen on the real server."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, Integer, LargeBinary, MetaData, String, Table, select, text, update
from sqlalchemy.exc import DataError, IntegrityError

from dojang.kernel.db import Database, UtcDateTime
from dojang.kernel.errors import TransientError
from dojang.kernel.migrations import UnsuitableDatabase, upgrade_to_head_async
from dojang.kernel.mysql import ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT, LockContention, MysqlOptions
from dojang.notification.bootstrap import MIGRATIONS
from tests.sql_backends import SqlBackend, run_on_server

pytestmark = pytest.mark.integration

metadata = MetaData()
things = Table(
    "things",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", String(10), nullable=False, unique=True),
    Column("at", UtcDateTime, nullable=True),
    Column("blob", LargeBinary, nullable=True),
)


async def _database(backend: SqlBackend, **options: int) -> Database:
    database = Database(await backend.url("engine"), mysql=MysqlOptions(**options))
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
        await connection.execute(things.insert(), [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])
    return database


async def test_a_session_runs_in_utc_read_committed_and_strict(
    mariadb_backend: SqlBackend,
) -> None:
    database = await _database(mariadb_backend, lock_wait_timeout_seconds=7)
    try:
        async with database.engine.connect() as connection:
            row = (
                await connection.execute(
                    text(
                        "SELECT @@session.time_zone, @@session.tx_isolation, @@session.sql_mode,"
                        " @@session.innodb_lock_wait_timeout, @@character_set_connection"
                    )
                )
            ).one()
    finally:
        await database.dispose()
    zone, isolation, mode, lock_wait, charset = row
    assert (zone, isolation, lock_wait, charset) == ("+00:00", "READ-COMMITTED", 7, "utf8mb4")
    assert "STRICT_TRANS_TABLES" in mode.split(",")


async def test_datetimes_keep_their_microseconds_in_utc(mariadb_backend: SqlBackend) -> None:
    database = await _database(mariadb_backend)
    at = datetime(2026, 12, 3, 9, 30, 15, 123456, tzinfo=UTC)
    try:
        async with database.engine.begin() as connection:
            await connection.execute(update(things).where(things.c.id == 1).values(at=at))
        async with database.engine.connect() as connection:
            stored = await connection.scalar(select(things.c.at).where(things.c.id == 1))
            wall = await connection.scalar(text("SELECT CAST(at AS CHAR) FROM things WHERE id = 1"))
    finally:
        await database.dispose()
    assert stored == at
    assert wall == "2026-12-03 09:30:15.123456"


async def test_text_is_four_byte_utf8_compared_exactly(mariadb_backend: SqlBackend) -> None:
    database = await _database(mariadb_backend)
    try:
        async with database.engine.begin() as connection:
            await connection.execute(
                things.insert(), [{"id": 3, "name": "도장🖋"}, {"id": 4, "name": "A"}]
            )
        async with database.engine.connect() as connection:
            names = (await connection.scalars(select(things.c.name).order_by(things.c.name))).all()
    finally:
        await database.dispose()
    # "A" and "a" are two names (utf8mb4_bin), sorted by code point as SQLite sorts them
    assert names == ["A", "a", "b", "도장🖋"]


async def test_a_value_too_long_is_refused_not_cut(mariadb_backend: SqlBackend) -> None:
    database = await _database(mariadb_backend)
    try:
        with pytest.raises(DataError):
            async with database.engine.begin() as connection:
                await connection.execute(things.insert().values(id=5, name="x" * 11))
        async with database.engine.connect() as connection:
            assert await connection.scalar(select(things.c.id).where(things.c.id == 5)) is None
    finally:
        await database.dispose()


async def test_a_payload_may_be_larger_than_a_blob(mariadb_backend: SqlBackend) -> None:
    database = await _database(mariadb_backend)
    payload = b"\x00\xff" * 100_000  # 200 kB: a BLOB holds 64 KiB
    try:
        async with database.engine.begin() as connection:
            await connection.execute(update(things).where(things.c.id == 1).values(blob=payload))
        async with database.engine.connect() as connection:
            stored = await connection.scalar(select(things.c.blob).where(things.c.id == 1))
    finally:
        await database.dispose()
    assert stored == payload


async def test_a_deadlock_is_a_transient_lock_contention(mariadb_backend: SqlBackend) -> None:
    database = await _database(mariadb_backend)
    first_locked, second_locked = asyncio.Event(), asyncio.Event()

    async def lock(mine: int, theirs: int, locked: asyncio.Event, other: asyncio.Event) -> None:
        async with database.engine.begin() as connection:
            await connection.execute(
                update(things).where(things.c.id == mine).values(name=f"n{mine}")
            )
            locked.set()
            await other.wait()
            await connection.execute(
                update(things).where(things.c.id == theirs).values(name=f"m{theirs}")
            )

    try:
        outcomes = await asyncio.gather(
            lock(1, 2, first_locked, second_locked),
            lock(2, 1, second_locked, first_locked),
            return_exceptions=True,
        )
    finally:
        await database.dispose()
    failures = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(failures) == 1, outcomes
    assert isinstance(failures[0], LockContention)
    assert isinstance(failures[0], TransientError)
    assert failures[0].code == ER_LOCK_DEADLOCK


async def test_a_lock_wait_that_runs_out_is_a_transient_lock_contention(
    mariadb_backend: SqlBackend,
) -> None:
    database = await _database(mariadb_backend, lock_wait_timeout_seconds=1)
    try:
        async with database.engine.begin() as holder:
            await holder.execute(update(things).where(things.c.id == 1).values(name="held"))
            with pytest.raises(LockContention) as raised:
                async with database.engine.begin() as waiter:
                    await waiter.execute(update(things).where(things.c.id == 1).values(name="late"))
    finally:
        await database.dispose()
    assert raised.value.code == ER_LOCK_WAIT_TIMEOUT


async def test_a_unique_violation_stays_an_integrity_error(mariadb_backend: SqlBackend) -> None:
    database = await _database(mariadb_backend)
    try:
        with pytest.raises(IntegrityError):
            async with database.engine.begin() as connection:
                await connection.execute(things.insert().values(id=9, name="a"))
    finally:
        await database.dispose()


async def test_migrations_refuse_a_database_that_compares_text_loosely(
    mariadb_backend: SqlBackend,
) -> None:
    url = await mariadb_backend.url("loose")
    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/"
    await run_on_server(
        server, f"ALTER DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
    )
    with pytest.raises(UnsuitableDatabase, match="ALTER DATABASE"):
        await upgrade_to_head_async(MIGRATIONS, url, "notification")
    database = Database(url)
    try:
        async with database.engine.connect() as connection:
            tables = await connection.scalar(
                text("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = :s"),
                {"s": name},
            )
    finally:
        await database.dispose()
    assert tables == 0
