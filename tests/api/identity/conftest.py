"""Helpers for identity API tests over the embedded app."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx2

if TYPE_CHECKING:
    from dojang.app import Embedded
    from dojang.kernel.ports import EmployeeView

PASSWORD = "correct horse battery"


async def hire(
    embedded: Embedded,
    email: str = "kim@dojang.example",
    roles: tuple[str, ...] = ("employee", "manager"),
) -> EmployeeView:
    """An employee with a login, made through the employee service, once identity has it."""
    view = await embedded.employee.add_user(
        email=email, name="김민준", password=PASSWORD, roles=roles, department="Engineering"
    )
    await embedded.settle()
    return view


async def log_in(
    client: httpx2.AsyncClient, email: str = "kim@dojang.example", password: str = PASSWORD
) -> httpx2.Response:
    """POST /api/auth/login."""
    return await client.post("/api/auth/login", json={"email": email, "password": password})


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for an access token."""
    return {"Authorization": f"Bearer {token}"}
