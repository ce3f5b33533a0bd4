"""The `EmployeeDirectory` and `OrgChart` ports other services use to read the organisation.

Every submission asks for the requester, their manager chain and a department head, and the
organisation changes rarely. So the directory answers from an in-memory snapshot of every
employee and department head, read in two queries, and drops it whenever the employee
service commits a change to the organisation (`invalidate`, called after the commit of any
unit of work that emitted `employee-events`). The next read loads a fresh one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from dojang.employee.adapters.repositories import employee_view, select_employee_views
from dojang.employee.adapters.tables import departments
from dojang.employee.domain.organisation import walk_up
from dojang.kernel.db import Database
from dojang.kernel.ports import EmployeeView


@dataclass(frozen=True)
class OrgSnapshot:
    """The organisation as it was at one moment: everyone, and each department's head."""

    employees: Mapping[str, EmployeeView]
    heads: Mapping[str, str | None]

    def manager_chain(self, employee_id: str) -> list[EmployeeView]:
        """The employee's managers, nearest first, up to the top of the organisation.

        The use cases refuse management cycles, but should the data hold one, the chain
        stops before the first person seen again (the employee included), and it stops at
        a manager id that names nobody.
        """
        return walk_up(employee_id, self.employees.get, lambda view: view.manager_id)

    def department_head(self, department_id: str) -> EmployeeView | None:
        """The head (부서장) of a department, if it exists and has one."""
        head_id = self.heads.get(department_id)
        return self.employees.get(head_id) if head_id is not None else None


class CachedEmployeeDirectory:
    """`EmployeeDirectory` and `OrgChart` over a snapshot of the employee database.

    The views it returns are shared between callers: read them, never change them.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._snapshot: OrgSnapshot | None = None
        self._generation = 0
        self._loading = asyncio.Lock()

    def invalidate(self) -> None:
        """Forget the snapshot: the organisation has changed."""
        self._generation += 1
        self._snapshot = None

    async def snapshot(self) -> OrgSnapshot:
        """The current snapshot, loaded if there is none."""
        snapshot = self._snapshot
        if snapshot is not None:
            return snapshot
        async with self._loading:
            if self._snapshot is not None:
                return self._snapshot
            generation = self._generation
            snapshot = await self._load()
            if generation == self._generation:  # no change committed while loading
                self._snapshot = snapshot
            return snapshot

    async def _load(self) -> OrgSnapshot:
        async with self._db.engine.connect() as connection:
            rows = await connection.execute(select_employee_views())
            views = {row.id: employee_view(row) for row in rows}
            heads = await connection.execute(select(departments.c.id, departments.c.head_id))
            return OrgSnapshot(employees=views, heads={row.id: row.head_id for row in heads})

    async def get_employee(self, employee_id: str) -> EmployeeView | None:
        """The employee with this id, active or not; None if there is none."""
        return (await self.snapshot()).employees.get(employee_id)

    async def get_employees(self, employee_ids: Sequence[str]) -> dict[str, EmployeeView]:
        """The employees with these ids that exist (active or not), by id."""
        everyone = (await self.snapshot()).employees
        return {i: everyone[i] for i in dict.fromkeys(employee_ids) if i in everyone}

    async def manager_chain(self, employee_id: str) -> list[EmployeeView]:
        """The employee's managers, nearest first (see `OrgSnapshot.manager_chain`)."""
        return (await self.snapshot()).manager_chain(employee_id)

    async def department_head(self, department_id: str) -> EmployeeView | None:
        """The head (부서장) of a department, if it exists and has one."""
        return (await self.snapshot()).department_head(department_id)
