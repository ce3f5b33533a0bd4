"""The employee service's API on AWS Lambda, behind API Gateway's HTTP API (deploy/terraform).

API Gateway's JWT authorizer verifies the caller's token (issuer: the Cognito user pool, or
Dojang's built-in issuer; audience: the app client) before the function runs, and hands the
verified claims over in the event (`requestContext.authorizer.jwt.claims`). The caller is
read from those claims, never from a header a client writes, and the claims are checked
again against the same rules as a token's (issuer, audience or client id, `token_use`).

It is the FastAPI app of `dojang run employee` serving requests only: migrations, the outbox
relay, the `approval-events` consumer and the internal leave-ledger port stay with the
employee worker (the `employee` Deployment), which shares the database and publishes what
these requests write to its outbox within its relay's poll interval.

`handler` is the Lambda entry point (`dojang.composition.aws_lambda.handler`). Its secrets
(`DOJANG_SECRET_KEY`, `DOJANG_EMPLOYEE_DATABASE_URL`) are read at a cold start from the
Secrets Manager secret named by `DOJANG_SECRETS_ARN` (a JSON object of `DOJANG_*` keys), so
they are never in the function's configuration.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, MutableMapping
from contextvars import ContextVar
from typing import Any, Protocol

from fastapi import FastAPI
from mangum import Mangum
from starlette.types import ASGIApp, Receive, Scope, Send

from dojang.composition.settings import ServiceName
from dojang.identity.settings import IdentitySettings
from dojang.kernel.auth.factory import claim_rules
from dojang.kernel.auth.jwt_verifier import ClaimRules, accepted_principal
from dojang.kernel.auth.principal import Principal
from dojang.kernel.errors import Unauthenticated

_claims: ContextVar[Mapping[str, Any] | None] = ContextVar("authorizer_claims", default=None)


def authorizer_claims(event: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The claims API Gateway's JWT authorizer verified, if the event carries them."""
    context = event.get("requestContext")
    authorizer = context.get("authorizer") if isinstance(context, Mapping) else None
    jwt = authorizer.get("jwt") if isinstance(authorizer, Mapping) else None
    claims = jwt.get("claims") if isinstance(jwt, Mapping) else None
    return claims if isinstance(claims, Mapping) else None


def _listed(value: Any) -> Any:
    """HTTP APIs hand array claims over as one string, `[admin staff]`; Cognito group names
    hold no whitespace, so the brackets' words are the groups."""
    if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        return value[1:-1].split()
    return value


class AuthorizerClaims:
    """The `TokenVerifier` on Lambda: the principal of the claims API Gateway verified for
    this request. The bearer token itself was checked by the authorizer."""

    def __init__(self, rules: ClaimRules) -> None:
        self._rules = rules

    async def verify(self, token: str) -> Principal:
        claims = _claims.get()
        if claims is None:
            raise Unauthenticated("no claims verified by API Gateway's authorizer")
        if claims.get("iss") != self._rules.issuer:
            raise Unauthenticated("wrong issuer")
        return accepted_principal(
            {name: _listed(value) for name, value in claims.items()}, self._rules
        )


class ClaimsOfTheEvent:
    """ASGI middleware: the authorizer's claims of the invocation, for `AuthorizerClaims`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        event = scope.get("aws.event")
        claims = authorizer_claims(event) if isinstance(event, Mapping) else None
        reset = _claims.set(claims)
        try:
            await self.app(scope, receive, send)
        finally:
            _claims.reset(reset)


def create_lambda_app(**overrides: Any) -> FastAPI:
    """The employee API for Lambda; `overrides` take precedence over `DOJANG_*` variables."""
    from dojang.composition.app import create_service_app

    app = create_service_app(ServiceName.EMPLOYEE, worker=False, **overrides)
    settings = app.state.dojang_process.settings
    audience = IdentitySettings(**overrides).token_audience
    app.state.token_verifier = AuthorizerClaims(claim_rules(settings, audience))
    app.add_middleware(ClaimsOfTheEvent)
    return app


def create_handler(**overrides: Any) -> Mangum:
    """A Lambda handler over `create_lambda_app`; the app starts with each invocation and
    stops after it, so nothing outlives a frozen execution environment."""
    return Mangum(create_lambda_app(**overrides), lifespan="auto")


class SecretsClient(Protocol):
    def get_secret_value(self, *, SecretId: str) -> Mapping[str, Any]: ...  # noqa: N803


def load_secret_settings(
    environ: MutableMapping[str, str], client: SecretsClient | None = None
) -> list[str]:
    """Put the `DOJANG_*` keys of the secret `DOJANG_SECRETS_ARN` names into `environ`
    (a variable set on the function wins); the names set."""
    arn = environ.get("DOJANG_SECRETS_ARN")
    if not arn:
        return []
    if client is None:
        import boto3  # only on Lambda: the `lambda` extra

        client = boto3.client("secretsmanager")
    secret = json.loads(client.get_secret_value(SecretId=arn)["SecretString"])
    if not isinstance(secret, dict):
        raise ValueError(f"secret {arn} is not a JSON object of DOJANG_* keys")
    loaded = []
    for name, value in secret.items():
        if not name.startswith("DOJANG_") or name in environ:
            continue
        environ[name] = str(value)
        loaded.append(name)
    return sorted(loaded)


_handler: Mangum | None = None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The Lambda entry point, configured by `DOJANG_*` variables of the function and the
    secret `DOJANG_SECRETS_ARN` names."""
    global _handler
    if _handler is None:
        load_secret_settings(os.environ)
        _handler = create_handler()
    answer: dict[str, Any] = _handler(event, context)
    return answer
