"""What the built-in issuer signs with its current key: access tokens and WebSocket tickets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import jwt

from dojang.identity.adapters.keys import SigningKey, SigningKeyStore
from dojang.kernel.auth.keys import SIGNING_ALGORITHM
from dojang.kernel.auth.principal import Principal
from dojang.kernel.auth.ws_tickets import (
    MAX_WS_TICKET_TTL_SECONDS,
    WS_TICKET_AUDIENCE,
    WS_TICKET_USE,
)
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


@dataclass(frozen=True)
class IssuedTicket:
    """A WebSocket ticket to hand to the client and its lifetime in seconds."""

    ticket: str
    expires_in: int


class CurrentSigningKey(Protocol):
    async def current(self) -> SigningKey:
        """The key to sign with now."""
        ...


class WsTicketSigner:
    """Signs WebSocket tickets: the access token's subject, roles and email for seconds.

    A ticket is signed with the same key as access tokens, for another audience and use
    (`dojang.kernel.auth.ws_tickets`), so the socket server verifies it with the public
    JWKS it already trusts and never calls identity.
    """

    def __init__(self, keys: CurrentSigningKey, *, issuer: str, ttl: timedelta) -> None:
        if not 0 < ttl.total_seconds() <= MAX_WS_TICKET_TTL_SECONDS:
            raise ValueError(f"a WebSocket ticket lives 1 to {MAX_WS_TICKET_TTL_SECONDS} s")
        self._keys = keys
        self._issuer = issuer
        self._lifetime = int(ttl.total_seconds())

    async def issue(self, principal: Principal, now: datetime) -> IssuedTicket:
        """A single-use ticket standing for `principal`, issued at `now`."""
        key = await self._keys.current()
        issued_at = int(now.timestamp())
        claims = {
            "iss": self._issuer,
            "sub": principal.user_id,
            "aud": WS_TICKET_AUDIENCE,
            "iat": issued_at,
            "nbf": issued_at,
            "exp": issued_at + self._lifetime,
            "jti": new_id(),
            "roles": sorted(principal.roles),
            "email": principal.email,
            "token_use": WS_TICKET_USE,
        }
        ticket = jwt.encode(
            claims, key.private_key, algorithm=SIGNING_ALGORITHM, headers={"kid": key.kid}
        )
        return IssuedTicket(ticket=ticket, expires_in=self._lifetime)
