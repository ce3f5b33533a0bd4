"""`/api/approvals/{id}/approve|reject`: deciding the caller's task on a document."""

from __future__ import annotations

from fastapi import APIRouter, status

from dojang.kernel.web.deps import CurrentPrincipal
from dojang.processing.api.common import problems
from dojang.processing.api.schemas import ApproveBody, DecisionAnswer, RejectBody
from dojang.processing.domain.tasks import Decision
from dojang.processing.service.decisions import DecisionUseCases


def decisions_router(decisions: DecisionUseCases) -> APIRouter:
    """Routes to approve and reject; the approval-request service applies the decisions."""
    router = APIRouter(prefix="/api/approvals", tags=["decisions"])

    @router.post(
        "/{approval_id}/approve",
        status_code=status.HTTP_202_ACCEPTED,
        responses=problems(401, 403, 409, 422),
    )
    async def approve(
        caller: CurrentPrincipal, approval_id: str, body: ApproveBody | None = None
    ) -> DecisionAnswer:
        """Approve the caller's task on a document; `final` as 전결 (final authority only).

        Every field is optional, and so is the body itself."""
        given = body or ApproveBody()
        task = await decisions.approve(
            caller.user_id, approval_id, comment=given.comment, final=given.final
        )
        return DecisionAnswer(task_id=task.id, decision=Decision.APPROVED)

    @router.post(
        "/{approval_id}/reject",
        status_code=status.HTTP_202_ACCEPTED,
        responses=problems(401, 403, 409, 422),
    )
    async def reject(
        caller: CurrentPrincipal, approval_id: str, body: RejectBody
    ) -> DecisionAnswer:
        """Reject (반려) the caller's task on a document, with a reason."""
        task = await decisions.reject(caller.user_id, approval_id, reason=body.reason)
        return DecisionAnswer(task_id=task.id, decision=Decision.REJECTED)

    return router
