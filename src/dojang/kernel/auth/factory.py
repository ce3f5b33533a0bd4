"""Verifiers built from settings: the built-in issuer's rules, or an external OIDC issuer's."""

from __future__ import annotations

import httpx2

from dojang.kernel.auth.jwt_verifier import ClaimRules, JwtVerifier
from dojang.kernel.auth.keys import RemoteJwksSource
from dojang.kernel.clock import Clock
from dojang.kernel.settings import KernelSettings

BUILTIN_AUDIENCE = "dojang"
JWKS_PATH = "/.well-known/jwks.json"


def builtin_claim_rules(issuer: str, audience: str = BUILTIN_AUDIENCE) -> ClaimRules:
    """Access tokens of Dojang's own issuer: `aud`, `roles` and `token_use: access`."""
    return ClaimRules(
        issuer=issuer,
        audience=audience,
        roles_claim="roles",
        token_uses=frozenset({"access"}),
        token_use_required=True,
    )


def oidc_claim_rules(settings: KernelSettings) -> ClaimRules:
    """The rules for tokens of the external issuer `settings.oidc_issuer`."""
    if settings.oidc_issuer is None:
        raise ValueError("DOJANG_OIDC_ISSUER is not set")
    if not settings.oidc_audience and not settings.oidc_client_id:
        raise ValueError(
            "with DOJANG_OIDC_ISSUER set, DOJANG_OIDC_AUDIENCE or DOJANG_OIDC_CLIENT_ID is needed"
        )
    return ClaimRules(
        issuer=settings.oidc_issuer,
        audience=settings.oidc_audience,
        client_id=settings.oidc_client_id,
        subject_claim=settings.oidc_subject_claim,
        roles_claim=settings.oidc_groups_claim,
        role_map=dict(settings.oidc_role_map),
    )


def claim_rules(settings: KernelSettings, builtin_audience: str = BUILTIN_AUDIENCE) -> ClaimRules:
    """The external issuer's rules when `oidc_issuer` is set, else the built-in issuer's."""
    if settings.oidc_issuer:
        return oidc_claim_rules(settings)
    return builtin_claim_rules(settings.issuer, builtin_audience)


def oidc_jwks_url(settings: KernelSettings) -> str:
    """Where the trusted issuer publishes its keys: configured, or `<issuer>/.well-known/...`."""
    return settings.oidc_jwks_url or settings.issuer.rstrip("/") + JWKS_PATH


def remote_verifier(
    settings: KernelSettings,
    client: httpx2.AsyncClient,
    *,
    clock: Clock,
    builtin_audience: str = BUILTIN_AUDIENCE,
) -> JwtVerifier:
    """A verifier that fetches the trusted issuer's JWKS over HTTP.

    With `oidc_issuer` set that is the external issuer; otherwise it is Dojang's built-in
    issuer reached at `public_url` (how services other than identity verify tokens when
    they run in their own processes).
    """
    rules = claim_rules(settings, builtin_audience)
    keys = RemoteJwksSource(
        oidc_jwks_url(settings), client, clock=clock, cache_seconds=settings.jwks_cache_seconds
    )
    return JwtVerifier(keys, rules, clock=clock)


def builtin_jwks_source(
    settings: KernelSettings, client: httpx2.AsyncClient, *, clock: Clock
) -> RemoteJwksSource:
    """The built-in issuer's public keys fetched from `<public_url>/.well-known/jwks.json`.

    A service in its own process verifies WebSocket tickets with these: identity signs them
    with its own key even when access tokens come from an external OIDC issuer.
    """
    return RemoteJwksSource(
        settings.builtin_issuer + JWKS_PATH,
        client,
        clock=clock,
        cache_seconds=settings.jwks_cache_seconds,
    )
