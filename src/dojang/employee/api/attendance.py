"""`/api/attendance`: check-in, check-out and attendance records."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, status

from dojang.employee.api.common import date_pair_cursor, problems
from dojang.employee.api.schemas import Attendance
from dojang.employee.service.attendance import AttendanceUseCases
from dojang.kernel.web.deps import CurrentPrincipal
from dojang.kernel.web.pagination import Cursor, Limit, Page, page_of


def attendance_router(attendance: AttendanceUseCases) -> APIRouter:
    """Routes for the caller's own check-in and check-out, and for reading attendance."""
    router = APIRouter(prefix="/api/attendance", tags=["attendance"])

    @router.post(
        "/check-in", status_code=status.HTTP_201_CREATED, responses=problems(401, 403, 409)
    )
    async def check_in(caller: CurrentPrincipal) -> Attendance:
        """Check in for today (one check-in per local day)."""
        return Attendance.of(await attendance.check_in(caller))

    @router.post("/check-out", responses=problems(401, 403, 409))
    async def check_out(caller: CurrentPrincipal) -> Attendance:
        """Check out, closing the open check-in."""
        return Attendance.of(await attendance.check_out(caller))

    @router.get("", responses=problems(401, 403, 404, 422))
    async def list_attendance(
        caller: CurrentPrincipal,
        employee_id: Annotated[str | None, Query(description="default: the caller")] = None,
        first: Annotated[
            date | None, Query(alias="from", description="first day; default `to` - 30 days")
        ] = None,
        last: Annotated[
            date | None, Query(alias="to", description="last day; default today")
        ] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Page[Attendance]:
        """Attendance of days `from`..`to`, newest first (self, their managers, admins)."""
        records = await attendance.history(
            caller,
            employee_id=employee_id,
            first=first,
            last=last,
            after=date_pair_cursor(cursor),
            limit=limit + 1,
        )
        return page_of(
            [Attendance.of(r) for r in records], limit, lambda a: (a.date.isoformat(), a.id)
        )

    return router
