"""A small app of the processing service alone, with fake tokens and a fake directory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI

from dojang.kernel.auth.principal import Principal
from dojang.kernel.errors import Unauthenticated
from dojang.kernel.web.problems import install_problem_handlers
from tests.conftest import ENGLISH
from tests.sql_backends import SqlBackend
from tests.unit.processing.builders import decided, tasks_opened
from tests.unit.processing.harness import Harness, running_processing

EMPLOYEES = ("emp-kim", "emp-lee", "emp-park", "emp-choi", "emp-boss", "emp-requester")
PRINCIPALS = {
    **{e: Principal(user_id=e, roles=frozenset({"employee"})) for e in EMPLOYEES},
    "emp-outsider": Principal(user_id="emp-outsider", roles=frozenset({"employee"})),
    "emp-admin": Principal(user_id="emp-admin", roles=frozenset({"employee", "admin"})),
}
TOKENS = {f"{user_id}-token": principal for user_id, principal in PRINCIPALS.items()}


class FakeVerifier:
    """Test tokens stand for fixed principals; anything else is refused."""

    async def verify(self, token: str) -> Principal:
        """The principal of a test token."""
        try:
            return TOKENS[token]
        except KeyError:
            raise Unauthenticated("The token is not valid.") from None


def auth(user_id: str) -> dict[str, str]:
    """The Authorization header of a test user."""
    return {"Authorization": f"Bearer {user_id}-token"}


@dataclass
class Api:
    """The processing app, its client, and the harness behind it."""

    harness: Harness
    client: httpx2.AsyncClient

    async def get(self, user_id: str | None, path: str, **params: Any) -> httpx2.Response:
        headers = {} if user_id is None else auth(user_id)
        return await self.client.get(path, headers=headers, params=params)

    async def post(self, user_id: str | None, path: str, body: Any = None) -> httpx2.Response:
        headers = {} if user_id is None else auth(user_id)
        return await self.client.post(path, headers=headers, json=body)

    async def delete(self, user_id: str | None, path: str) -> httpx2.Response:
        headers = {} if user_id is None else auth(user_id)
        return await self.client.delete(path, headers=headers)

    async def decide(
        self, approver_id: str, approval_id: str = "doc-1", decision: str = "approved", **extra: Any
    ) -> None:
        """The approval-request service took this decision; processing records it."""
        await self.harness.deliver(decided(approver_id, decision, approval_id=approval_id, **extra))

    async def open_stage(self, approvers: list[str], **options: Any) -> None:
        """The approval-request service opens tasks for a stage; they are applied at once."""
        await self.harness.deliver(tasks_opened(approvers, **options))
        await self.harness.results()


@pytest.fixture
async def api(tmp_path: Path, sql_backend: SqlBackend) -> AsyncIterator[Api]:
    async with running_processing(tmp_path, await sql_backend.url("processing")) as harness:
        app = FastAPI()
        install_problem_handlers(app)
        app.state.token_verifier = FakeVerifier()
        for router in harness.service.module.routers:
            app.include_router(router)
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(
            transport=transport, base_url="http://dojang.test", headers=ENGLISH
        ) as client:
            yield Api(harness, client)
