"""`JwtVerifier`: RS256 access tokens from the built-in issuer or any OIDC issuer.

The verifier trusts only what it was configured with: the algorithm is fixed to RS256 (a
token saying `none` or `HS256` is refused before any key is looked at), the key comes from
the issuer's key set by `kid`, and time is read from the injected clock so that tests and
the issuer agree on what "now" is.

A browser sends the same access token with every request, so a token whose signature and
claims passed is remembered for a minute (`VerifiedTokens`): within that time it costs a
dictionary lookup and the expiry check, not an RSA verification.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jwt
from jwt.exceptions import (
    InvalidIssuerError,
    InvalidSignatureError,
    MissingRequiredClaimError,
    PyJWTError,
)

from dojang.kernel.auth.keys import SIGNING_ALGORITHM, KeySetUnavailable, KeySource
from dojang.kernel.auth.principal import ROLES, Principal
from dojang.kernel.clock import Clock
from dojang.kernel.errors import Unauthenticated


@dataclass(frozen=True)
class ClaimRules:
    """What a token's claims must say, and where the principal's fields are found.

    A token is meant for Dojang when its `aud` contains `audience`, or when `client_id` is
    set and either `aud` contains it (OIDC ID tokens) or the token's `client_id` claim equals
    it (AWS Cognito access tokens carry no `aud`). Group names from `roles_claim` are mapped
    through `role_map`; names that map to no Dojang role are dropped.
    """

    issuer: str
    audience: str | None = None
    client_id: str | None = None
    subject_claim: str = "sub"
    roles_claim: str = "roles"
    role_map: Mapping[str, str] = field(default_factory=dict)
    token_uses: frozenset[str] = frozenset({"access", "id"})
    token_use_required: bool = False

    def __post_init__(self) -> None:
        if not self.audience and not self.client_id:
            raise ValueError("a verifier needs an audience or a client id to check tokens against")


@dataclass(frozen=True)
class _Verified:
    principal: Principal
    claims: Mapping[str, Any]
    checked_at: float


class VerifiedTokens:
    """Tokens that passed verification lately, each remembered for `ttl_seconds`."""

    def __init__(self, *, ttl_seconds: float = 60, capacity: int = 4096) -> None:
        self._ttl = ttl_seconds
        self._capacity = capacity
        self._entries: dict[str, _Verified] = {}

    def get(self, token: str, now: float) -> _Verified | None:
        """The remembered verification of `token`, unless it is older than the TTL."""
        entry = self._entries.get(token)
        if entry is None or not 0 <= now - entry.checked_at < self._ttl:
            return None
        return entry

    def put(self, token: str, entry: _Verified) -> None:
        """Remember a verification; when full, the oldest entries go first."""
        if len(self._entries) >= self._capacity:
            for stale in list(self._entries)[: self._capacity // 4]:
                del self._entries[stale]
        self._entries[token] = entry


class JwtVerifier:
    """A `TokenVerifier` for RS256 JWTs signed by the keys of one issuer."""

    def __init__(
        self,
        keys: KeySource,
        rules: ClaimRules,
        *,
        clock: Clock,
        leeway_seconds: int = 30,
        remembered: VerifiedTokens | None = None,
    ) -> None:
        self._keys = keys
        self._rules = rules
        self._clock = clock
        self._leeway = leeway_seconds
        self._remembered = remembered if remembered is not None else VerifiedTokens()

    @property
    def issuer(self) -> str:
        """The `iss` every accepted token carries."""
        return self._rules.issuer

    async def verify(self, token: str) -> Principal:
        """The principal a valid access token names; raises `Unauthenticated` otherwise."""
        now = self._clock.now().timestamp()
        remembered = self._remembered.get(token, now)
        if remembered is not None:
            self._check_times(remembered.claims)  # it may have expired since
            return remembered.principal
        kid = signing_key_id(token)
        try:
            key = await self._keys.key_for(kid)
        except KeySetUnavailable as exc:
            raise Unauthenticated("signing keys unavailable") from exc
        if key is None:
            raise Unauthenticated("unknown signing key")
        claims = self._decode(token, key)
        self._check_times(claims)
        principal = accepted_principal(claims, self._rules)
        self._remembered.put(token, _Verified(principal, claims, now))
        return principal

    def _decode(self, token: str, key: jwt.PyJWK) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=[SIGNING_ALGORITHM],
                issuer=self._rules.issuer,
                options={
                    # times are checked against the injected clock, the audience by the rules
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "verify_aud": False,
                    "require": ["exp", "iss"],
                },
            )
        except InvalidSignatureError as exc:
            raise Unauthenticated("signature invalid") from exc
        except MissingRequiredClaimError as exc:
            raise Unauthenticated("token lacks the `{claim}` claim", claim=exc.claim) from exc
        except InvalidIssuerError as exc:
            raise Unauthenticated("wrong issuer") from exc
        except PyJWTError as exc:
            raise Unauthenticated("token malformed") from exc
        return claims

    def _check_times(self, claims: Mapping[str, Any]) -> None:
        now = self._clock.now().timestamp()
        times: dict[str, float] = {}
        for claim in ("exp", "nbf", "iat"):
            if claim in claims:
                value = _number(claims, claim)
                if value is None:
                    raise Unauthenticated("token has an invalid `{claim}` claim", claim=claim)
                times[claim] = value
        if times["exp"] <= now - self._leeway:
            raise Unauthenticated("token expired")
        if any(times.get(claim, now) > now + self._leeway for claim in ("nbf", "iat")):
            raise Unauthenticated("token not yet valid")


def accepted_principal(claims: Mapping[str, Any], rules: ClaimRules) -> Principal:
    """The principal of claims whose signature, issuer and times were checked: refused
    (`Unauthenticated`) unless meant for Dojang (audience or client id) and of an accepted
    `token_use`. Also used for claims an API gateway's authorizer verified."""
    _check_audience(claims, rules)
    _check_token_use(claims, rules)
    return _principal(claims, rules)


def _check_audience(claims: Mapping[str, Any], rules: ClaimRules) -> None:
    raw = claims.get("aud")
    audiences = {raw} if isinstance(raw, str) else set(_strings(raw))
    if rules.audience and rules.audience in audiences:
        return
    if rules.client_id and (
        rules.client_id in audiences or claims.get("client_id") == rules.client_id
    ):
        return
    raise Unauthenticated("wrong audience")


def _check_token_use(claims: Mapping[str, Any], rules: ClaimRules) -> None:
    token_use = claims.get("token_use")
    if token_use is None and not rules.token_use_required:
        return
    if token_use not in rules.token_uses:
        raise Unauthenticated("token is not an access token")


def _principal(claims: Mapping[str, Any], rules: ClaimRules) -> Principal:
    subject = _claim(claims, rules.subject_claim)
    if not isinstance(subject, str) or not subject:
        raise Unauthenticated("token lacks the `{claim}` claim", claim=rules.subject_claim)
    groups = _claim(claims, rules.roles_claim)
    # A string is one group's name, never a list to split: an issuer whose group names
    # may hold a comma or a space ("Sales, admin") must not grant the part after it.
    names = [groups] if isinstance(groups, str) else _strings(groups)
    roles = frozenset(
        role for role in (rules.role_map.get(name, name) for name in names) if role in ROLES
    )
    email = claims.get("email")
    return Principal(user_id=subject, roles=roles, email=email if isinstance(email, str) else None)


def signing_key_id(token: str) -> str:
    """The `kid` a token's header names; refuses any algorithm but RS256 before keys are read."""
    try:
        header = jwt.get_unverified_header(token)
    except PyJWTError as exc:
        raise Unauthenticated("token malformed") from exc
    if header.get("alg") != SIGNING_ALGORITHM:
        raise Unauthenticated("token algorithm not accepted (RS256 only)")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise Unauthenticated("token names no signing key")
    return kid


def _claim(claims: Mapping[str, Any], name: str) -> Any:
    """A claim by name, or by dotted path into nested objects (Keycloak `realm_access.roles`)."""
    if name in claims:
        return claims[name]
    value: Any = claims
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _number(claims: Mapping[str, Any], name: str) -> float | None:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _strings(value: Any) -> list[str]:
    if not isinstance(value, Iterable) or isinstance(value, str | bytes | Mapping):
        return []
    return [item for item in value if isinstance(item, str)]
