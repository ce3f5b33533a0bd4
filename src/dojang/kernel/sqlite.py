"""SQLite for the embedded mode: SQLAlchemy's synchronous engine, run on the event loop's thread.

A statement on a local SQLite file in WAL mode with `synchronous=NORMAL` takes microseconds.
SQLAlchemy's asyncio layer (a greenlet per call, the adapted cursor, a future per call)
costs several times that, and a submission makes dozens of statements. So an embedded
database is a plain `sqlite3` engine whose calls run at once, behind the same awaitable
interface the services use on a server database (`kernel.sql`).

Each file has exactly one connection, and transactions take turns for it on an asyncio lock,
first come first served: nothing ever waits inside SQLite, whose busy handler sleeps for
milliseconds, and the loop never blocks on a pool. A session takes its turn at its first
statement and gives it back at commit, rollback or close, as an `AsyncSession` gives back
its pooled connection. Rows are fetched whole when a statement runs, so no half-read cursor
outlives the call that made it.

The one slow thing SQLite does, moving the log into the file (it syncs the file), is left to
`kernel.wal.WalCheckpointer`, on a worker thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import structlog
from sqlalchemy import Connection, CursorResult, Engine, Executable, ScalarResult, create_engine
from sqlalchemy.pool import QueuePool, StaticPool

from dojang.kernel import json_codec
from dojang.kernel.sql import Params, Rows, Values

T = TypeVar("T")
log = structlog.get_logger(__name__)


def _fetched(result: CursorResult[*tuple[Any, ...]]) -> Rows:
    """The result with its rows read now, and its cursor closed."""
    if not result.returns_rows:
        return result
    return result.freeze()()


class InlineConnection:
    """One turn on the file's connection: statements run at once, on the calling thread."""

    def __init__(self, connection: Connection) -> None:
        self.sync_connection = connection

    async def execute(self, statement: Executable, parameters: Params | None = None, /) -> Rows:
        """Run a statement and return its result, rows already fetched."""
        return _fetched(self.sync_connection.execute(statement, parameters))

    async def scalar(self, statement: Executable, parameters: Values | None = None, /) -> Any:
        """The first column of the first row, or None."""
        return self.sync_connection.scalar(statement, parameters)

    async def scalars(
        self, statement: Executable, parameters: Params | None = None, /
    ) -> ScalarResult[Any]:
        """The first column of every row."""
        return (await self.execute(statement, parameters)).scalars()

    async def run_sync(self, fn: Callable[[Connection], T], /) -> T:
        """Call `fn` with the synchronous connection (for `MetaData.create_all`)."""
        return fn(self.sync_connection)


class InlineSession:
    """A unit of work's connection: takes its turn at the first statement, gives it back at
    commit, rollback or close (the `AsyncSession` way)."""

    def __init__(self, engine: InlineSqliteEngine) -> None:
        self._engine = engine
        self._connection: Connection | None = None

    async def _begin(self) -> Connection:
        if self._connection is None:
            self._connection = await self._engine.take_turn()
        return self._connection

    async def execute(self, statement: Executable, parameters: Params | None = None, /) -> Rows:
        """Run a statement in this session's transaction; rows already fetched."""
        connection = self._connection or await self._begin()
        return _fetched(connection.execute(statement, parameters))

    async def scalar(self, statement: Executable, parameters: Values | None = None, /) -> Any:
        """The first column of the first row, or None."""
        connection = self._connection or await self._begin()
        return connection.scalar(statement, parameters)

    async def scalars(
        self, statement: Executable, parameters: Params | None = None, /
    ) -> ScalarResult[Any]:
        """The first column of every row."""
        return (await self.execute(statement, parameters)).scalars()

    async def commit(self) -> None:
        """Commit and give the connection back."""
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.commit()
            finally:
                self._engine.end_turn(connection)

    async def rollback(self) -> None:
        """Roll back and give the connection back."""
        connection, self._connection = self._connection, None
        if connection is not None:
            self._engine.end_turn(connection)  # which rolls back

    async def close(self) -> None:
        """Roll back whatever is uncommitted and give the connection back."""
        await self.rollback()


class InlineSqliteEngine:
    """An embedded SQLite file's one connection, handed to one transaction at a time."""

    def __init__(self, url: str, *, memory: bool, echo: bool = False) -> None:
        self.sync_engine: Engine = create_engine(
            url,
            echo=echo,
            # The one connection is checked out once and kept (`_connection`); a file's pool
            # refuses to wait, an in-memory database lives as long as its connection.
            poolclass=StaticPool if memory else QueuePool,
            **({} if memory else {"pool_size": 1, "max_overflow": 0, "pool_timeout": 0}),
            connect_args={"check_same_thread": False},
            json_serializer=json_codec.dump_text,
            json_deserializer=json_codec.load,
        )
        self._turn = asyncio.Lock()  # asyncio's lock serves its waiters in order
        self._connection: Connection | None = None

    async def take_turn(self) -> Connection:
        """Wait for the connection; the caller must `end_turn` with it."""
        await self._turn.acquire()
        try:
            if self._connection is None or self._connection.closed:
                self._connection = self.sync_engine.connect()
            return self._connection
        except BaseException:
            self._turn.release()
            raise

    def end_turn(self, connection: Connection) -> None:
        """Roll back anything left uncommitted and let the next transaction in."""
        try:
            if connection.in_transaction():
                connection.rollback()
        finally:
            self._turn.release()

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[InlineConnection]:
        """The connection for a block; uncommitted work is rolled back at its end."""
        connection = await self.take_turn()
        try:
            yield InlineConnection(connection)
        finally:
            self.end_turn(connection)

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[InlineConnection]:
        """A transaction for a block: committed at its end, rolled back on an error."""
        connection = await self.take_turn()
        try:
            with connection.begin():
                yield InlineConnection(connection)
        finally:
            self.end_turn(connection)

    def session(self) -> InlineSession:
        """A session that takes its turn at its first statement."""
        return InlineSession(self)

    async def dispose(self, *, wait_seconds: float = 5.0) -> None:
        """Close the connection once no transaction holds it, or after `wait_seconds` anyway
        (a turn never given back must not keep the process from stopping)."""
        try:
            async with asyncio.timeout(wait_seconds):
                await self._turn.acquire()
        except TimeoutError:
            log.warning("sqlite_closed_while_in_use", url=str(self.sync_engine.url))
            self._close()
            return
        try:
            self._close()
        finally:
            self._turn.release()

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self.sync_engine.dispose()
