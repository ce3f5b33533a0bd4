"""Every answer carries the security headers; personal data is never cached; the API's
documentation works without internet."""

from __future__ import annotations

import httpx2
import pytest

from dojang.kernel.web.headers import API_POLICY, DOCS_POLICY


@pytest.mark.parametrize(
    ("path", "status"),
    [("/api/auth/me", 401), ("/api/approvals/nowhere", 401), ("/healthz", 200)],
)
async def test_api_answers_are_not_sniffed_framed_or_cached(
    client: httpx2.AsyncClient, path: str, status: int
) -> None:
    answer = await client.get(path)
    assert answer.status_code == status
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["content-security-policy"] == API_POLICY
    assert answer.headers["cache-control"] == "no-store"


async def test_a_trailing_slash_is_not_redirected_to_the_callers_host(
    client: httpx2.AsyncClient,
) -> None:
    answer = await client.get("/api/forms/", headers={"Host": "evil.example"})
    assert answer.status_code == 404
    assert "location" not in answer.headers


async def test_the_api_documentation_loads_nothing_from_another_host(
    client: httpx2.AsyncClient,
) -> None:
    page = await client.get("/api/docs")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == DOCS_POLICY
    assert "https://" not in page.text
    assert "/api/docs/assets/swagger-ui-bundle.js" in page.text
    script = await client.get("/api/docs/assets/swagger-ui-bundle.js")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.text
    css = await client.get("/api/docs/assets/swagger-ui.css")
    assert css.status_code == 200
