"""`/api/leave`: leave (연차) balances."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from dojang.employee.api.common import problems
from dojang.employee.api.schemas import LeaveBalance
from dojang.employee.service.leave import LeaveUseCases
from dojang.kernel.web.deps import CurrentPrincipal


def leave_router(leave: LeaveUseCases) -> APIRouter:
    """Routes for reading leave balances."""
    router = APIRouter(prefix="/api/leave", tags=["leave"])

    @router.get("/balance", responses=problems(401, 403, 404, 422))
    async def get_balance(
        caller: CurrentPrincipal,
        employee_id: Annotated[str | None, Query(description="default: the caller")] = None,
        year: Annotated[
            int | None, Query(ge=1900, le=9999, description="default: this local year")
        ] = None,
    ) -> LeaveBalance:
        """A year's leave balance (self, their managers, admins)."""
        return LeaveBalance.of(await leave.balance(caller, employee_id=employee_id, year=year))

    return router
