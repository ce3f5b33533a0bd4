"""Leave storage in memory, with row locks and a meeting point for interleaving tests."""

from __future__ import annotations

import asyncio
import zlib
from collections import defaultdict
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError

from dojang.employee.domain.leave import LeaveReservation, LeaveYear, ReservationStatus
from dojang.kernel.bus.envelope import Event


class Rendezvous:
    """The first `parties` arrivals wait for each other, each for `patience` seconds at most.

    `outcomes` says, per arrival, whether everyone had come: two readers that nothing keeps
    apart meet (`[True, True]`); if a lock keeps the second out until the first is done,
    the first waits in vain (`[False, True]`).
    """

    def __init__(self, parties: int = 2, patience: float = 0.2) -> None:
        self.parties = parties
        self.patience = patience
        self.outcomes: list[bool] = []
        self._arrived = 0
        self._everyone = asyncio.Event()

    async def arrive(self) -> None:
        if self._arrived >= self.parties:
            return
        self._arrived += 1
        if self._arrived == self.parties:
            self._everyone.set()
        try:
            async with asyncio.timeout(self.patience):
                await self._everyone.wait()
            self.outcomes.append(True)
        except TimeoutError:
            self.outcomes.append(False)


@dataclass
class MemoryLeave:
    """Committed leave years and reservations, and the row locks on the years.

    `lock` holds a year's lock until the unit of work ends, as `SELECT ... FOR UPDATE` does
    on a server database. With `rendezvous`, readers of held reservations meet there first:
    the moment between counting and storing where two unlocked requests would interleave.
    """

    employees: set[str]
    years: dict[tuple[str, int], LeaveYear] = field(default_factory=dict)
    reservations: dict[str, LeaveReservation] = field(default_factory=dict)
    locks: defaultdict[tuple[str, int], asyncio.Lock] = field(
        default_factory=lambda: defaultdict(asyncio.Lock)
    )
    rendezvous: Rendezvous | None = None


class _Employees:
    def __init__(self, known: set[str]) -> None:
        self._known = known

    async def get(self, employee_id: str) -> object | None:
        return employee_id if employee_id in self._known else None


class MemoryUnitOfWork:
    """The employee unit of work's leave part over a `MemoryLeave`; writes apply at commit."""

    def __init__(self, store: MemoryLeave) -> None:
        self.store = store
        self._years: dict[tuple[str, int], LeaveYear] = {}
        self._reservations: dict[str, LeaveReservation] = {}
        self._locked: list[asyncio.Lock] = []

    async def __aenter__(self) -> MemoryUnitOfWork:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.rollback()

    async def commit(self) -> None:
        self.store.years.update(self._years)
        self.store.reservations.update(self._reservations)
        await self.rollback()

    async def rollback(self) -> None:
        self._years.clear()
        self._reservations.clear()
        for lock in self._locked:
            lock.release()
        self._locked.clear()

    def emit(self, topic: str, event: Event) -> None:
        raise AssertionError("leave reservations emit nothing")

    @property
    def employees(self) -> _Employees:
        return _Employees(self.store.employees)

    @property
    def leave(self) -> MemoryUnitOfWork:
        return self

    # LeaveRepository

    async def get(self, employee_id: str, year: int) -> LeaveYear | None:
        key = (employee_id, year)
        found = self._years.get(key) or self.store.years.get(key)
        return copy(found) if found is not None else None

    async def lock(self, employee_id: str, year: int) -> LeaveYear | None:
        lock = self.store.locks[(employee_id, year)]
        if lock not in self._locked:
            await lock.acquire()
            self._locked.append(lock)
        return await self.get(employee_id, year)

    async def add(self, account: LeaveYear, *, at: datetime) -> None:
        key = (account.employee_id, account.year)
        if key in self.store.years:
            raise IntegrityError("INSERT leave_balances", None, Exception("duplicate key"))
        self._years[key] = copy(account)

    async def save(self, account: LeaveYear, *, at: datetime) -> None:
        self._years[(account.employee_id, account.year)] = copy(account)

    def _all(self) -> list[LeaveReservation]:
        return [copy(r) for r in {**self.store.reservations, **self._reservations}.values()]

    async def reservation(self, reservation_id: str) -> LeaveReservation | None:
        return next((r for r in self._all() if r.id == reservation_id), None)

    async def reservation_of(self, document_id: str, version: int) -> LeaveReservation | None:
        return next(
            (r for r in self._all() if (r.document_id, r.version) == (document_id, version)),
            None,
        )

    async def held(
        self, employee_id: str, year: int, *, lock: bool = False
    ) -> list[LeaveReservation]:
        found = [
            r
            for r in self._all()
            if (r.employee_id, r.year) == (employee_id, year) and r.status is ReservationStatus.HELD
        ]
        if self.store.rendezvous is not None:
            # read first, then wait: the other request reads the same before either stores
            await self.store.rendezvous.arrive()
        return found

    async def held_before(self, document_id: str, version: int) -> list[LeaveReservation]:
        return [
            r
            for r in self._all()
            if r.document_id == document_id
            and r.version < version
            and r.status is ReservationStatus.HELD
        ]

    async def overlapping(
        self, employee_id: str, first: date, last: date, *, lock: bool = False
    ) -> list[LeaveReservation]:
        return [
            r
            for r in self._all()
            if r.employee_id == employee_id
            and r.start_date is not None
            and r.end_date is not None
            and r.start_date <= last
            and r.end_date >= first
            and r.status is not ReservationStatus.RELEASED
        ]

    async def add_reservation(self, reservation: LeaveReservation, *, at: datetime) -> None:
        self._reservations[reservation.id] = copy(reservation)

    async def save_reservation(self, reservation: LeaveReservation, *, at: datetime) -> None:
        self._reservations[reservation.id] = copy(reservation)


def leave_day(document: str) -> date:
    """A day of 2026 of its own for each document's leave (one employee's leave of two
    documents may not share a day), the same for every hold of one document."""
    return date(2026, 1, 1) + timedelta(days=zlib.crc32(document.encode()) % 365)
