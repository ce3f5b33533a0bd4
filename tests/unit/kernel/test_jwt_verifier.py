"""`JwtVerifier` and its key sources: what is accepted, what refused, when JWKS is fetched."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from dojang.kernel.auth.factory import builtin_claim_rules, oidc_claim_rules, remote_verifier
from dojang.kernel.auth.jwt_verifier import ClaimRules, JwtVerifier
from dojang.kernel.auth.keys import LocalKeySource, RemoteJwksSource
from dojang.kernel.auth.principal import Principal
from dojang.kernel.clock import FixedClock
from dojang.kernel.errors import Unauthenticated
from dojang.kernel.settings import KernelSettings

ISSUER = "https://dojang.example"
COGNITO_ISSUER = "https://cognito-idp.ap-northeast-2.amazonaws.com/ap-northeast-2_Abc123"
JWKS_URL = f"{COGNITO_ISSUER}/.well-known/jwks.json"
CLIENT_ID = "5spa-client-id"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

KEY_A = rsa.generate_private_key(public_exponent=65537, key_size=2048)
KEY_B = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, str]:
    numbers = key.public_key().public_numbers()
    return {
        "kty": "RSA",
        "kid": kid,
        "use": "sig",
        "alg": "RS256",
        "n": _b64(numbers.n),
        "e": _b64(numbers.e),
    }


def sign(
    claims: Mapping[str, Any],
    *,
    key: rsa.RSAPrivateKey = KEY_A,
    kid: str | None = "a",
    algorithm: str = "RS256",
) -> str:
    headers = {"kid": kid} if kid is not None else {}
    return jwt.encode(dict(claims), key, algorithm=algorithm, headers=headers)


def access_claims(**overrides: Any) -> dict[str, Any]:
    issued = int(NOW.timestamp())
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "sub": "emp-1",
        "aud": "dojang",
        "iat": issued,
        "nbf": issued,
        "exp": issued + 900,
        "jti": "j-1",
        "roles": ["manager"],
        "email": "kim@dojang.example",
        "token_use": "access",
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


class JwksServer:
    """A fake issuer answering JWKS requests through `httpx2.MockTransport`, counting them."""

    def __init__(self, *keys: dict[str, str]) -> None:
        self.keys = list(keys)
        self.requests = 0
        self.failing = False

    def handler(self, request: httpx2.Request) -> httpx2.Response:
        self.requests += 1
        assert str(request.url) == JWKS_URL
        if self.failing:
            return httpx2.Response(503)
        return httpx2.Response(200, json={"keys": self.keys})

    def client(self) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(transport=httpx2.MockTransport(self.handler))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def builtin(clock: FixedClock) -> JwtVerifier:
    async def load() -> dict[str, Any]:
        return {"keys": [jwk(KEY_A, "a")]}

    return JwtVerifier(
        LocalKeySource(load, clock=clock), builtin_claim_rules(ISSUER, "dojang"), clock=clock
    )


async def refused(verifier: JwtVerifier, token: str) -> str:
    with pytest.raises(Unauthenticated) as caught:
        await verifier.verify(token)
    return caught.value.render("en")


async def test_valid_builtin_token_names_the_principal(builtin: JwtVerifier) -> None:
    principal = await builtin.verify(sign(access_claims()))
    assert principal == Principal(
        user_id="emp-1", roles=frozenset({"manager"}), email="kim@dojang.example"
    )


async def test_expired_token_is_refused(builtin: JwtVerifier, clock: FixedClock) -> None:
    token = sign(access_claims())
    clock.advance(seconds=900 + 31)
    assert await refused(builtin, token) == "token expired"


async def test_small_clock_skew_is_tolerated(builtin: JwtVerifier, clock: FixedClock) -> None:
    token = sign(access_claims())
    clock.advance(seconds=900 + 10)
    assert (await builtin.verify(token)).user_id == "emp-1"


async def test_token_from_the_future_is_refused(builtin: JwtVerifier) -> None:
    later = int(NOW.timestamp()) + 3600
    token = sign(access_claims(iat=later, nbf=later, exp=later + 900))
    assert await refused(builtin, token) == "token not yet valid"


async def test_token_signed_by_another_key_is_refused(builtin: JwtVerifier) -> None:
    assert await refused(builtin, sign(access_claims(), key=KEY_B)) == "signature invalid"


async def test_token_naming_an_unknown_key_is_refused(builtin: JwtVerifier) -> None:
    assert await refused(builtin, sign(access_claims(), kid="zz")) == "unknown signing key"


async def test_token_without_key_id_is_refused(builtin: JwtVerifier) -> None:
    assert await refused(builtin, sign(access_claims(), kid=None)) == "token names no signing key"


async def test_wrong_issuer_is_refused(builtin: JwtVerifier) -> None:
    token = sign(access_claims(iss="https://evil.example"))
    assert await refused(builtin, token) == "wrong issuer"


async def test_wrong_audience_is_refused(builtin: JwtVerifier) -> None:
    assert await refused(builtin, sign(access_claims(aud="other-api"))) == "wrong audience"


async def test_missing_audience_is_refused(builtin: JwtVerifier) -> None:
    assert await refused(builtin, sign(access_claims(aud=None))) == "wrong audience"


async def test_builtin_token_must_be_an_access_token(builtin: JwtVerifier) -> None:
    assert await refused(builtin, sign(access_claims(token_use="id"))) == (
        "token is not an access token"
    )
    assert await refused(builtin, sign(access_claims(token_use=None))) == (
        "token is not an access token"
    )


async def test_token_without_expiry_is_refused(builtin: JwtVerifier) -> None:
    assert await refused(builtin, sign(access_claims(exp=None))) == "token lacks the `exp` claim"


def _unsigned(header: Mapping[str, Any], claims: Mapping[str, Any]) -> str:
    def part(value: Mapping[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part(header)}.{part(claims)}."


async def test_alg_none_is_refused(builtin: JwtVerifier) -> None:
    token = _unsigned({"alg": "none", "kid": "a", "typ": "JWT"}, access_claims())
    assert await refused(builtin, token) == "token algorithm not accepted (RS256 only)"


async def test_hs256_is_refused_even_with_the_public_key_as_secret(builtin: JwtVerifier) -> None:
    # the classic confusion attack: HMAC keyed with the (public) RSA key's PEM
    secret = KEY_A.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    unsigned = _unsigned({"alg": "HS256", "kid": "a", "typ": "JWT"}, access_claims())[:-1]
    mac = hmac.new(secret, unsigned.encode(), hashlib.sha256).digest()
    token = f"{unsigned}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    assert await refused(builtin, token) == "token algorithm not accepted (RS256 only)"


async def test_non_numeric_time_claims_are_refused(builtin: JwtVerifier) -> None:
    assert await refused(builtin, sign(access_claims(exp="tomorrow"))) == (
        "token has an invalid `exp` claim"
    )
    assert await refused(builtin, sign(access_claims(nbf=True))) == (
        "token has an invalid `nbf` claim"
    )


async def test_garbage_is_refused_as_malformed(builtin: JwtVerifier) -> None:
    assert await refused(builtin, "not-a-jwt") == "token malformed"


async def test_roles_outside_dojang_are_dropped(builtin: JwtVerifier) -> None:
    token = sign(access_claims(roles=["admin", "superuser", 7]))
    assert (await builtin.verify(token)).roles == frozenset({"admin"})


@pytest.mark.parametrize("claim", ["employee,admin", "employee admin", "Sales, admin"])
async def test_a_string_roles_claim_is_one_name_never_split(
    builtin: JwtVerifier, claim: str
) -> None:
    token = sign(access_claims(roles=claim))
    assert (await builtin.verify(token)).roles == frozenset()


async def test_a_string_roles_claim_naming_one_role_grants_it(builtin: JwtVerifier) -> None:
    token = sign(access_claims(roles="admin"))
    assert (await builtin.verify(token)).roles == frozenset({"admin"})


# --- remote JWKS ----------------------------------------------------------------------------


def cognito_rules(**overrides: Any) -> ClaimRules:
    settings = KernelSettings(
        oidc_issuer=COGNITO_ISSUER,
        oidc_client_id=CLIENT_ID,
        oidc_role_map={"Approvers": "manager", "HR-Admins": "admin"},
        **overrides,
    )
    return oidc_claim_rules(settings)


def cognito_access_claims(**overrides: Any) -> dict[str, Any]:
    issued = int(NOW.timestamp())
    claims: dict[str, Any] = {
        "iss": COGNITO_ISSUER,
        "sub": "9d2f-uuid",
        "client_id": CLIENT_ID,
        "token_use": "access",
        "scope": "openid email",
        "auth_time": issued,
        "iat": issued,
        "exp": issued + 3600,
        "jti": "c-1",
        "username": "kim",
        "cognito:groups": ["Approvers", "employee", "Staff"],
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def remote(server: JwksServer, clock: FixedClock, rules: ClaimRules | None = None) -> JwtVerifier:
    source = RemoteJwksSource(
        JWKS_URL, server.client(), clock=clock, cache_seconds=600, min_refresh_seconds=30
    )
    return JwtVerifier(source, rules or cognito_rules(), clock=clock)


async def test_cognito_access_token_is_accepted_and_groups_mapped(clock: FixedClock) -> None:
    verifier = remote(JwksServer(jwk(KEY_A, "a")), clock)
    principal = await verifier.verify(sign(cognito_access_claims()))
    assert principal.user_id == "9d2f-uuid"
    # mapped (Approvers -> manager), passed through (employee), dropped (Staff)
    assert principal.roles == frozenset({"manager", "employee"})
    assert principal.email is None


async def test_cognito_access_token_for_another_client_is_refused(clock: FixedClock) -> None:
    verifier = remote(JwksServer(jwk(KEY_A, "a")), clock)
    token = sign(cognito_access_claims(client_id="someone-else"))
    assert await refused(verifier, token) == "wrong audience"


async def test_id_token_with_matching_audience_is_accepted(clock: FixedClock) -> None:
    verifier = remote(JwksServer(jwk(KEY_A, "a")), clock)
    token = sign(
        cognito_access_claims(
            client_id=None, aud=CLIENT_ID, token_use="id", email="kim@dojang.example"
        )
    )
    principal = await verifier.verify(token)
    assert principal.email == "kim@dojang.example"


async def test_standard_token_with_configured_audience_is_accepted(clock: FixedClock) -> None:
    rules = oidc_claim_rules(
        KernelSettings(
            oidc_issuer=COGNITO_ISSUER,
            oidc_audience="dojang-api",
            oidc_groups_claim="realm_access.roles",
            oidc_subject_claim="employee_id",
        )
    )
    verifier = remote(JwksServer(jwk(KEY_A, "a")), clock, rules)
    claims = cognito_access_claims(
        client_id=None,
        token_use=None,
        aud=["account", "dojang-api"],
        employee_id="emp-7",
        realm_access={"roles": ["admin", "offline_access"]},
    )
    principal = await verifier.verify(sign(claims))
    assert principal == Principal(user_id="emp-7", roles=frozenset({"admin"}))


async def test_external_token_without_the_subject_claim_is_refused(clock: FixedClock) -> None:
    rules = cognito_rules(oidc_subject_claim="custom:employee_id")
    verifier = remote(JwksServer(jwk(KEY_A, "a")), clock, rules)
    assert await refused(verifier, sign(cognito_access_claims())) == (
        "token lacks the `custom:employee_id` claim"
    )


def test_external_issuer_without_audience_or_client_id_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="AUDIENCE or DOJANG_OIDC_CLIENT_ID"):
        oidc_claim_rules(KernelSettings(oidc_issuer=COGNITO_ISSUER))


async def test_unknown_kid_triggers_exactly_one_jwks_refresh(clock: FixedClock) -> None:
    server = JwksServer(jwk(KEY_A, "a"))
    verifier = remote(server, clock)
    await verifier.verify(sign(cognito_access_claims()))
    assert server.requests == 1

    server.keys.append(jwk(KEY_B, "b"))  # the issuer rotates
    principal = await verifier.verify(sign(cognito_access_claims(), key=KEY_B, kid="b"))
    assert principal.user_id == "9d2f-uuid"
    assert server.requests == 2


async def test_burst_of_unknown_kids_costs_one_fetch(clock: FixedClock) -> None:
    server = JwksServer(jwk(KEY_A, "a"))
    verifier = remote(server, clock)
    await verifier.verify(sign(cognito_access_claims()))
    forged = [sign(cognito_access_claims(), key=KEY_B, kid=f"made-up-{i}") for i in range(20)]
    results = await asyncio.gather(*(verifier.verify(t) for t in forged), return_exceptions=True)
    assert all(isinstance(r, Unauthenticated) for r in results)
    assert server.requests == 2


async def test_forced_refreshes_keep_a_minimum_interval(clock: FixedClock) -> None:
    server = JwksServer(jwk(KEY_A, "a"))
    verifier = remote(server, clock)
    await verifier.verify(sign(cognito_access_claims()))
    await refused(verifier, sign(cognito_access_claims(), kid="x1"))
    clock.advance(seconds=10)
    await refused(verifier, sign(cognito_access_claims(), kid="x2"))
    assert server.requests == 2
    clock.advance(seconds=25)
    await refused(verifier, sign(cognito_access_claims(), kid="x3"))
    assert server.requests == 3


async def test_jwks_is_cached_for_its_ttl(clock: FixedClock) -> None:
    server = JwksServer(jwk(KEY_A, "a"))
    verifier = remote(server, clock)
    token = sign(cognito_access_claims(exp=int(NOW.timestamp()) + 7200))
    for _ in range(5):
        await verifier.verify(token)
        clock.advance(seconds=100)
    assert server.requests == 1
    clock.advance(seconds=200)  # now past the 600 s TTL
    await verifier.verify(token)
    assert server.requests == 2


async def test_failed_reload_keeps_the_known_keys(clock: FixedClock) -> None:
    server = JwksServer(jwk(KEY_A, "a"))
    verifier = remote(server, clock)
    token = sign(cognito_access_claims(exp=int(NOW.timestamp()) + 7200))
    await verifier.verify(token)
    server.failing = True
    clock.advance(seconds=601)
    assert (await verifier.verify(token)).user_id == "9d2f-uuid"
    assert server.requests == 2


async def test_unreachable_issuer_is_reported_as_unavailable_keys(clock: FixedClock) -> None:
    server = JwksServer(jwk(KEY_A, "a"))
    server.failing = True
    verifier = remote(server, clock)
    assert await refused(verifier, sign(cognito_access_claims())) == "signing keys unavailable"


async def test_remote_verifier_defaults_to_the_issuers_well_known_jwks(clock: FixedClock) -> None:
    server = JwksServer(jwk(KEY_A, "a"))
    settings = KernelSettings(oidc_issuer=COGNITO_ISSUER + "/", oidc_client_id=CLIENT_ID)
    async with server.client() as client:
        verifier = remote_verifier(settings, client, clock=clock)
        claims = cognito_access_claims(iss=COGNITO_ISSUER + "/")
        assert (await verifier.verify(sign(claims))).user_id == "9d2f-uuid"


async def test_local_keys_are_reloaded_when_a_new_key_appears(clock: FixedClock) -> None:
    published = [jwk(KEY_A, "a")]
    loads = 0

    async def load() -> dict[str, Any]:
        nonlocal loads
        loads += 1
        return {"keys": list(published)}

    verifier = JwtVerifier(
        LocalKeySource(load, clock=clock), builtin_claim_rules(ISSUER), clock=clock
    )
    await verifier.verify(sign(access_claims()))
    published.append(jwk(KEY_B, "b"))
    assert (await verifier.verify(sign(access_claims(), key=KEY_B, kid="b"))).user_id == "emp-1"
    assert loads == 2


def test_claim_rules_need_an_audience_or_client_id() -> None:
    with pytest.raises(ValueError, match="audience or a client id"):
        ClaimRules(issuer=ISSUER)


async def test_expiry_is_read_from_the_injected_clock(clock: FixedClock) -> None:
    # a token that is long expired by wall time but valid at the injected instant
    async def load() -> dict[str, Any]:
        return {"keys": [jwk(KEY_A, "a")]}

    clock.at = NOW - timedelta(days=400)
    issued = int(clock.at.timestamp())
    token = sign(access_claims(iat=issued, nbf=issued, exp=issued + 60))
    verifier = JwtVerifier(
        LocalKeySource(load, clock=clock), builtin_claim_rules(ISSUER), clock=clock
    )
    assert (await verifier.verify(token)).user_id == "emp-1"


class CountingKeys:
    """A key source that counts how often a key is asked for."""

    def __init__(self, clock: FixedClock) -> None:
        async def load() -> dict[str, Any]:
            return {"keys": [jwk(KEY_A, "a")]}

        self._source = LocalKeySource(load, clock=clock)
        self.lookups = 0

    async def key_for(self, kid: str) -> jwt.PyJWK | None:
        self.lookups += 1
        return await self._source.key_for(kid)


async def test_a_verified_token_is_remembered_for_a_minute(clock: FixedClock) -> None:
    keys = CountingKeys(clock)
    verifier = JwtVerifier(keys, builtin_claim_rules(ISSUER, "dojang"), clock=clock)
    token = sign(access_claims())
    first = await verifier.verify(token)
    clock.advance(seconds=59)
    assert await verifier.verify(token) == first
    assert keys.lookups == 1
    clock.advance(seconds=2)
    assert await verifier.verify(token) == first
    assert keys.lookups == 2


async def test_a_remembered_token_is_still_refused_once_expired(clock: FixedClock) -> None:
    verifier = JwtVerifier(CountingKeys(clock), builtin_claim_rules(ISSUER, "dojang"), clock=clock)
    token = sign(access_claims(exp=int(NOW.timestamp()) + 40))
    await verifier.verify(token)
    clock.advance(seconds=40 + 31)  # within the minute, past expiry and leeway
    assert await refused(verifier, token) == "token expired"


async def test_a_refused_token_is_not_remembered(clock: FixedClock) -> None:
    verifier = JwtVerifier(CountingKeys(clock), builtin_claim_rules(ISSUER, "dojang"), clock=clock)
    forged = sign(access_claims(), key=KEY_B)
    assert await refused(verifier, forged) == "signature invalid"
    assert await refused(verifier, forged) == "signature invalid"
