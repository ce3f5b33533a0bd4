"""The OpenAPI document describes the error answers as they are really sent."""

from __future__ import annotations

import re
from typing import Any

import httpx2

from dojang.kernel.web.problems import PROBLEM_JSON


async def _document(client: httpx2.AsyncClient) -> dict[str, Any]:
    answer = await client.get("/api/openapi.json")
    assert answer.status_code == 200
    document: dict[str, Any] = answer.json()
    return document


async def test_every_error_is_documented_as_a_problem(client: httpx2.AsyncClient) -> None:
    document = await _document(client)
    wrong = [
        (path, method, status)
        for path, operations in document["paths"].items()
        if path.startswith("/api/")
        for method, operation in operations.items()
        for status, response in operation["responses"].items()
        if status[0] in "45" and set(response.get("content", {})) != {PROBLEM_JSON}
    ]
    assert wrong == []
    assert "HTTPValidationError" not in document["components"]["schemas"]


async def test_a_malformed_body_gets_the_documented_400_everywhere(
    client: httpx2.AsyncClient,
) -> None:
    document = await _document(client)
    with_body = [
        (path, method, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    ]
    assert len(with_body) >= 13
    for path, method, operation in with_body:
        url = re.sub(r"\{[^}]+\}", "x", path)
        answer = await client.request(
            method, url, content=b'{"title": ', headers={"content-type": "application/json"}
        )
        assert answer.status_code == 400, (method, path, answer.text)
        assert answer.headers["content-type"] == PROBLEM_JSON
        assert "400" in operation["responses"], (method, path)
