"""The embedded mode's SQLite: one connection per file, on the loop's thread, served in order."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from dojang.kernel.db import Database
from dojang.kernel.sqlite import InlineSqliteEngine
from dojang.kernel.wal import WalCheckpointer


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'one.db'}")
    yield database
    await database.dispose()


async def test_statements_run_without_a_worker_thread(db: Database) -> None:
    threads = threading.active_count()
    async with db.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (n INTEGER)"))
        await conn.execute(text("INSERT INTO t VALUES (1), (2)"))
    async with db.engine.connect() as conn:
        assert (await conn.execute(text("SELECT sum(n) FROM t"))).scalar_one() == 3
    assert threading.active_count() == threads


async def test_a_database_error_reaches_the_caller(db: Database) -> None:
    async with db.engine.connect() as conn:
        with pytest.raises(Exception, match="no such table"):
            await conn.execute(text("SELECT * FROM missing"))


async def test_transactions_take_turns_on_the_one_connection(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (n INTEGER)"))
    inside = 0
    most_inside = 0

    async def write(n: int) -> None:
        nonlocal inside, most_inside
        async with db.engine.begin() as conn:
            inside += 1
            most_inside = max(most_inside, inside)
            await conn.execute(text("INSERT INTO t VALUES (:n)"), {"n": n})
            await asyncio.sleep(0)
            inside -= 1

    await asyncio.gather(*(write(n) for n in range(20)))
    assert most_inside == 1
    async with db.engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 20


async def use(db: Database, name: str, order: list[str]) -> None:
    async with db.engine.connect() as conn:
        order.append(name)
        await conn.execute(text("SELECT 1"))


async def test_the_connection_goes_to_the_task_that_waited_longest(db: Database) -> None:
    order: list[str] = []
    holder = db.sessions()
    await holder.execute(text("SELECT 1"))  # takes the turn
    waiting = asyncio.create_task(use(db, "waited", order))
    await asyncio.sleep(0.01)  # now waiting for its turn
    await holder.commit()  # gives it back, without letting the waiter run yet
    await use(db, "newcomer", order)  # asks right after the return, before the waiter ran
    await waiting
    assert order == ["waited", "newcomer"]


async def test_a_turn_given_to_a_cancelled_waiter_is_passed_on(db: Database) -> None:
    order: list[str] = []
    holder = db.sessions()
    await holder.execute(text("SELECT 1"))
    cancelled = asyncio.create_task(use(db, "cancelled", order))
    await asyncio.sleep(0.01)
    await holder.commit()  # the turn goes to the waiter...
    cancelled.cancel()  # ...which is cancelled before it runs
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    async with asyncio.timeout(2):  # the turn was not lost with it
        await use(db, "next", order)
    assert order == ["next"]


async def test_a_session_takes_its_turn_at_its_first_statement(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (n INTEGER)"))
    session = db.sessions()
    order: list[str] = []
    other = asyncio.create_task(use(db, "other", order))  # the session holds nothing yet
    await asyncio.sleep(0.01)
    assert order == ["other"]
    await other
    await session.execute(text("INSERT INTO t VALUES (1)"))
    blocked = asyncio.create_task(use(db, "blocked", order))
    await asyncio.sleep(0.01)
    assert order == ["other"]  # waits for the session's commit
    await session.commit()
    await blocked
    assert order == ["other", "blocked"]
    await session.execute(text("INSERT INTO t VALUES (2)"))
    await session.close()  # rolls back the uncommitted insert and gives the turn back
    async with asyncio.timeout(2), db.engine.connect() as conn:
        assert (await conn.execute(text("SELECT sum(n) FROM t"))).scalar_one() == 1


async def test_a_failed_block_rolls_back_and_gives_the_turn_back(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (n INTEGER UNIQUE)"))
        await conn.execute(text("INSERT INTO t VALUES (1)"))
    with pytest.raises(Exception, match="UNIQUE"):
        async with db.engine.begin() as conn:
            await conn.execute(text("INSERT INTO t VALUES (2)"))
            await conn.execute(text("INSERT INTO t VALUES (1)"))
    async with asyncio.timeout(2), db.engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 1


async def test_what_a_block_leaves_uncommitted_is_rolled_back_at_its_end(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (n INTEGER)"))
    async with db.engine.connect() as conn:
        await conn.execute(text("INSERT INTO t VALUES (1)"))  # never committed
    async with db.engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 0


async def test_a_half_read_result_holds_nothing_open(tmp_path: Path) -> None:
    """Rows are read when the statement runs: an abandoned result keeps no read snapshot,
    which would stop checkpoints from ever taking the whole log."""
    path = tmp_path / "snapshot.db"
    database = Database(f"sqlite:///{path}")
    try:
        async with database.engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (n INTEGER)"))
            await conn.execute(text("INSERT INTO t VALUES (1), (2), (3)"))
        session = database.sessions()
        rows = await session.execute(text("SELECT n FROM t ORDER BY n"))
        assert next(iter(rows)).n == 1  # the other rows are never read
        await session.commit()
        async with database.engine.begin() as conn:
            await conn.execute(text("INSERT INTO t VALUES (4)"))
        with closing(sqlite3.connect(path, timeout=0.1)) as other:
            busy, _, _ = other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0
        del rows
    finally:
        await database.dispose()


def size(path: Path) -> int:
    """A file's size in bytes."""
    return path.stat().st_size


async def test_commits_leave_the_write_ahead_log_to_the_checkpointer(tmp_path: Path) -> None:
    path = tmp_path / "big.db"
    database = Database(f"sqlite:///{path}")
    try:
        async with database.engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (body BLOB)"))
        for _ in range(6):  # 6 MB, past SQLite's automatic checkpoint at 1000 pages
            async with database.engine.begin() as conn:
                await conn.execute(
                    text("INSERT INTO t VALUES (:body)"), [{"body": b"x" * 1024}] * 1000
                )
        assert size(Path(f"{path}-wal")) > 6_000_000
        assert size(path) < 100_000  # nothing was checkpointed on the loop
    finally:
        await database.dispose()
    assert size(path) > 6_000_000  # the last checkpoint moved it all


async def test_the_checkpointer_moves_the_log_into_the_file(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    with closing(sqlite3.connect(path)) as writer:
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("CREATE TABLE t (body BLOB)")
        writer.executemany("INSERT INTO t VALUES (?)", [(b"x" * 1024,)] * 1000)
        writer.commit()
        before = size(path)
        checkpointer = WalCheckpointer(str(path), interval_seconds=0.01)
        checkpointer.ensure_started()
        async with asyncio.timeout(5):
            while size(path) < before + 1_000_000:
                await asyncio.sleep(0.01)
        await checkpointer.stop()


async def test_the_log_starts_over_under_steady_writes(tmp_path: Path) -> None:
    """Commits go on while checkpoints run; the log must start over, not keep growing."""
    path = tmp_path / "steady.db"
    database = Database(f"sqlite:///{path}")
    checkpointer = WalCheckpointer(str(path), pause_writes=database.engine.connect)
    checkpointer.restart_frames = 200
    try:
        async with database.engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (body BLOB)"))
        done = asyncio.Event()

        async def write() -> None:
            for _ in range(1500):  # about 4,500 frames of log in all
                async with database.engine.begin() as conn:
                    await conn.execute(text("INSERT INTO t VALUES (:body)"), {"body": b"x" * 3000})
                await asyncio.sleep(0)
            done.set()

        writer = asyncio.create_task(write())
        while not done.is_set():
            await checkpointer.run_once()
        await writer
        # The log file keeps the length of the longest log it held (4 KB and a bit a frame).
        # Never started over, it would hold all 18 MB written; started over, it holds the
        # bound plus what the writer managed during one round of catching up: 1 to 3 MB
        # here, and up to 12 MB seen on a machine busy with other work, which slows the
        # rounds down. Any size clearly below the 18 MB written shows that it started over.
        assert size(Path(f"{path}-wal")) < 14_000_000
    finally:
        await database.dispose()


async def test_closing_does_not_wait_for_ever_on_a_turn_never_given_back(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'leaked.db'}")
    leaked = database.sessions()
    await leaked.execute(text("SELECT 1"))  # takes the turn and never gives it back
    engine = database.engine
    assert isinstance(engine, InlineSqliteEngine)
    async with asyncio.timeout(2):
        await engine.dispose(wait_seconds=0.05)
    await leaked.close()
    await database.dispose()  # and its checkpointer


class HeldConnection:
    """A checkpointer's connection whose first checkpoint runs until `release` is set."""

    def __init__(self) -> None:
        self.first_running = threading.Event()
        self.release = threading.Event()
        self.running = 0
        self.closed_while_running = False
        self.closed = False
        self._calls = 0

    def execute(self, statement: str) -> HeldConnection:
        self._calls += 1
        self.running += 1
        if self._calls == 1:
            self.first_running.set()
            self.release.wait(5)
        self.running -= 1
        return self

    def fetchone(self) -> tuple[int, int, int]:
        return 0, 0, 0

    def close(self) -> None:
        self.closed_while_running = self.running > 0
        self.closed = True


async def test_stopping_waits_for_the_checkpoint_a_cancelled_round_left_running(
    tmp_path: Path,
) -> None:
    # Cancelling the periodic round leaves its worker thread inside `checkpoint`; closing
    # the connection under it crashed the process (a segmentation fault in sqlite3).
    checkpointer = WalCheckpointer(str(tmp_path / "held.db"), interval_seconds=0)
    connection = HeldConnection()
    checkpointer._connection = connection  # type: ignore[assignment]
    checkpointer.ensure_started()
    assert await asyncio.to_thread(connection.first_running.wait, 5)
    stopping = asyncio.create_task(checkpointer.stop())
    await asyncio.sleep(0.1)  # stop has cancelled the round and gone on to its own work
    connection.release.set()
    await stopping
    assert connection.closed
    assert not connection.closed_while_running
