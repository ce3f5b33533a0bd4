"""The approval routes in a small app: a fake token verifier, a fake org, a local bus."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI

from dojang.kernel.auth.principal import Principal
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database
from dojang.kernel.errors import Unauthenticated
from dojang.kernel.web.problems import install_problem_handlers
from tests.approval_stores import ApprovalStore, approval_store
from tests.conftest import ENGLISH
from tests.unit.approval.fakes import NOW, FakeOrg, Harness, standard_org, started_approval

__all__ = ["approval_store"]


class FakeVerifier:
    """Accepts `token-<employee id>` for everyone in the org, with their roles."""

    def __init__(self, org: FakeOrg) -> None:
        self._org = org

    async def verify(self, token: str) -> Principal:
        employee = self._org.employees.get(token.removeprefix("token-"))
        if not token.startswith("token-") or employee is None:
            raise Unauthenticated("The token is not valid.")
        return Principal(user_id=employee.id, roles=frozenset(employee.roles))


def auth(user: str) -> dict[str, str]:
    """The Authorization header of `user`."""
    return {"Authorization": f"Bearer token-{user}"}


@dataclass
class Api:
    """A client of the approval routes, and the service behind them."""

    client: httpx2.AsyncClient
    harness: Harness

    async def call(
        self, user: str | None, method: str, path: str, body: Any = None, **params: Any
    ) -> httpx2.Response:
        return await self.client.request(
            method,
            path,
            json=body,
            params=params or None,
            headers=auth(user) if user is not None else None,
        )

    async def get(self, user: str | None, path: str, **params: Any) -> httpx2.Response:
        return await self.call(user, "GET", path, **params)

    async def post(self, user: str | None, path: str, body: Any = None) -> httpx2.Response:
        return await self.call(user, "POST", path, body)

    async def create(self, user: str = "staff", **body: Any) -> dict[str, Any]:
        """POST /api/approvals, which must answer 201; a general document by default."""
        payload: dict[str, Any] = {"form": "general", "title": "회의록 공유", "content": "본문"}
        payload.update(body)
        answer = await self.post(user, "/api/approvals", payload)
        assert answer.status_code == 201, answer.text
        created: dict[str, Any] = answer.json()
        return created

    async def document(self, document_id: str, user: str = "admin") -> dict[str, Any]:
        answer = await self.get(user, f"/api/approvals/{document_id}")
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    async def box(self, user: str, box: str | None = None, **params: Any) -> list[str]:
        """The ids listed in one of the user's boxes."""
        if box is not None:
            params["box"] = box
        answer = await self.get(user, "/api/approvals", **params)
        assert answer.status_code == 200, answer.text
        return [item["id"] for item in answer.json()["items"]]


def assert_problem(answer: httpx2.Response, status: int, *fields: str) -> dict[str, Any]:
    """Assert an RFC 9457 problem with `status` and, if given, exactly these field errors."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = answer.json()
    assert body["status"] == status
    if fields:
        assert sorted(e["field"] for e in body.get("errors", [])) == sorted(fields), body
    return body


@pytest.fixture
async def api(tmp_path: Path, approval_store: ApprovalStore) -> AsyncIterator[Api]:
    org = standard_org()
    clock = FixedClock(NOW)
    bus_db = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    bus = LocalBus(bus_db)
    await bus.start()
    service = await started_approval(tmp_path, bus, org, clock, **approval_store.overrides)
    app = FastAPI()
    install_problem_handlers(app)
    app.state.token_verifier = FakeVerifier(org)
    for router in service.module.routers:
        app.include_router(router)
    harness = Harness(service=service, bus=bus, org=org, clock=clock)
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(
        transport=transport, base_url="http://dojang.test", headers=ENGLISH
    ) as client:
        yield Api(client, harness)
    await harness.close()
    await bus.stop()
    await bus_db.dispose()
