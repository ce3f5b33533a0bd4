"""The employee ports that shape the organisation, over dicts, for concurrent units of work.

A unit of work reads a copy of the employees and departments taken at its first read (MySQL
takes its snapshot then) and writes back, on commit, the ones it changed. A written row and
the lock row stay locked until the unit of work ends; `RowLocks.meeting` lets a test make
concurrent units of work all read before any writes (see `tests.interleaving`).
"""

from __future__ import annotations

import asyncio
import copy
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Self

from dojang.employee.domain.employees import Employee
from dojang.employee.domain.organisation import Department, DepartmentTree
from dojang.kernel.bus.envelope import Event
from dojang.kernel.ports import EmployeeView
from tests.interleaving import RowLocks


@dataclass
class Store:
    """What the fake database holds."""

    employees: dict[str, Employee] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    published: list[Event] = field(default_factory=list)
    locks: RowLocks = field(default_factory=RowLocks)


class FakeEmployees:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def get(self, employee_id: str) -> Employee | None:
        found = self._uow.working.get(employee_id)
        return None if found is None else copy.copy(found)

    async def get_by_email(self, email: str) -> Employee | None:
        return next((copy.copy(e) for e in self._uow.working.values() if e.email == email), None)

    async def add(self, employee: Employee) -> None:
        await self.save(employee, at=employee.created_at)

    async def save(self, employee: Employee, *, at: datetime) -> None:
        await self._uow.write(f"employee:{employee.id}")
        self._uow.working[employee.id] = copy.copy(employee)
        self._uow.changed.add(employee.id)

    async def manager_links(self, employee_id: str) -> dict[str, str | None]:
        links: dict[str, str | None] = {}
        current: str | None = employee_id
        while current is not None and current not in links and current in self._uow.working:
            links[current] = self._uow.working[current].manager_id
            current = links[current]
        return links

    async def direct_reports(self, manager_id: str) -> list[Employee]:
        return [copy.copy(e) for e in self._uow.working.values() if e.manager_id == manager_id]

    async def view(self, employee_id: str) -> EmployeeView | None:
        found = self._uow.working.get(employee_id)
        if found is None:
            return None
        return EmployeeView(
            id=found.id,
            name=found.name,
            email=found.email,
            department=None,
            position=found.position.value,
            manager_id=found.manager_id,
            roles=list(found.roles),
            active=found.active,
            created_at=found.created_at,
        )


class FakeDepartments:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def tree(self) -> DepartmentTree:
        return DepartmentTree(copy.copy(d) for d in self._uow.working_departments.values())

    async def add(self, department: Department) -> None:
        await self.save(department, at=department.created_at)

    async def save(self, department: Department, *, at: datetime) -> None:
        await self._uow.write(f"department:{department.id}")
        self._uow.working_departments[department.id] = copy.copy(department)
        self._uow.changed_departments.add(department.id)


class FakeUnitOfWork:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._snapshot: tuple[dict[str, Employee], dict[str, Department]] | None = None
        self._held: list[asyncio.Lock] = []
        self._written = False
        self._pending: list[Event] = []
        self.changed: set[str] = set()
        self.changed_departments: set[str] = set()

    def _seen(self) -> tuple[dict[str, Employee], dict[str, Department]]:
        """The store as this unit of work sees it: as of its first read."""
        if self._snapshot is None:
            self._snapshot = (
                {k: copy.copy(v) for k, v in self.store.employees.items()},
                {k: copy.copy(v) for k, v in self.store.departments.items()},
            )
        return self._snapshot

    @property
    def working(self) -> dict[str, Employee]:
        return self._seen()[0]

    @property
    def working_departments(self) -> dict[str, Department]:
        return self._seen()[1]

    @property
    def employees(self) -> FakeEmployees:
        return FakeEmployees(self)

    @property
    def departments(self) -> FakeDepartments:
        return FakeDepartments(self)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for lock in self._held:
            lock.release()
        self._held = []

    async def _lock(self, key: str) -> None:
        if any(lock is self.store.locks.lock_of(key) for lock in self._held):
            return
        self._held.append(await self.store.locks.take(key))

    async def write(self, row: str) -> None:
        """Before a row is written: meet the others at the first write, then lock the row."""
        if not self._written:
            self._written = True
            if self.store.locks.meeting is not None:
                await self.store.locks.meeting.arrive()
        await self._lock(row)

    async def lock_organisation(self) -> None:
        await self._lock("org_lock:organisation")

    def emit(self, topic: str, event: Event) -> None:
        self._pending.append(event)

    async def commit(self) -> None:
        for employee_id in self.changed:
            self.store.employees[employee_id] = self.working[employee_id]
        for department_id in self.changed_departments:
            self.store.departments[department_id] = self.working_departments[department_id]
        self.store.published.extend(self._pending)
        self._pending = []
        self.changed = set()
        self.changed_departments = set()
