"""Access tokens of the built-in issuer: RS256 JWTs signed with the current key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from dojang.identity.adapters.keys import SigningKeyStore
from dojang.kernel.auth.keys import SIGNING_ALGORITHM
from dojang.kernel.auth.principal import Principal
from dojang.kernel.ids import new_id


@dataclass(frozen=True)
class IssuedAccessToken:
    """A signed access token and its lifetime in seconds."""

    token: str
    expires_in: int


class AccessTokenIssuer:
    """Signs access tokens: iss, sub, aud, iat, nbf, exp, jti, roles, email, token_use."""

    def __init__(
        self, keys: SigningKeyStore, *, issuer: str, audience: str, ttl: timedelta
    ) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._ttl = ttl

    async def issue(self, principal: Principal, now: datetime) -> IssuedAccessToken:
        """An access token for `principal`, issued at `now`."""
        key = await self._keys.current()
        issued_at = int(now.timestamp())
        lifetime = int(self._ttl.total_seconds())
        claims = {
            "iss": self._issuer,
            "sub": principal.user_id,
            "aud": self._audience,
            "iat": issued_at,
            "nbf": issued_at,
            "exp": issued_at + lifetime,
            "jti": new_id(),
            "roles": sorted(principal.roles),
            "email": principal.email,
            "token_use": "access",
        }
        token = jwt.encode(
            claims, key.private_key, algorithm=SIGNING_ALGORITHM, headers={"kid": key.kid}
        )
        return IssuedAccessToken(token=token, expires_in=lifetime)
