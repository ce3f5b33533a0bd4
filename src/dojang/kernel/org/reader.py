"""`EmployeeDirectory` and `OrgChart` served from a service's own copy of the organisation."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

from sqlalchemy import select

from dojang.kernel.db import Database
from dojang.kernel.org.snapshot import OrgSnapshot
from dojang.kernel.org.tables import OrgTables
from dojang.kernel.ports import DepartmentRef, EmployeeView
from dojang.kernel.sql import SqlConnection

RECHECK_SECONDS = 0.2
"""How stale a snapshot may be when another process applies the organisation's events."""


class OrgReadModel:
    """Answers from an in-memory snapshot of the copy, re-read when the copy changes.

    A snapshot is dropped at once when this process applies an event (`invalidate`, called by
    the applier after its commit), and otherwise re-checked against the stored generation at
    most every `recheck_seconds`: that is how a replica learns what another one applied.
    """

    def __init__(
        self,
        db: Database,
        tables: OrgTables,
        *,
        recheck_seconds: float = RECHECK_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db = db
        self._tables = tables
        self._recheck_seconds = recheck_seconds
        self._monotonic = monotonic
        self._snapshot: OrgSnapshot | None = None
        self._generation = -1
        self._checked_at = float("-inf")
        self._invalidations = 0
        self._loading = asyncio.Lock()

    def invalidate(self) -> None:
        """Forget the snapshot: this process has just changed the copy."""
        self._invalidations += 1
        self._snapshot = None

    async def snapshot(self) -> OrgSnapshot:
        """The current snapshot: the cached one while it is known to be current."""
        snapshot = self._snapshot
        if snapshot is not None and self._monotonic() - self._checked_at < self._recheck_seconds:
            return snapshot
        async with self._loading:
            if self._snapshot is not None and (
                self._monotonic() - self._checked_at < self._recheck_seconds
            ):
                return self._snapshot
            invalidations = self._invalidations
            async with self._db.reads.begin() as connection:
                generation = await self._stored_generation(connection)
                snapshot = self._snapshot
                if snapshot is None or generation != self._generation:
                    snapshot = await self._load(connection)
            if invalidations == self._invalidations:  # nothing applied here while loading
                self._snapshot, self._generation = snapshot, generation
                self._checked_at = self._monotonic()
            return snapshot

    async def _stored_generation(self, connection: SqlConnection) -> int:
        state = self._tables.state
        found = await connection.scalar(select(state.c.generation).where(state.c.id == 1))
        return int(found or 0)

    async def _load(self, connection: SqlConnection) -> OrgSnapshot:
        employees, departments = self._tables.employees, self._tables.departments
        names: dict[str, str] = {}
        heads: dict[str, str | None] = {}
        for row in await connection.execute(
            select(departments.c.id, departments.c.name, departments.c.head_id)
        ):
            names[row.id] = row.name
            heads[row.id] = row.head_id
        views: dict[str, EmployeeView] = {}
        for row in await connection.execute(select(employees.c.view)):
            view = EmployeeView.model_validate(row.view)
            department = view.department
            if department is not None and names.get(department.id, department.name) != (
                department.name
            ):  # renamed since the employee's last event
                renamed = DepartmentRef(id=department.id, name=names[department.id])
                view = view.model_copy(update={"department": renamed})
            views[view.id] = view
        return OrgSnapshot(employees=views, heads=heads)

    async def get_employee(self, employee_id: str) -> EmployeeView | None:
        """The employee with this id, active or not; None if the copy does not know them."""
        return (await self.snapshot()).employees.get(employee_id)

    async def get_employees(self, employee_ids: Sequence[str]) -> dict[str, EmployeeView]:
        """The employees with these ids that the copy knows (active or not), by id."""
        return (await self.snapshot()).get_employees(employee_ids)

    async def manager_chain(self, employee_id: str) -> list[EmployeeView]:
        """The employee's managers, nearest first (see `OrgSnapshot.manager_chain`)."""
        return (await self.snapshot()).manager_chain(employee_id)

    async def department_head(self, department_id: str) -> EmployeeView | None:
        """The head (부서장) of a department, if the copy knows one."""
        return (await self.snapshot()).department_head(department_id)
