"""A transaction on one service's database that also carries the events it causes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Protocol, Self

import structlog
from sqlalchemy import Table

from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.tables import APPEND_LOCK, KernelTables
from dojang.kernel.db import Database
from dojang.kernel.locks import lock_row_statement
from dojang.kernel.sql import SqlSession


class OutboxSignal:
    """Wakes a relay when a transaction with events has committed."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Say that new outbox rows may be waiting."""
        self._event.set()

    async def wait(self, timeout: float) -> None:
        """Return when notified or after `timeout` seconds, whichever is first."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):  # not wait_for, which may lose a cancel
                await self._event.wait()
        self._event.clear()


class TransactionalUnitOfWork(Protocol):
    """Any service's unit of work: `async with` it, change state, then `commit`."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None:
        """Commit the state changes (and the events they cause) together."""
        ...


class SqlUnitOfWork:
    """Use as `async with uow:`; `emit` events, then `commit` state and events together."""

    def __init__(self, db: Database, tables: KernelTables, signal: OutboxSignal) -> None:
        self._db = db
        self._tables = tables
        self._signal = signal
        self._session: SqlSession | None = None
        self._pending_events: list[tuple[str, Event]] = []
        self._after_commit: list[Callable[[], Awaitable[None]]] = []

    @property
    def session(self) -> SqlSession:
        """The open session; only inside `async with`."""
        if self._session is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._session

    async def __aenter__(self) -> Self:
        self._session = self._db.sessions()
        self._pending_events = []
        self._after_commit = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            await session.rollback()
        finally:
            await session.close()
            self._session = None

    def emit(self, topic: str, event: Event) -> None:
        """Queue an event for `topic`; it is stored only if this unit of work commits."""
        self.session  # noqa: B018  (refuses use outside `async with`)
        self._pending_events.append((topic, caused(event)))

    async def commit(self) -> None:
        """Write queued events to the outbox and commit everything in one transaction."""
        session = self.session
        if self._pending_events:
            if not self._db.is_sqlite:
                # commits append in turn, so a row is visible only after every row with a
                # lower seq is (SQLite has one writer anyway; see docs/messaging.md)
                await self.lock_row(self._tables.outbox_locks, name=APPEND_LOCK)
            now = datetime.now(UTC)
            await session.execute(
                self._tables.add_to_outbox,
                [
                    {
                        "event_id": event.id,
                        "topic": topic,
                        "message_key": event.aggregate_id,
                        "payload": event.to_json(),
                        "created_at": now,
                    }
                    for topic, event in self._pending_events
                ],
            )
        await session.commit()
        had_events = bool(self._pending_events)
        self._pending_events.clear()
        if had_events:
            self._signal.notify()
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            await callback()

    async def lock_row(self, table: Table, **key: str) -> None:
        """Lock the row of `table` with this primary key, creating it if missing, until this
        unit of work ends: whoever locks it next waits for that (see `kernel.locks`)."""
        await self.session.execute(lock_row_statement(self._db.dialect, table, key))

    def after_commit(self, callback: Callable[[], Awaitable[None]]) -> None:
        """Run `callback` once this unit of work has committed (never if it rolls back)."""
        self._after_commit.append(callback)

    async def rollback(self) -> None:
        """Drop the state changes and the queued events."""
        self._pending_events.clear()
        self._after_commit.clear()
        await self.session.rollback()

    async def already_processed(self, group: str, event_id: str) -> bool:
        """Whether `group` has already applied the event with this id."""
        return bool(await self.processed_among(group, [event_id]))

    async def processed_among(self, group: str, event_ids: Sequence[str]) -> set[str]:
        """Which of these events `group` has already applied; one query."""
        if not event_ids:
            return set()
        found = await self.session.execute(
            self._tables.processed_among, {"group": group, "event_ids": list(event_ids)}
        )
        return set(found.scalars())

    async def mark_processed(self, group: str, event: Event, note: str | None = None) -> None:
        """Record, in this transaction, that `group` applied the event."""
        await self.mark_all_processed(group, [event], note=note)

    async def mark_all_processed(
        self, group: str, events: Sequence[Event], note: str | None = None
    ) -> None:
        """Record, in this transaction, that `group` applied these events; one statement."""
        if not events:
            return
        now = datetime.now(UTC)
        await self.session.execute(
            self._tables.add_processed,
            [
                {
                    "consumer_group": group,
                    "event_id": event.id,
                    "event_type": event.type,
                    "processed_at": now,
                    "note": note,
                }
                for event in events
            ],
        )


def caused(event: Event) -> Event:
    """The event stamped with what caused it, from the log context of the work emitting it:
    the event a consumer is applying, else the HTTP request; and the trace it continues."""
    if event.causation_id is not None:
        return event
    context = structlog.contextvars.get_contextvars()
    causation = context.get("event_id") or context.get("request_id")
    traceparent = event.traceparent or context.get("traceparent")
    if causation is None and traceparent is None:
        return event
    return replace(event, causation_id=causation, traceparent=traceparent)
