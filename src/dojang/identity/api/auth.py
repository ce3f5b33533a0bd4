"""`/api/auth`: login, refresh, who am I, and WebSocket tickets."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from dojang.identity.api.schemas import (
    LoginRequest,
    MeResponse,
    RefreshRequest,
    TicketResponse,
    TokenResponse,
)
from dojang.identity.service.sessions import SessionService, TokenPair
from dojang.identity.service.tickets import TicketService
from dojang.kernel.auth.principal import Principal
from dojang.kernel.errors import NotFound, Unauthenticated
from dojang.kernel.ports import EmployeeDirectory, EmployeeView
from dojang.kernel.web.deps import CurrentPrincipal

_UNAUTHENTICATED: dict[int | str, dict[str, Any]] = {
    401: {"description": "bad credentials or token"}
}


def _token_response(pair: TokenPair, response: Response) -> TokenResponse:
    # RFC 6749 5.1: token answers must not be cached anywhere
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return TokenResponse(
        access_token=pair.access_token,
        expires_in=pair.expires_in,
        refresh_token=pair.refresh_token,
    )


def _client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def auth_router(
    sessions: SessionService, tickets: TicketService, directory: EmployeeDirectory
) -> APIRouter:
    """The `/api/auth` routes over the identity use cases."""
    router = APIRouter(prefix="/api/auth", tags=["auth"])

    @router.post(
        "/login",
        responses={**_UNAUTHENTICATED, 429: {"description": "too many failed logins"}},
    )
    async def login(body: LoginRequest, request: Request, response: Response) -> TokenResponse:
        """Exchange an email and password for an access token and a refresh token."""
        pair = await sessions.login(body.email, body.password, client=_client_of(request))
        return _token_response(pair, response)

    @router.post("/refresh", responses=_UNAUTHENTICATED)
    async def refresh(body: RefreshRequest, response: Response) -> TokenResponse:
        """Exchange a refresh token for new tokens; the one presented stops working."""
        return _token_response(await sessions.refresh(body.refresh_token), response)

    async def active_employee(principal: Principal) -> EmployeeView:
        """The caller's employee record; 401 once they are deactivated, whose access token
        may still be unexpired (it lives minutes; their refresh is refused at once)."""
        employee = await directory.get_employee(principal.user_id)
        if employee is None:
            raise NotFound("There is no employee record for this login.")
        if not employee.active:
            raise Unauthenticated("This account has been deactivated.")
        return employee

    @router.get("/me", responses={**_UNAUTHENTICATED, 404: {"description": "no employee record"}})
    async def me(principal: CurrentPrincipal) -> MeResponse:
        """The caller's employee record and the roles their token grants."""
        employee = await active_employee(principal)
        return MeResponse(employee=employee, roles=sorted(principal.roles | {"employee"}))

    @router.post(
        "/ws-ticket", responses={**_UNAUTHENTICATED, 404: {"description": "no employee record"}}
    )
    async def ws_ticket(principal: CurrentPrincipal, response: Response) -> TicketResponse:
        """A single-use ticket, valid for seconds, to open the notification WebSocket."""
        await active_employee(principal)
        issued = await tickets.issue(principal)
        response.headers["Cache-Control"] = "no-store"
        return TicketResponse(ticket=issued.ticket, expires_in=issued.expires_in)

    return router
