"""Every route of the OpenAPI document, called as each role, answers what
`tests/api/authz/matrix.py` says; a route missing from the table fails the test."""

from __future__ import annotations

import os
from typing import Any

import httpx2
from fastapi import FastAPI

from dojang.app import Embedded

from .actors import ROLES, Actors
from .matrix import BODIES, MATRIX, status_class

LAST_ROUTE = "DELETE /api/employees/{employee_id}"
# routes whose path names no caller's data and that answer anyone: not in the matrix
OPEN_OPERATIONS = {"GET /healthz", "GET /readyz", "GET /.well-known/jwks.json",
                   "GET /.well-known/openid-configuration"}  # fmt: skip


def fill(body: Any, actors: Actors) -> Any:
    """A body with `{name}` strings replaced by the actors' ids."""
    if isinstance(body, dict):
        return {key: fill(value, actors) for key, value in body.items()}
    return actors.path(body) if isinstance(body, str) else body


def operations(app: FastAPI) -> list[tuple[str, str]]:
    document: dict[str, Any] = app.openapi()
    return sorted(
        (method.upper(), path)
        for path, methods in document["paths"].items()
        for method in methods
        if method in {"get", "post", "put", "patch", "delete"}
    )


async def test_every_route_answers_each_role_as_the_matrix_says(
    app: FastAPI, client: httpx2.AsyncClient, embedded: Embedded
) -> None:
    routes = [f"{m} {p}" for m, p in operations(app) if f"{m} {p}" not in OPEN_OPERATIONS]
    # the staff member's deactivation comes last: after it they draft nothing
    routes.sort(key=lambda route: route == LAST_ROUTE)
    assert sorted(set(routes) - set(MATRIX)) == [], "routes missing from the matrix"
    assert sorted(set(MATRIX) - set(routes)) == [], "matrix rows for routes that do not exist"
    actors = await Actors.hire(client, embedded)
    found: dict[str, dict[str, str]] = {}
    for route in routes:
        method, template = route.split(" ", 1)
        changes = method != "GET"
        if not changes:
            await actors.fresh(template)
        found[route] = {}
        for role in ROLES:
            if changes:
                await actors.fresh(template)
            body = fill(BODIES.get(route), actors)
            answer = await client.request(
                method,
                actors.path(template),
                headers=actors.headers[role],
                json=body,
            )
            found[route][role] = status_class(answer.status_code, MATRIX[route][role])
            if answer.status_code >= 400:
                assert answer.headers["content-type"] == "application/problem+json", route
    if os.environ.get("DOJANG_PRINT_MATRIX"):  # the rows as found, to review and paste
        for route, cells in found.items():
            print(f'    "{route}": row(' + ", ".join(f'"{c}"' for c in cells.values()) + "),")
    mismatches = [
        f"{route} as {role}: expected {MATRIX[route][role]}, got {got}"
        for route, row in found.items()
        for role, got in row.items()
        if got != MATRIX[route][role]
    ]
    assert mismatches == [], "\n".join(mismatches)
