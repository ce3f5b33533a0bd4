"""Real interleavings on a server database: transactions held just before a statement.

Two use cases run at once on MariaDB, each on a pooled connection of its own. A
`StatementBarrier` holds each transaction that is about to run a given statement (its first
write, after the reads that guard it) until every party has arrived there, or until
`patience` has passed: a party that waits for a row lock never arrives, and the one holding
the lock must go on without it. So without a lock every party has read before any writes,
as two replicas can; with one, `all_met` stays False and the second reads what the first
committed.

The hold runs inside SQLAlchemy's `before_cursor_execute` event, which on the asyncio
engine runs in the greenlet of the awaiting task, so it can await (`await_only`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import await_only

from dojang.kernel.db import Database


class StatementBarrier:
    """Holds the first `parties` statements that start with `prefix`, as described above."""

    def __init__(self, prefix: str, *, parties: int = 2, patience: float = 1.0) -> None:
        self.prefix = prefix
        self.parties = parties
        self.patience = patience
        self.arrived = 0
        self.all_met = False  # whether every party arrived before any went on
        self._everyone = asyncio.Event()

    def _before_execute(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.startswith(self.prefix) or self.arrived >= self.parties:
            return
        await_only(self._arrive())

    async def _arrive(self) -> None:
        self.arrived += 1
        if self.arrived == self.parties:
            self.all_met = not self._everyone.is_set()
            self._everyone.set()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.patience):
                await self._everyone.wait()
        self._everyone.set()  # whoever comes later goes straight on

    @contextlib.contextmanager
    def on(self, database: Database) -> Iterator[StatementBarrier]:
        """Hold the statements of `database` (a server database) for the block."""
        assert isinstance(database.engine, AsyncEngine), "a barrier needs a server database"
        engine = database.engine.sync_engine
        event.listen(engine, "before_cursor_execute", self._before_execute)
        try:
            yield self
        finally:
            event.remove(engine, "before_cursor_execute", self._before_execute)
