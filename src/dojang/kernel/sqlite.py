"""SQLite connections for the embedded mode that answer on the event loop's own thread.

aiosqlite gives every connection a worker thread and hands each call to it through a queue,
then wakes the event loop when the call is done. For a local SQLite file in WAL mode with
`synchronous=NORMAL` a statement takes microseconds, and the two thread hops around it cost
far more: a submission makes dozens of calls. `InlineSqlite` keeps aiosqlite's interface,
which SQLAlchemy's `sqlite+aiosqlite` dialect drives, but runs each call at once, so an
awaited call returns an already finished future. Nothing here ever blocks on a lock: each
database has a single pooled connection (see `kernel.db`), so transactions queue in the pool
instead of waiting inside SQLite, and `FairConnectionPool` serves the waiting in order.
The one slow thing SQLite does, moving the write-ahead log into the database file (a
checkpoint, which syncs the file), is left to `WalCheckpointer`, on a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections import deque
from collections.abc import Callable, Generator
from contextlib import AbstractAsyncContextManager
from functools import partial
from typing import Any

import aiosqlite
import structlog
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry
from sqlalchemy.util.concurrency import await_
from sqlalchemy.util.queue import AsyncAdaptedQueue, Empty

from dojang.kernel.background import cancel_and_wait

log = structlog.get_logger(__name__)


class _RunAtOnce:
    """Stands in for aiosqlite's queue to its worker thread: runs each call immediately."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as exc:  # handed to the awaiting caller, as aiosqlite does
            if future is not None and not future.done():
                future.set_exception(exc)
            else:
                raise
        else:
            if future is not None and not future.done():
                future.set_result(result)


class InlineSqlite(aiosqlite.Connection):
    """An aiosqlite connection without its worker thread."""

    def __init__(self, database: str) -> None:
        super().__init__(partial(sqlite3.connect, database, check_same_thread=False), 64)
        self._tx = _RunAtOnce()  # type: ignore[assignment]

    def __await__(self) -> Generator[Any, None, aiosqlite.Connection]:
        return self._connect().__await__()  # no thread to start


def inline_sqlite_creator(database: str) -> Callable[[], InlineSqlite]:
    """An `async_creator` for SQLAlchemy: connections to `database` that run inline."""

    def create() -> InlineSqlite:
        return InlineSqlite(database)

    return create


class _HandOffQueue(AsyncAdaptedQueue[ConnectionPoolEntry]):
    """A pool's idle connections, given to the tasks waiting for one in their order.

    SQLAlchemy's asyncio queue lets a newcomer take a connection that was just returned
    while the task woken for it has not run yet; the woken task then queues again at the
    back. With one connection and steady requests, a background task such as the outbox
    relay could wait for as long as the load lasts. Here a returned connection is handed
    straight to the longest-waiting task.
    """

    def __init__(self, maxsize: int = 0, use_lifo: bool = False) -> None:
        super().__init__(maxsize, use_lifo)
        self._waiting: deque[asyncio.Future[ConnectionPoolEntry]] = deque()

    def put_nowait(self, item: ConnectionPoolEntry) -> None:
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(item)
                return
        super().put_nowait(item)

    def get(self, block: bool = True, timeout: float | None = None) -> ConnectionPoolEntry:
        if not block or not self.empty():
            return self.get_nowait()
        return await_(self._wait(timeout))

    async def _wait(self, timeout: float | None) -> ConnectionPoolEntry:
        waiter: asyncio.Future[ConnectionPoolEntry] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            async with asyncio.timeout(timeout):
                return await waiter
        except BaseException as exc:
            if waiter.done() and not waiter.cancelled():
                self.put_nowait(waiter.result())  # handed over just as we gave up: pass it on
            else:
                waiter.cancel()
            if isinstance(exc, TimeoutError):
                raise Empty from None
            raise


class FairConnectionPool(AsyncAdaptedQueuePool):
    """SQLAlchemy's asyncio pool, serving the tasks that wait for a connection in order."""

    _queue_class = _HandOffQueue


class WalCheckpointer:
    """Checkpoints one SQLite file's WAL every `interval_seconds`, from a worker thread.

    A passive checkpoint neither waits for nor blocks the event loop's connection: it copies
    the log into the database while transactions go on. The log starts over from its
    beginning only when a transaction begins with all of it copied; under steady writes that
    never happens, because commits land while a checkpoint copies (it ends by syncing the
    file, which takes longer than the gap between two commits), and the log would grow
    without end, filling the disk and making commits slower. So once the log has passed
    `restart_frames`, the checkpointer copies the bulk as usual, catches up with a few more
    passive checkpoints, then `pause_writes` (holds the database's one connection) while it
    copies the last frames and syncs: the next transaction finds the whole log copied and
    starts it over. Only steady heavy load gets that far; the pause lasts as long as the
    sync (3 to 26 ms measured on the development VM).
    Started by the first connection to the file; `stop` makes a last checkpoint.
    """

    restart_frames = 16384  # 64 MB of 4 KB pages, the journal size limit
    catch_up_tries = 3
    catch_up_frames = 64

    def __init__(
        self,
        path: str,
        *,
        pause_writes: Callable[[], AbstractAsyncContextManager[object]] | None = None,
        interval_seconds: float = 1.0,
    ) -> None:
        self._path = path
        self._pause_writes = pause_writes
        self._interval = interval_seconds
        self._task: asyncio.Task[None] | None = None
        self._connection: sqlite3.Connection | None = None

    def ensure_started(self, *_: object) -> None:
        """Start checkpointing, unless already started (a pool `connect` listener)."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name=f"wal-checkpoint:{self._path}"
            )

    def checkpoint(self) -> tuple[int, int, int]:
        """One passive checkpoint: (busy, frames in the log, frames copied)."""
        if self._connection is None:
            # kept open: a new connection would read the schema under a shared lock first
            self._connection = sqlite3.connect(self._path, timeout=1, check_same_thread=False)
        busy, logged, copied = self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return int(busy), int(logged), int(copied)

    async def run_once(self) -> None:
        """Copy the log into the file; if it has grown long, make sure it starts over."""
        _, logged, _ = await asyncio.to_thread(self.checkpoint)
        if self._pause_writes is None or logged < self.restart_frames:
            return
        # Each try copies what was committed during the one before, so the frames left for
        # the pause (and the time writes wait) shrink; the pause then copies the last few.
        for _ in range(self.catch_up_tries):
            logged_before = logged
            _, logged, _ = await asyncio.to_thread(self.checkpoint)
            if logged - logged_before <= self.catch_up_frames:
                break
        async with self._pause_writes():
            await asyncio.to_thread(self.checkpoint)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.run_once()
            except sqlite3.Error as exc:
                log.warning("sqlite_checkpoint_failed", path=self._path, error=str(exc))

    async def stop(self) -> None:
        """Stop the periodic checkpoints and make a last one."""
        if self._task is None:
            return
        await cancel_and_wait(self._task)
        self._task = None
        with contextlib.suppress(sqlite3.Error):
            await asyncio.to_thread(self.checkpoint)
        if self._connection is not None:
            self._connection.close()
            self._connection = None
