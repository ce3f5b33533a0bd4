"""The ports the employee service offers services in other processes, under
`/internal/employee`."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel

from dojang.employee.service.employees import EmployeeUseCases
from dojang.kernel.ports import LeaveHold, LeaveLedger, LeaveReservation
from dojang.kernel.web.internal import INTERNAL_PREFIX, CallSigner, signed_by_a_service


class EmailLookup(BaseModel):
    email: str


class DirectoryEntry(BaseModel):
    """Who HR registered under an address: `employee_id` is None when nobody is."""

    employee_id: str | None
    active: bool = False


def internal_employee_router(
    ledger: LeaveLedger, employees: EmployeeUseCases, signer: CallSigner
) -> APIRouter:
    """`LeaveLedger.reserve` and `release`, for the approval-request service; the employee
    an address belongs to, for the sign-up and token triggers of an external issuer."""
    router = APIRouter(
        prefix=f"{INTERNAL_PREFIX}/employee",
        tags=["internal"],
        include_in_schema=False,
        dependencies=[Depends(signed_by_a_service(signer))],
    )

    @router.post("/leave-reservations")
    async def reserve(hold: LeaveHold) -> LeaveReservation:
        """Hold the days if the year still has them; the same hold again answers the same."""
        return await ledger.reserve(hold)

    @router.post("/leave-reservations/{reservation_id}/release", status_code=204)
    async def release(reservation_id: str) -> Response:
        """Let go of a hold no submitted document confirmed."""
        await ledger.release(reservation_id)
        return Response(status_code=204)

    @router.post("/by-email")
    async def by_email(lookup: EmailLookup) -> DirectoryEntry:
        """The employee registered with this address, if any."""
        found = await employees.by_email(lookup.email)
        if found is None:
            return DirectoryEntry(employee_id=None)
        return DirectoryEntry(employee_id=found.id, active=found.active)

    return router
