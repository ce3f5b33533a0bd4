"""Dependencies every router uses: the verified caller and role guards."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from dojang.kernel.auth.principal import Principal
from dojang.kernel.auth.verifier import TokenVerifier
from dojang.kernel.errors import Forbidden, Unauthenticated
from dojang.kernel.i18n import Language
from dojang.kernel.i18n.context import connection_language

_bearer = HTTPBearer(auto_error=False, description="An access token from /api/auth/login")


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller named by a verified bearer token; 401 otherwise."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("A bearer token is required.")
    verifier: TokenVerifier = request.app.state.token_verifier
    principal = await verifier.verify(credentials.credentials)
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


async def answer_language(request: Request) -> Language:
    """The language the answer speaks, from the request's `Accept-Language`."""
    return connection_language(request)


AnswerLanguage = Annotated[Language, Depends(answer_language)]


def require_role(role: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets only callers with `role` through (403 otherwise)."""

    async def guard(principal: CurrentPrincipal) -> Principal:
        if not principal.has_role(role):
            raise Forbidden("This needs the `{role}` role.", role=role)
        return principal

    return guard


AdminPrincipal = Annotated[Principal, Depends(require_role("admin"))]
