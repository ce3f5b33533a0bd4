"""What the use cases need from storage: repositories and a unit of work that carries events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from dojang.employee.domain.attendance import AttendanceRecord
from dojang.employee.domain.employees import Employee
from dojang.employee.domain.leave import LeaveReservation, LeaveYear
from dojang.employee.domain.organisation import Department, DepartmentTree
from dojang.employee.domain.positions import Position
from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.unit_of_work import TransactionalUnitOfWork
from dojang.kernel.ports import EmployeeView


@dataclass(frozen=True)
class EmployeeQuery:
    """Filters of the employee list; None means "any"."""

    text: str | None = None
    department_id: str | None = None
    position: Position | None = None
    active: bool | None = None


class EmployeeRepository(Protocol):
    async def get(self, employee_id: str) -> Employee | None:
        """The employee with this id, if any."""
        ...

    async def get_by_email(self, email: str) -> Employee | None:
        """The employee with this (normalised) email address, if any."""
        ...

    async def add(self, employee: Employee) -> None:
        """Store a new employee; `DuplicateEmail` if the address is taken."""
        ...

    async def save(self, employee: Employee, *, at: datetime) -> None:
        """Store the changed fields of an existing employee."""
        ...

    async def manager_links(self, employee_id: str) -> dict[str, str | None]:
        """Each employee on the way up from `employee_id`, mapped to their manager's id."""
        ...

    async def direct_reports(self, manager_id: str) -> list[Employee]:
        """The employees whose manager is `manager_id`."""
        ...

    async def view(self, employee_id: str) -> EmployeeView | None:
        """The public representation of one employee, if they exist."""
        ...

    async def views(
        self, query: EmployeeQuery, *, after: tuple[str, str] | None, limit: int
    ) -> list[EmployeeView]:
        """Up to `limit` employees matching `query`, by name then id, after `(name, id)`."""
        ...


class DepartmentRepository(Protocol):
    async def tree(self) -> DepartmentTree:
        """Every department."""
        ...

    async def add(self, department: Department) -> None:
        """Store a new department; `DuplicateDepartmentName` if the name is taken."""
        ...

    async def save(self, department: Department, *, at: datetime) -> None:
        """Store the changed fields of an existing department."""
        ...


class AttendanceRepository(Protocol):
    async def latest(self, employee_id: str) -> AttendanceRecord | None:
        """The employee's record of the most recent day, if any."""
        ...

    async def add(self, record: AttendanceRecord) -> None:
        """Store a check-in; `AlreadyCheckedIn` if that day already has one."""
        ...

    async def save(self, record: AttendanceRecord) -> None:
        """Store a check-out."""
        ...

    async def between(
        self,
        employee_id: str,
        first: date,
        last: date,
        *,
        after: tuple[date, str] | None,
        limit: int,
    ) -> list[AttendanceRecord]:
        """Up to `limit` records of days `first`..`last`, newest first, after `(day, id)`."""
        ...


class LeaveRepository(Protocol):
    async def get(self, employee_id: str, year: int) -> LeaveYear | None:
        """The employee's grant and used days of `year`, if that year has been touched."""
        ...

    async def lock(self, employee_id: str, year: int) -> LeaveYear | None:
        """As `get`, with the row locked until the transaction ends (`SELECT ... FOR UPDATE`)."""
        ...

    async def add(self, account: LeaveYear, *, at: datetime) -> None:
        """Store a new year (`IntegrityError` if a concurrent writer stored it first)."""
        ...

    async def save(self, account: LeaveYear, *, at: datetime) -> None:
        """Store the changed used days of an existing year."""
        ...

    async def reservation(self, reservation_id: str) -> LeaveReservation | None:
        """The reservation with this id, if any."""
        ...

    async def reservation_of(self, document_id: str, version: int) -> LeaveReservation | None:
        """The reservation of one version of a leave document, if any."""
        ...

    async def held(
        self, employee_id: str, year: int, *, lock: bool = False
    ) -> list[LeaveReservation]:
        """The employee's reservations of `year` in status held (lapsed ones included).

        With `lock`, a locking read: what is committed now, not the transaction's snapshot.
        """
        ...

    async def held_before(self, document_id: str, version: int) -> list[LeaveReservation]:
        """The held reservations of a document's versions earlier than `version`."""
        ...

    async def overlapping(
        self, employee_id: str, first: date, last: date, *, lock: bool = False
    ) -> list[LeaveReservation]:
        """The employee's held or consumed reservations whose dates meet `first`..`last`
        (lapsed holds included: the caller decides what still stands)."""
        ...

    async def add_reservation(self, reservation: LeaveReservation, *, at: datetime) -> None:
        """Store a new reservation."""
        ...

    async def save_reservation(self, reservation: LeaveReservation, *, at: datetime) -> None:
        """Store a reservation's changed status, days and expiry."""
        ...


class EmployeeUnitOfWork(TransactionalUnitOfWork, Protocol):
    """One transaction on the employee database, with the events it causes."""

    @property
    def employees(self) -> EmployeeRepository: ...

    @property
    def departments(self) -> DepartmentRepository: ...

    @property
    def attendance(self) -> AttendanceRepository: ...

    @property
    def leave(self) -> LeaveRepository: ...

    async def lock_organisation(self) -> None:
        """Make other transactions that change the organisation's shape wait until this one
        ends; first in the transaction, so that its reads see what the one before committed."""
        ...

    def emit(self, topic: str, event: Event) -> None:
        """Queue an event; it is stored only if the unit of work commits."""
        ...

    async def commit(self) -> None:
        """Commit state and queued events together."""
        ...
