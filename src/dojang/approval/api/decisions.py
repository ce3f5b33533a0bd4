"""`/api/approvals/{id}/approve|reject|take-back`: deciding, answered with the document."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header

from dojang.approval.api.common import problems
from dojang.approval.api.schemas import ApproveBody, DocumentOut, RejectBody, TakeBackBody
from dojang.approval.domain.line import Decision
from dojang.approval.service.decisions import DecisionRequest, DecisionUseCases
from dojang.approval.service.take_back import TakeBackUseCases
from dojang.kernel.web.deps import CurrentPrincipal

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="a retry with the same key answers the first answer again",
    ),
]


def decisions_router(decisions: DecisionUseCases, take_backs: TakeBackUseCases) -> APIRouter:
    """Routes to approve, reject and take back; the line has changed when they answer 200."""
    router = APIRouter(prefix="/api/approvals", tags=["decisions"])

    @router.post("/{approval_id}/approve", responses=problems(401, 403, 409, 422))
    async def approve(
        caller: CurrentPrincipal,
        approval_id: str,
        idempotency_key: IdempotencyKey = None,
        body: ApproveBody | None = None,
    ) -> DocumentOut:
        """Approve the caller's slot on a document; `final` as 전결 (final authority only).

        Every field is optional, and so is the body itself."""
        given = body or ApproveBody()
        request = DecisionRequest(
            Decision.APPROVED,
            comment=given.comment,
            final=given.final,
            on_behalf_of=given.on_behalf_of,
            idempotency_key=idempotency_key,
        )
        return DocumentOut.of(await decisions.decide(caller, approval_id, request))

    @router.post("/{approval_id}/reject", responses=problems(401, 403, 409, 422))
    async def reject(
        caller: CurrentPrincipal,
        approval_id: str,
        body: RejectBody,
        idempotency_key: IdempotencyKey = None,
    ) -> DocumentOut:
        """Reject (반려) the caller's slot on a document, with a reason."""
        request = DecisionRequest(
            Decision.REJECTED,
            comment=body.reason,
            on_behalf_of=body.on_behalf_of,
            idempotency_key=idempotency_key,
        )
        return DocumentOut.of(await decisions.decide(caller, approval_id, request))

    @router.post("/{approval_id}/take-back", responses=problems(401, 403, 409, 422))
    async def take_back(
        caller: CurrentPrincipal, approval_id: str, body: TakeBackBody | None = None
    ) -> DocumentOut:
        """Take back (결재 취소) the caller's approval while the next approver has not acted.

        403 if the caller made no approval to take back, 409 once the next approver acted."""
        given = body or TakeBackBody()
        return DocumentOut.of(await take_backs.take_back(caller, approval_id, given.on_behalf_of))

    return router
