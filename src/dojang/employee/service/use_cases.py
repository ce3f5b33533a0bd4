"""Every use case of the employee service, grouped for the API and the bootstrap."""

from __future__ import annotations

from dataclasses import dataclass

from dojang.employee.service.attendance import AttendanceUseCases
from dojang.employee.service.commands import DepartmentChanges
from dojang.employee.service.departments import DepartmentUseCases, DepartmentView
from dojang.employee.service.employees import EmployeeUseCases
from dojang.employee.service.leave import LeaveUseCases


@dataclass(frozen=True)
class UseCases:
    """The departments, employees, attendance and leave use cases over one database."""

    departments: DepartmentUseCases
    employees: EmployeeUseCases
    attendance: AttendanceUseCases
    leave: LeaveUseCases

    async def set_department_head(self, department_id: str, head_id: str | None) -> DepartmentView:
        """Make `head_id` the head of a department (None: no head); for the CLI and demo."""
        return await self.departments.update(department_id, DepartmentChanges(head_id=head_id))
