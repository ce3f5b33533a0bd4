"""The built-in issuer's discovery document and JWKS, and keys that outlive a restart."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import httpx2
import jwt

from dojang.app import create_app
from tests import conftest as shared

from .conftest import PASSWORD, bearer, hire, log_in

if TYPE_CHECKING:
    from dojang.app import Embedded


async def test_openid_configuration_describes_the_issuer(
    client: httpx2.AsyncClient, embedded: Embedded
) -> None:
    answer = await client.get("/.well-known/openid-configuration")
    assert answer.status_code == 200
    body = answer.json()
    issuer = embedded.settings.issuer
    assert body["issuer"] == issuer
    assert body["jwks_uri"] == f"{issuer}/.well-known/jwks.json"
    assert body["token_endpoint"] == f"{issuer}/api/auth/login"
    assert body["id_token_signing_alg_values_supported"] == ["RS256"]
    assert {"subject_types_supported", "response_types_supported"} <= set(body)


async def test_jwks_publishes_the_signing_key(client: httpx2.AsyncClient) -> None:
    answer = await client.get("/.well-known/jwks.json")
    assert answer.status_code == 200
    [key] = answer.json()["keys"]
    assert set(key) == {"kty", "kid", "use", "alg", "n", "e"}
    assert (key["kty"], key["alg"], key["use"], key["e"]) == ("RSA", "RS256", "sig", "AQAB")
    assert "d" not in key


async def test_tokens_verify_against_the_published_jwks(
    client: httpx2.AsyncClient, embedded: Embedded
) -> None:
    await hire(embedded)
    token = (await log_in(client)).json()["access_token"]
    jwks = jwt.PyJWKSet.from_dict((await client.get("/.well-known/jwks.json")).json())
    key = jwks[jwt.get_unverified_header(token)["kid"]]
    claims = jwt.decode(
        token, key, algorithms=["RS256"], audience="dojang", issuer=embedded.settings.issuer
    )
    assert claims["email"] == "kim@dojang.example"


async def test_signing_key_survives_a_restart(tmp_path: Path) -> None:
    overrides = shared.test_overrides(tmp_path / "data")
    first = create_app(**overrides)
    async with (
        first.router.lifespan_context(first),
        httpx2.AsyncClient(
            transport=httpx2.ASGITransport(app=first), base_url="http://dojang.test"
        ) as client,
    ):
        await hire(first.state.dojang)
        pair = (await log_in(client)).json()
        keys_before = (await client.get("/.well-known/jwks.json")).json()

    second = create_app(**overrides)
    async with (
        second.router.lifespan_context(second),
        httpx2.AsyncClient(
            transport=httpx2.ASGITransport(app=second), base_url="http://dojang.test"
        ) as client,
    ):
        assert (await client.get("/.well-known/jwks.json")).json() == keys_before
        me = await client.get("/api/auth/me", headers=bearer(pair["access_token"]))
        assert me.status_code == 200, me.text
        refreshed = await client.post(
            "/api/auth/refresh", json={"refresh_token": pair["refresh_token"]}
        )
        assert refreshed.status_code == 200
        assert (await log_in(client, password=PASSWORD)).status_code == 200
