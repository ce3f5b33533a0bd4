"""The kernel's SQL unit of work, with the employee service's repositories on its session."""

from __future__ import annotations

from dojang.employee.adapters.repositories import (
    SqlAttendanceRepository,
    SqlDepartmentRepository,
    SqlEmployeeRepository,
    SqlLeaveRepository,
)
from dojang.employee.adapters.tables import org_lock
from dojang.kernel.bus.unit_of_work import SqlUnitOfWork


class SqlEmployeeUnitOfWork(SqlUnitOfWork):
    """A transaction on the employee database; events emitted in it go to its outbox."""

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
