"""One database per service: SQLAlchemy's asyncio engine on MySQL/MariaDB (`kernel.mysql`),
SQLite in WAL mode when embedded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Dialect, TypeDecorator, event, make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from dojang.kernel import json_codec
from dojang.kernel.mysql import MysqlOptions, create_mysql_engine, is_mysql_url
from dojang.kernel.private_files import private_database_file
from dojang.kernel.sql import SqlEngine, SqlSession
from dojang.kernel.sqlite import InlineSqliteEngine
from dojang.kernel.wal import WalCheckpointer


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


def _sqlite_reader_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA query_only=1")
    cursor.close()


class Database:
    """One service's database: its engine, and sessions for its units of work.

    A MySQL/MariaDB URL (`mysql+asyncmy://…`) gets SQLAlchemy's asyncio engine set up by
    `kernel.mysql` with `mysql` options (another server URL gets the engine's defaults);
    an SQLite URL (`sqlite:///path`, or
    `sqlite+aiosqlite:///path` as older settings wrote it) gets the embedded inline engine
    with its one connection (see `kernel.sqlite`), and a checkpointer for its log.
    """

    def __init__(self, url: str, *, echo: bool = False, mysql: MysqlOptions | None = None) -> None:
        self.url = url
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self._checkpointer: WalCheckpointer | None = None
        self._inline: InlineSqliteEngine | None = None
        self._reader: InlineSqliteEngine | None = None
        self._async: AsyncEngine | None = None
        self.engine: SqlEngine
        self.reads: SqlEngine
        """Short reads that may run while this process holds a transaction on `engine`
        (a read model consulted inside a unit of work): on an SQLite file a second
        connection, as WAL lets a reader in beside the writer; elsewhere `engine` itself."""
        # what statements are compiled for (lock rows differ between databases)
        self.dialect: Dialect
        self.sessions: Callable[[], SqlSession]
        if self.is_sqlite:
            path = parsed.database or ":memory:"
            if path != ":memory:":
                private_database_file(Path(path))
            inline = InlineSqliteEngine(
                parsed.set(drivername="sqlite").render_as_string(hide_password=False),
                memory=path == ":memory:",
                echo=echo,
            )
            event.listen(inline.sync_engine, "connect", _sqlite_pragmas)
            if path != ":memory:":
                # holding the one connection holds every transaction on the file
                self._checkpointer = WalCheckpointer(path, pause_writes=inline.connect)
                event.listen(inline.sync_engine, "connect", self._checkpointer.ensure_started)
            self._inline = inline
            self.engine, self.sessions = inline, inline.session
            self.reads = inline
            if path != ":memory:":
                reader = InlineSqliteEngine(
                    parsed.set(drivername="sqlite").render_as_string(hide_password=False),
                    memory=False,
                    echo=echo,
                )
                event.listen(reader.sync_engine, "connect", _sqlite_reader_pragmas)
                self._reader = reader
                self.reads = reader
            self.dialect = inline.sync_engine.dialect
        else:
            engine = (
                create_mysql_engine(url, mysql, echo=echo)
                if is_mysql_url(url)
                else create_async_engine(
                    url,
                    echo=echo,
                    pool_pre_ping=True,
                    pool_recycle=1800,
                    json_serializer=json_codec.dump_text,
                    json_deserializer=json_codec.load,
                )
            )
            self._async = engine
            self.engine = self.reads = engine
            self.dialect = engine.dialect
            self.sessions = async_sessionmaker(engine, expire_on_commit=False)

    async def ping(self) -> None:
        """Raise unless the database answers a trivial query."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        """Close every pooled connection (after a last checkpoint of an SQLite file)."""
        if self._checkpointer is not None:
            await self._checkpointer.stop()
        if self._reader is not None:
            await self._reader.dispose()
        if self._inline is not None:
            await self._inline.dispose()
        if self._async is not None:
            await self._async.dispose()


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
