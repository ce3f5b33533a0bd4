"""`/.well-known`: the built-in issuer's discovery document and its public keys."""

from __future__ import annotations

from fastapi import APIRouter, Response

from dojang.identity.adapters.keys import SigningKeyStore
from dojang.identity.api.schemas import JwksResponse, OpenIdConfiguration
from dojang.kernel.auth.keys import SIGNING_ALGORITHM

# Verifiers refetch on an unknown key id anyway; this only spares a reload per request.
CACHE_SECONDS = 300


def well_known_router(keys: SigningKeyStore, *, issuer: str) -> APIRouter:
    """Discovery and JWKS of the issuer whose identifier is `issuer`."""
    router = APIRouter(prefix="/.well-known", tags=["auth"])

    @router.get("/openid-configuration")
    async def openid_configuration(response: Response) -> OpenIdConfiguration:
        """Where this issuer's keys and token endpoint are, and what it signs with."""
        response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
        return OpenIdConfiguration(
            issuer=issuer,
            jwks_uri=f"{issuer}/.well-known/jwks.json",
            token_endpoint=f"{issuer}/api/auth/login",
            grant_types_supported=["password", "refresh_token"],
            response_types_supported=["token"],
            subject_types_supported=["public"],
            id_token_signing_alg_values_supported=[SIGNING_ALGORITHM],
            token_endpoint_auth_methods_supported=["none"],
            claims_supported=[
                "iss",
                "sub",
                "aud",
                "exp",
                "iat",
                "nbf",
                "jti",
                "email",
                "roles",
                "token_use",
            ],
        )

    @router.get("/jwks.json")
    async def jwks(response: Response) -> JwksResponse:
        """The public keys that verify this issuer's tokens (every key not yet retired)."""
        response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
        return JwksResponse.model_validate(await keys.public_jwks())

    return router
