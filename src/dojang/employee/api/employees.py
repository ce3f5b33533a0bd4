"""`/api/employees`: the people of the company."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from dojang.employee.api.common import problems, text_pair_cursor
from dojang.employee.api.schemas import EmployeePatchBody, NewEmployeeBody
from dojang.employee.domain.positions import Position
from dojang.employee.service.employees import EmployeeUseCases
from dojang.employee.service.unit_of_work import EmployeeQuery
from dojang.kernel.ports import EmployeeView
from dojang.kernel.web.deps import AdminPrincipal, CurrentPrincipal
from dojang.kernel.web.pagination import Cursor, Limit, Page, page_of


def employees_router(employees: EmployeeUseCases) -> APIRouter:
    """Routes to find and read employees and, for administrators, to manage them."""
    router = APIRouter(prefix="/api/employees", tags=["employees"])

    @router.get("", responses=problems(401, 422))
    async def list_employees(
        _caller: CurrentPrincipal,
        q: Annotated[
            str | None, Query(max_length=100, description="part of the name or email")
        ] = None,
        department_id: str | None = None,
        position: Position | None = None,
        active: Annotated[bool | None, Query(description="omit for both")] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Page[EmployeeView]:
        """Employees by name, filtered by text, department, position and active flag."""
        query = EmployeeQuery(
            text=q.strip() if q and q.strip() else None,
            department_id=department_id,
            position=position,
            active=active,
        )
        views = await employees.search(query, after=text_pair_cursor(cursor), limit=limit + 1)
        return page_of(views, limit, lambda v: (v.name, v.id))

    @router.post("", status_code=status.HTTP_201_CREATED, responses=problems(401, 403, 409, 422))
    async def create_employee(_admin: AdminPrincipal, body: NewEmployeeBody) -> EmployeeView:
        """Hire an employee and create their login (administrators)."""
        return await employees.hire(body.command())

    @router.get("/{employee_id}", responses=problems(401, 404))
    async def get_employee(_caller: CurrentPrincipal, employee_id: str) -> EmployeeView:
        """One employee, active or not."""
        return await employees.get(employee_id)

    @router.patch("/{employee_id}", responses=problems(401, 403, 404, 409, 422))
    async def update_employee(
        caller: CurrentPrincipal, employee_id: str, body: EmployeePatchBody
    ) -> EmployeeView:
        """Change an employee (administrators), or one's own display name."""
        return await employees.update(caller, employee_id, body.changes())

    @router.delete("/{employee_id}", responses=problems(401, 403, 404, 409))
    async def deactivate_employee(admin: AdminPrincipal, employee_id: str) -> EmployeeView:
        """Deactivate an employee; their reports and pending tasks pass to their manager."""
        return await employees.deactivate(admin, employee_id)

    return router
