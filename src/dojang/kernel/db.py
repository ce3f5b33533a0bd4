"""Async SQLAlchemy engines: one database per service, SQLite in WAL mode when embedded."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, TypeDecorator, event, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from dojang.kernel.sqlite import FairConnectionPool, WalCheckpointer, inline_sqlite_creator


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # The WAL is moved into the database by a `WalCheckpointer` thread, never by a commit on
    # the event loop (a checkpoint syncs the file and can take tens of milliseconds).
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.execute(f"PRAGMA journal_size_limit={64 * 1024 * 1024}")
    cursor.close()


class Database:
    """One service's engine and session factory."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {"echo": echo}
        self._checkpointer: WalCheckpointer | None = None
        path = (make_url(url).database or ":memory:") if self.is_sqlite else None
        if path is not None:
            # One connection per SQLite file, answering on the event loop's thread:
            # transactions queue in the pool instead of contending for SQLite's write lock,
            # whose busy handler sleeps for milliseconds, and no call pays two thread hops.
            kwargs.update(
                poolclass=FairConnectionPool,
                pool_size=1,
                max_overflow=0,
                pool_timeout=30,
                async_creator=inline_sqlite_creator(path),
            )
        else:
            kwargs.update(pool_pre_ping=True, pool_recycle=1800)
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if path is not None and path != ":memory:":
            # holding the one pooled connection holds every transaction on the file
            self._checkpointer = WalCheckpointer(path, pause_writes=self.engine.connect)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        if self._checkpointer is not None:
            event.listen(self.engine.sync_engine, "connect", self._checkpointer.ensure_started)
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, expire_on_commit=False
        )

    async def ping(self) -> None:
        """Raise unless the database answers a trivial query."""
        from sqlalchemy import text

        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        """Close every pooled connection (after a last checkpoint of an SQLite file)."""
        if self._checkpointer is not None:
            await self._checkpointer.stop()
        await self.engine.dispose()


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use timezone-aware UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
