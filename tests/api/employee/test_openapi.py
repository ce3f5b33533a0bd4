"""The employee routes are documented in the OpenAPI document clients are generated from."""

from __future__ import annotations

import httpx2


async def test_every_employee_route_is_documented_with_its_problems(
    client: httpx2.AsyncClient,
) -> None:
    answer = await client.get("/api/openapi.json")
    assert answer.status_code == 200
    paths = answer.json()["paths"]
    expected = {
        "/api/departments": {"get", "post"},
        "/api/departments/{department_id}": {"get", "patch"},
        "/api/employees": {"get", "post"},
        "/api/employees/{employee_id}": {"get", "patch", "delete"},
        "/api/attendance": {"get"},
        "/api/attendance/check-in": {"post"},
        "/api/attendance/check-out": {"post"},
        "/api/leave/balance": {"get"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
        for method in methods:
            operation = paths[path][method]
            assert operation["summary"], (path, method)
            assert "401" in operation["responses"], (path, method)
    assert paths["/api/employees"]["post"]["responses"].keys() >= {"201", "403", "409", "422"}
