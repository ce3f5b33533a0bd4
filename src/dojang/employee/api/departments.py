"""`/api/departments`: the department tree."""

from __future__ import annotations

from fastapi import APIRouter, status

from dojang.employee.api.common import problems, text_pair_cursor
from dojang.employee.api.schemas import Department, DepartmentPatchBody, NewDepartmentBody
from dojang.employee.service.departments import DepartmentUseCases
from dojang.kernel.web.deps import AdminPrincipal, CurrentPrincipal
from dojang.kernel.web.pagination import Cursor, Limit, Page, page_of


def departments_router(departments: DepartmentUseCases) -> APIRouter:
    """Routes to read the department tree and, for administrators, to shape it."""
    router = APIRouter(prefix="/api/departments", tags=["departments"])

    @router.get("", responses=problems(401, 422))
    async def list_departments(
        _caller: CurrentPrincipal, limit: Limit = 50, cursor: Cursor = None
    ) -> Page[Department]:
        """Departments in tree order (by path), with their parents and heads."""
        views = await departments.browse(after=text_pair_cursor(cursor), limit=limit + 1)
        return page_of([Department.of(v) for v in views], limit, lambda d: (d.path, d.id))

    @router.post("", status_code=status.HTTP_201_CREATED, responses=problems(401, 403, 409, 422))
    async def create_department(_admin: AdminPrincipal, body: NewDepartmentBody) -> Department:
        """Create a department (administrators)."""
        view = await departments.found(
            name=body.name, parent_id=body.parent_id, head_id=body.head_id
        )
        return Department.of(view)

    @router.get("/{department_id}", responses=problems(401, 404))
    async def get_department(_caller: CurrentPrincipal, department_id: str) -> Department:
        """One department."""
        return Department.of(await departments.get(department_id))

    @router.patch("/{department_id}", responses=problems(401, 403, 404, 409, 422))
    async def update_department(
        _admin: AdminPrincipal, department_id: str, body: DepartmentPatchBody
    ) -> Department:
        """Rename a department, move it or change its head (administrators)."""
        return Department.of(await departments.update(department_id, body.changes()))

    return router
