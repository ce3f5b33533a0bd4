"""The ports the employee service offers services in other processes, under
`/internal/employee`."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from dojang.kernel.ports import LeaveHold, LeaveLedger, LeaveReservation
from dojang.kernel.web.internal import INTERNAL_PREFIX, CallSigner, signed_by_a_service


def internal_employee_router(ledger: LeaveLedger, signer: CallSigner) -> APIRouter:
    """`LeaveLedger.reserve` and `release`, for the approval-request service."""
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

    return router
