"""The kernel's SQL unit of work, with the employee service's repositories on its session."""

from __future__ import annotations

from collections.abc import Callable

from dojang.employee.adapters.repositories import (
    SqlAttendanceRepository,
    SqlDepartmentRepository,
    SqlEmployeeRepository,
    SqlLeaveRepository,
)
from dojang.employee.adapters.tables import org_lock
from dojang.kernel.bus.tables import KernelTables
from dojang.kernel.bus.unit_of_work import OutboxSignal, SqlUnitOfWork
from dojang.kernel.db import Database


class SqlEmployeeUnitOfWork(SqlUnitOfWork):
    """A transaction on the employee database; events emitted in it go to its outbox.

    Every change to the organisation emits `employee-events`, so a commit that carried
    events calls `org_changed` (the directory drops its snapshot).
    """

    def __init__(
        self,
        db: Database,
        tables: KernelTables,
        signal: OutboxSignal,
        org_changed: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__(db, tables, signal)
        self._org_changed = org_changed

    async def commit(self) -> None:
        """Commit; then, if events went out with it, say that the organisation changed."""
        had_events = bool(self._pending_events)
        await super().commit()
        if had_events:
            self._org_changed()

    @property
    def employees(self) -> SqlEmployeeRepository:
        """Employees, in this transaction."""
        return SqlEmployeeRepository(self.session)

    @property
    def departments(self) -> SqlDepartmentRepository:
        """Departments, in this transaction."""
        return SqlDepartmentRepository(self.session)

    @property
    def attendance(self) -> SqlAttendanceRepository:
        """Attendance records, in this transaction."""
        return SqlAttendanceRepository(self.session)

    @property
    def leave(self) -> SqlLeaveRepository:
        """Leave balances, in this transaction."""
        return SqlLeaveRepository(self.session)

    async def lock_organisation(self) -> None:
        """Hold the organisation's lock row until this unit of work ends."""
        await self.lock_row(org_lock, name="organisation")
