"""The ports identity offers services in other processes, under `/internal/identity`."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel

from dojang.identity.service.tickets import TicketService
from dojang.kernel.ports import AccountProvisioner
from dojang.kernel.web.internal import INTERNAL_PREFIX, CallSigner, signed_by_a_service


class PendingLogin(BaseModel):
    user_id: str
    email: str
    password: str


class TicketToRedeem(BaseModel):
    ticket: str


class RedeemedTicket(BaseModel):
    """The principal the ticket stood for, or null when it was unknown, used or expired."""

    user_id: str | None
    roles: list[str]
    email: str | None


def internal_identity_router(
    accounts: AccountProvisioner, tickets: TicketService, signer: CallSigner
) -> APIRouter:
    """`AccountProvisioner.prepare_login` and WebSocket ticket redemption, for services."""
    router = APIRouter(
        prefix=f"{INTERNAL_PREFIX}/identity",
        tags=["internal"],
        include_in_schema=False,
        dependencies=[Depends(signed_by_a_service(signer))],
    )

    @router.post("/pending-logins", status_code=204)
    async def prepare_login(login: PendingLogin) -> Response:
        """Keep the password of the login to create once the employee exists."""
        await accounts.prepare_login(login.user_id, login.email, login.password)
        return Response(status_code=204)

    @router.post("/ws-tickets/redeem")
    async def redeem_ws_ticket(body: TicketToRedeem) -> RedeemedTicket:
        """Spend a WebSocket ticket and name whom it stood for."""
        principal = await tickets.redeem(body.ticket)
        if principal is None:
            return RedeemedTicket(user_id=None, roles=[], email=None)
        return RedeemedTicket(
            user_id=principal.user_id, roles=sorted(principal.roles), email=principal.email
        )

    return router
