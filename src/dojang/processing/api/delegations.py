"""`/api/delegations`: 대결, the caller's delegations given and received."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from dojang.kernel.web.deps import CurrentPrincipal
from dojang.kernel.web.pagination import Cursor, Limit, Page, page_of, time_id_cursor
from dojang.processing.api.common import problems
from dojang.processing.api.schemas import DelegationBody, NewDelegationBody
from dojang.processing.service.delegations import DelegationUseCases


def delegations_router(delegations: DelegationUseCases) -> APIRouter:
    """Routes to list, grant and revoke delegations."""
    router = APIRouter(prefix="/api/delegations", tags=["delegations"])

    @router.get("", responses=problems(401, 422))
    async def list_delegations(
        caller: CurrentPrincipal, limit: Limit = 50, cursor: Cursor = None
    ) -> Page[DelegationBody]:
        """The caller's delegations, given and received, newest first."""
        found = await delegations.involving(
            caller.user_id, after=time_id_cursor(cursor), limit=limit + 1
        )
        bodies = [DelegationBody.of(d) for d in found]
        return page_of(bodies, limit, lambda d: (d.created_at.isoformat(), d.id))

    @router.post("", status_code=status.HTTP_201_CREATED, responses=problems(401, 409, 422))
    async def grant_delegation(caller: CurrentPrincipal, body: NewDelegationBody) -> DelegationBody:
        """Delegate the caller's tasks to another employee for a window of time."""
        delegation = await delegations.grant(
            caller.user_id,
            delegate_id=body.delegate_id,
            starts_at=body.starts_at,
            ends_at=body.ends_at,
            reason=body.reason,
            reason_note=body.reason_note,
        )
        return DelegationBody.of(delegation)

    @router.delete(
        "/{delegation_id}",
        status_code=status.HTTP_204_NO_CONTENT,
        response_class=Response,
        responses=problems(401, 404),
    )
    async def revoke_delegation(caller: CurrentPrincipal, delegation_id: str) -> None:
        """Revoke a delegation (its delegator or an administrator); its tasks go back."""
        await delegations.revoke(caller, delegation_id)

    return router
