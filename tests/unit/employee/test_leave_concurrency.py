"""Check-and-hold under concurrency: two requests for the last days, really interleaved.

The embedded SQLite engine runs one transaction at a time, so it cannot show the race a
server database allows. Here the storage is in memory, and the readers of held reservations
meet at a rendezvous before either stores: without the year's row lock, both count the
same days as free.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Executable
from sqlalchemy.dialects import mysql

from dojang.employee.adapters.repositories import SqlLeaveRepository
from dojang.employee.domain.leave import LeaveYear, ReservationStatus
from dojang.employee.service.leave import LeaveUseCases
from dojang.kernel.clock import FixedClock
from dojang.kernel.ports import LeaveHold, leave_reservation_id
from tests.unit.employee.leave_fakes import leave_day

from .leave_fakes import MemoryLeave, MemoryUnitOfWork, Rendezvous

NOW = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)


def ledger(store: MemoryLeave) -> LeaveUseCases:
    return LeaveUseCases(
        lambda: MemoryUnitOfWork(store),  # type: ignore[arg-type, return-value]
        FixedClock(NOW),
        ZoneInfo("Asia/Seoul"),
        Decimal(15),
        timedelta(minutes=15),
    )


def hold(document: str, days: float) -> LeaveHold:
    return LeaveHold(
        reservation_id=leave_reservation_id(document, 1),
        employee_id="kim",
        year=2026,
        days=days,
        document_id=document,
        version=1,
        start_date=leave_day(document),
        end_date=leave_day(document),
    )


def store_with(granted: int, rendezvous: Rendezvous | None = None) -> MemoryLeave:
    store = MemoryLeave(employees={"kim"}, rendezvous=rendezvous)
    store.years[("kim", 2026)] = LeaveYear("kim", 2026, granted=Decimal(granted))
    return store


async def test_the_rendezvous_interleaves_readers_that_take_no_lock() -> None:
    store = store_with(3, Rendezvous())

    async def count() -> int:
        async with MemoryUnitOfWork(store) as uow:
            return len(await uow.leave.held("kim", 2026))

    assert await asyncio.gather(count(), count()) == [0, 0]
    assert store.rendezvous is not None
    assert store.rendezvous.outcomes == [True, True]


async def test_two_interleaved_holds_for_the_last_days_cannot_both_succeed() -> None:
    rendezvous = Rendezvous()
    store = store_with(3, rendezvous)
    leave = ledger(store)
    answers = await asyncio.gather(leave.reserve(hold("doc-1", 2)), leave.reserve(hold("doc-2", 2)))
    assert sorted(answer.accepted for answer in answers) == [False, True]
    held = [r for r in store.reservations.values() if r.status is ReservationStatus.HELD]
    assert [r.days for r in held] == [Decimal(2)]
    # the row lock kept the second request out until the first had stored its hold
    assert rendezvous.outcomes == [False, True]


async def test_interleaved_holds_that_both_fit_are_both_held() -> None:
    store = store_with(4, Rendezvous())
    leave = ledger(store)
    answers = await asyncio.gather(leave.reserve(hold("doc-1", 2)), leave.reserve(hold("doc-2", 2)))
    assert [answer.accepted for answer in answers] == [True, True]
    assert answers[1].figures.available == 0


async def test_the_same_hold_twice_at_once_is_held_once() -> None:
    store = store_with(3, Rendezvous())
    leave = ledger(store)
    answers = await asyncio.gather(leave.reserve(hold("doc-1", 2)), leave.reserve(hold("doc-1", 2)))
    assert [answer.accepted for answer in answers] == [True, True]
    assert list(store.reservations) == ["doc-1.v1"]
    assert answers[0].figures.pending == answers[1].figures.pending == 2


class NoRows:
    def first(self) -> None:
        return None

    def __iter__(self) -> Iterator[object]:
        return iter(())


class RecordingSession:
    """Records the statements a repository runs, as MySQL would get them; finds no rows."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    async def execute(self, statement: Executable, parameters: object = None) -> NoRows:
        self.statements.append(str(statement.compile(dialect=mysql.dialect())))  # type: ignore[attr-defined]
        return NoRows()


async def test_on_a_server_database_the_year_row_and_the_holds_are_read_for_update() -> None:
    session = RecordingSession()
    repository = SqlLeaveRepository(session)  # type: ignore[arg-type]
    await repository.lock("kim", 2026)
    await repository.held("kim", 2026, lock=True)
    await repository.held("kim", 2026)
    locked_year, locked_holds, plain_holds = session.statements
    assert locked_year.startswith("SELECT leave_balances.")
    assert locked_year.endswith("FOR UPDATE")
    assert locked_holds.endswith("FOR UPDATE")
    assert "FOR UPDATE" not in plain_holds
