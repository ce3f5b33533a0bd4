"""The ports identity offers services in other processes, under `/internal/identity`."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel

from dojang.kernel.ports import AccountProvisioner
from dojang.kernel.web.internal import INTERNAL_PREFIX, CallSigner, signed_by_a_service


class PendingLogin(BaseModel):
    user_id: str
    email: str
    password: str


def internal_identity_router(accounts: AccountProvisioner, signer: CallSigner) -> APIRouter:
    """`AccountProvisioner.prepare_login`, for services."""
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

    return router
