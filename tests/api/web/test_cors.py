"""Only the origins named in `DOJANG_CORS_ORIGINS` may call the API from their pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx2
import pytest
from pydantic import ValidationError

from dojang.kernel.settings import KernelSettings
from tests.conftest import TEST_SECRET, test_overrides

INTRANET = "https://intranet.example.com"


@pytest.fixture
async def cors_client(tmp_path: Path) -> AsyncIterator[httpx2.AsyncClient]:
    from dojang.app import create_app

    app = create_app(**test_overrides(tmp_path / "data"), cors_origins=[INTRANET + "/"])
    async with app.router.lifespan_context(app):
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://dojang.test") as c:
            yield c


def preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
    }


async def test_a_named_origin_passes_the_preflight_without_credentials(
    cors_client: httpx2.AsyncClient,
) -> None:
    answer = await cors_client.options("/api/approvals", headers=preflight(INTRANET))
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == INTRANET
    assert "POST" in answer.headers["access-control-allow-methods"]
    allowed = answer.headers["access-control-allow-headers"].lower()
    assert {"authorization", "content-type", "idempotency-key"} <= {
        h.strip() for h in allowed.split(",")
    }
    assert "access-control-allow-credentials" not in answer.headers
    assert answer.headers["access-control-max-age"] == "600"


async def test_another_origin_is_refused_at_the_preflight(
    cors_client: httpx2.AsyncClient,
) -> None:
    answer = await cors_client.options(
        "/api/approvals", headers=preflight("https://evil.example.com")
    )
    assert answer.status_code == 400
    assert "access-control-allow-origin" not in answer.headers


async def test_an_answer_to_a_named_origin_names_it_and_exposes_the_request_id(
    cors_client: httpx2.AsyncClient,
) -> None:
    answer = await cors_client.get("/api/auth/me", headers={"Origin": INTRANET})
    assert answer.status_code == 401
    assert answer.headers["access-control-allow-origin"] == INTRANET
    assert "x-request-id" in answer.headers["access-control-expose-headers"].lower()
    stranger = await cors_client.get("/api/auth/me", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in stranger.headers


async def test_without_the_setting_no_origin_is_allowed(client: httpx2.AsyncClient) -> None:
    answer = await client.options("/api/approvals", headers=preflight(INTRANET))
    assert "access-control-allow-origin" not in answer.headers
    simple = await client.get("/api/auth/me", headers={"Origin": INTRANET})
    assert "access-control-allow-origin" not in simple.headers


@pytest.mark.parametrize(
    "origin",
    [
        "*",
        "https://*.example.com",
        "intranet.example.com",
        "ftp://example.com",
        "https://example.com/app",
        "https://example.com?x=1",
        "https://user@example.com",
    ],
)
def test_a_wildcard_or_anything_but_an_origin_is_refused(origin: str) -> None:
    with pytest.raises(ValidationError, match="not a web origin"):
        KernelSettings(secret_key=TEST_SECRET, cors_origins=[origin])


def test_origins_are_read_as_browsers_send_them() -> None:
    settings = KernelSettings(
        secret_key=TEST_SECRET, cors_origins=["HTTPS://Intranet.Example.com:8443/"]
    )
    assert settings.cors_origins == ["https://intranet.example.com:8443"]
