"""WebSocket tickets: RS256 JWTs for one audience, checked without asking their issuer.

The identity service signs a ticket with the built-in issuer's key; whoever serves the
socket verifies it against the public JWKS, like an access token, and spends its `jti`
once (that part is the socket server's). A ticket differs from an access token in its
audience (`dojang-ws`) and `token_use` (`ws_ticket`), so neither passes for the other, and
it lives at most `MAX_WS_TICKET_TTL_SECONDS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt
from jwt.exceptions import (
    ImmatureSignatureError,
    InvalidAudienceError,
    InvalidIssuerError,
    InvalidSignatureError,
    MissingRequiredClaimError,
    PyJWTError,
)

from dojang.kernel.auth.jwt_verifier import signing_key_id
from dojang.kernel.auth.keys import SIGNING_ALGORITHM, KeySource
from dojang.kernel.auth.principal import ROLES, Principal
from dojang.kernel.clock import Clock
from dojang.kernel.errors import Unauthenticated

WS_TICKET_AUDIENCE = "dojang-ws"
WS_TICKET_USE = "ws_ticket"
MAX_WS_TICKET_TTL_SECONDS = 60
LEEWAY_SECONDS = 5
"""Clock skew allowed between the issuing and the verifying process."""

REQUIRED_CLAIMS = ["iss", "aud", "sub", "jti", "iat", "exp", "token_use"]


@dataclass(frozen=True)
class VerifiedTicket:
    """A ticket whose signature and claims passed: whom it stands for, its id, its end."""

    principal: Principal
    jti: str
    expires_at: float
    """`exp`, seconds since the epoch."""


class WsTicketVerifier:
    """Checks signature, issuer, audience, use and lifetime of a WebSocket ticket."""

    def __init__(self, keys: KeySource, *, issuer: str, clock: Clock) -> None:
        self._keys = keys
        self._issuer = issuer
        self._clock = clock

    async def verify(self, ticket: str) -> VerifiedTicket:
        """The ticket's claims; raises `Unauthenticated` for a ticket that is not valid now.

        `KeySetUnavailable` passes through: the ticket could not be checked at all.
        """
        key = await self._keys.key_for(signing_key_id(ticket))
        if key is None:
            raise Unauthenticated("unknown signing key")
        claims = self._decode(ticket, key)
        if claims["token_use"] != WS_TICKET_USE:
            raise Unauthenticated("not a WebSocket ticket")
        issued_at, expires_at = _number(claims, "iat"), _number(claims, "exp")
        if expires_at - issued_at > MAX_WS_TICKET_TTL_SECONDS:
            raise Unauthenticated("ticket lives too long")
        now = self._clock.now().timestamp()
        if expires_at <= now - LEEWAY_SECONDS:
            raise Unauthenticated("ticket expired")
        if issued_at > now + LEEWAY_SECONDS:
            raise Unauthenticated("ticket not yet valid")
        subject, jti = claims["sub"], claims["jti"]
        if not isinstance(subject, str) or not subject or not isinstance(jti, str) or not jti:
            raise Unauthenticated("ticket malformed")
        return VerifiedTicket(principal=_principal(subject, claims), jti=jti, expires_at=expires_at)

    def _decode(self, ticket: str, key: jwt.PyJWK) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                ticket,
                key=key,
                algorithms=[SIGNING_ALGORITHM],
                issuer=self._issuer,
                audience=WS_TICKET_AUDIENCE,
                # times are checked against the injected clock
                options={
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "require": REQUIRED_CLAIMS,
                },
            )
        except InvalidSignatureError as exc:
            raise Unauthenticated("signature invalid") from exc
        except MissingRequiredClaimError as exc:
            raise Unauthenticated("ticket lacks the `{claim}` claim", claim=exc.claim) from exc
        except InvalidIssuerError as exc:
            raise Unauthenticated("wrong issuer") from exc
        except InvalidAudienceError as exc:
            raise Unauthenticated("wrong audience") from exc
        except (ImmatureSignatureError, PyJWTError) as exc:
            raise Unauthenticated("ticket malformed") from exc
        return claims


def _number(claims: dict[str, Any], name: str) -> float:
    value = claims[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Unauthenticated("ticket has an invalid `{claim}` claim", claim=name)
    return float(value)


def _principal(subject: str, claims: dict[str, Any]) -> Principal:
    raw_roles = claims.get("roles")
    names = raw_roles if isinstance(raw_roles, list) else []
    email = claims.get("email")
    return Principal(
        user_id=subject,
        roles=frozenset(name for name in names if name in ROLES),
        email=email if isinstance(email, str) else None,
    )
