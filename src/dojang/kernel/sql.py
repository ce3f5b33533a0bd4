"""What the services use of a SQL database, whichever engine runs it.

A server database (MySQL) is SQLAlchemy's asyncio engine, an embedded SQLite file is
`kernel.sqlite.InlineSqliteEngine`; both give Core statements this one awaitable interface.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol, TypeVar, cast

from sqlalchemy import Connection, CursorResult, Executable, Result, ScalarResult

Values = Mapping[str, Any]  # the values of one statement's parameters
Params = Values | Sequence[Values]  # one set, or many for an `executemany`
Rows = Result[*tuple[Any, ...]]
T = TypeVar("T")


class SqlSession(Protocol):
    """A transaction opened at the first statement, ended by `commit`, `rollback`, `close`."""

    async def execute(self, statement: Executable, params: Params | None = None, /) -> Rows: ...

    async def scalar(self, statement: Executable, params: Values | None = None, /) -> Any: ...

    async def scalars(
        self, statement: Executable, params: Params | None = None, /
    ) -> ScalarResult[Any]: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    async def close(self) -> None: ...


class SqlConnection(Protocol):
    """A connection for the length of an `async with` block (see `SqlEngine`)."""

    async def execute(self, statement: Executable, params: Params | None = None, /) -> Rows: ...

    async def scalar(self, statement: Executable, params: Values | None = None, /) -> Any: ...

    async def run_sync(self, fn: Callable[[Connection], T], /) -> T: ...


class SqlEngine(Protocol):
    """Connections for a block: `connect` rolls back what is left, `begin` commits."""

    def connect(self) -> AbstractAsyncContextManager[SqlConnection]: ...

    def begin(self) -> AbstractAsyncContextManager[SqlConnection]: ...


async def rowcount(session: SqlSession, statement: Executable, params: Params | None = None) -> int:
    """Run an UPDATE or DELETE; how many rows it matched."""
    result = cast(CursorResult[Any], await session.execute(statement, params))
    return result.rowcount
