"""A method a path does not answer gets 405 naming every method it does answer."""

from __future__ import annotations

import httpx2
import pytest


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/api/approvals", "GET, HEAD, POST"),
        ("PUT", "/api/employees/e-1", "DELETE, GET, HEAD, PATCH"),
        ("GET", "/api/auth/login", "POST"),
    ],
)
async def test_405_lists_every_allowed_method(
    client: httpx2.AsyncClient, method: str, path: str, allowed: str
) -> None:
    answer = await client.request(method, path)
    assert answer.status_code == 405
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["allow"] == allowed
