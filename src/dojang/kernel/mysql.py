"""MySQL 8 and MariaDB 10.6+: how a service's engine talks to them (see docs/mariadb.md).

Every connection is set up the same way: utf8mb4, the session in UTC (datetimes are stored
as UTC wall time), strict SQL mode (a too-long value is an error, never a silent cut),
READ COMMITTED (a locking read sees the latest committed row, and no gap locks are taken
around the rows a statement reads), and a bounded wait for a row lock. A deadlock (1213) or
a lock wait that ran out (1205) is raised as `LockContention`, a `TransientError`, so the
consumer runner retries it and an HTTP request hears 503: the transaction was rolled back
(or, for a lock wait, is rolled back by the unit of work), nothing was half-written.

Datetimes are `DATETIME(6)` there: MySQL's `DATETIME` alone drops the microseconds, and the
order of events within a second matters (leases, reminders, timelines).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import DateTime, LargeBinary, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.compiler import TypeCompiler

from dojang.kernel import json_codec
from dojang.kernel.errors import TransientError

DIALECTS = ("mysql", "mariadb")

ER_LOCK_WAIT_TIMEOUT = 1205
ER_LOCK_DEADLOCK = 1213
CONTENTION_CODES = frozenset({ER_LOCK_WAIT_TIMEOUT, ER_LOCK_DEADLOCK})

SQL_MODE = ",".join(
    (
        "STRICT_TRANS_TABLES",
        "NO_ZERO_IN_DATE",
        "NO_ZERO_DATE",
        "ERROR_FOR_DIVISION_BY_ZERO",
        "NO_ENGINE_SUBSTITUTION",
    )
)

CHARSET = "utf8mb4"
COLLATION = "utf8mb4_bin"
"""Dojang's databases compare text exactly, by code point, as SQLite does: ids, emails and
names are never equal up to case or trailing spaces, and sort the same on both."""


class LockContention(TransientError):
    """The database gave up on a transaction over a row lock (deadlock, or a lock wait that
    ran out); it was not applied, and running it again will most likely succeed."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"MySQL error {code}: {message}")
        self.code = code


@dataclass(frozen=True)
class MysqlOptions:
    """The pool and lock settings of one service's engine."""

    pool_size: int = 10
    max_overflow: int = 10
    pool_timeout_seconds: float = 10.0
    # below the server's `wait_timeout` (8 hours by default) and any proxy's idle cut-off
    pool_recycle_seconds: int = 1800
    lock_wait_timeout_seconds: int = 10


def is_mysql_url(url: str) -> bool:
    """Whether `url` names a MySQL or MariaDB database."""
    scheme = url.split("://", 1)[0]
    return scheme.split("+", 1)[0] in DIALECTS


def create_database_statement(name: str) -> str:
    """The statement that creates an empty database for a service."""
    return f"CREATE DATABASE `{name}` CHARACTER SET {CHARSET} COLLATE {COLLATION}"


def session_setup(options: MysqlOptions) -> str:
    """The statement every new connection runs first."""
    return (
        "SET time_zone = '+00:00', "
        f"sql_mode = '{SQL_MODE}', "
        f"innodb_lock_wait_timeout = {int(options.lock_wait_timeout_seconds)}"
    )


def create_mysql_engine(
    url: str, options: MysqlOptions | None = None, *, echo: bool = False, pooled: bool = True
) -> AsyncEngine:
    """An asyncio engine on a MySQL/MariaDB URL (`mysql+asyncmy://…`), set up as above;
    `pooled=False` opens a connection per use (migrations, one-off commands)."""
    options = options or MysqlOptions()
    pool: dict[str, Any] = (
        {
            "pool_size": options.pool_size,
            "max_overflow": options.max_overflow,
            "pool_timeout": options.pool_timeout_seconds,
            "pool_recycle": options.pool_recycle_seconds,
            "pool_pre_ping": True,
        }
        if pooled
        else {"poolclass": NullPool}
    )
    engine = create_async_engine(
        url,
        echo=echo,
        isolation_level="READ COMMITTED",
        connect_args={"charset": CHARSET, "init_command": session_setup(options)},
        json_serializer=json_codec.dump_text,
        json_deserializer=json_codec.load,
        **pool,
    )
    event.listen(engine.sync_engine, "handle_error", _raise_contention)
    return engine


def contention_code(error: BaseException | None) -> int | None:
    """The MySQL error code of a deadlock or lock wait timeout, else None."""
    args = getattr(error, "args", ())
    if args and isinstance(args[0], int) and args[0] in CONTENTION_CODES:
        return args[0]
    return None


def _raise_contention(context: ExceptionContext) -> None:
    code = contention_code(context.original_exception)
    if code is not None:
        args = context.original_exception.args
        raise LockContention(code, str(args[1]) if len(args) > 1 else "") from (
            context.sqlalchemy_exception or context.original_exception
        )


# Generic `DateTime` columns (and `UtcDateTime`) become DATETIME(6): microseconds kept.
@compiles(DateTime, *DIALECTS)
def _datetime_with_microseconds(type_: DateTime, compiler: TypeCompiler, **kw: Any) -> str:
    return "DATETIME(6)"


# A generic `LargeBinary` (outbox payloads) is a LONGBLOB: a BLOB stops at 64 KiB.
@compiles(LargeBinary, *DIALECTS)
def _long_blob(type_: LargeBinary, compiler: TypeCompiler, **kw: Any) -> str:
    return "LONGBLOB"
