"""The whole embedded app with approval documents on the MongoDB-wire server: its relay and
consumers carry a document from submission through processing to an approved number."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx2
import pytest

from dojang.app import Embedded, create_app
from tests.approval_stores import fresh_mongo_database
from tests.conftest import ENGLISH, login, test_overrides

pytestmark = pytest.mark.integration

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
async def running(
    tmp_path: Path, mongodb_server: str
) -> AsyncIterator[tuple[Embedded, httpx2.AsyncClient]]:
    async with fresh_mongo_database(mongodb_server) as url:
        app = create_app(**test_overrides(tmp_path / "data"), approval_mongodb_url=url)
        async with app.router.lifespan_context(app):
            transport = httpx2.ASGITransport(app=app)
            async with httpx2.AsyncClient(
                transport=transport, base_url="http://dojang.test", headers=ENGLISH
            ) as c:
                yield app.state.dojang, c


async def test_a_document_on_mongodb_goes_from_submission_to_its_number(
    running: tuple[Embedded, httpx2.AsyncClient],
) -> None:
    embedded, client = running
    assert embedded.approval.mongo is not None
    lead = await embedded.employee.add_user(
        email="lead@dojang.example", name="박팀장", password=PASSWORD, roles=("employee", "manager")
    )
    await embedded.employee.add_user(
        email="staff@dojang.example", name="김사원", password=PASSWORD, manager_id=lead.id
    )
    await embedded.settle()
    staff_auth = await login(client, "staff@dojang.example", PASSWORD)
    lead_auth = await login(client, "lead@dojang.example", PASSWORD)

    created = await client.post(
        "/api/approvals",
        headers=staff_auth,
        json={"form": "general", "title": "장비 구매", "content": "노트북"},
    )
    assert created.status_code == 201, created.text
    document_id = created.json()["id"]
    await embedded.settle()

    inbox = await client.get("/api/inbox", headers=lead_auth)
    assert [t["approval_id"] for t in inbox.json()["items"]] == [document_id]
    listed = await client.get("/api/approvals", headers=lead_auth, params={"box": "inbox"})
    assert [d["id"] for d in listed.json()["items"]] == [document_id]
    approved = await client.post(
        f"/api/approvals/{document_id}/approve",
        headers={**lead_auth, "Idempotency-Key": "first-try"},
        json={},
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["number"].startswith("GENERAL-")
    again = await client.post(
        f"/api/approvals/{document_id}/approve",
        headers={**lead_auth, "Idempotency-Key": "first-try"},
        json={},
    )
    assert again.status_code == 200, again.text
    assert again.json() == approved.json()
    await embedded.settle()

    assert await embedded.approval.mongo.documents.count_documents({"relay_due": True}) == 0
    told = (await client.get("/api/notifications", headers=staff_auth)).json()["items"]
    assert "approval.approved" in [n["type"] for n in told]
    completed = await client.get("/api/approvals", headers=staff_auth, params={"box": "completed"})
    assert [d["id"] for d in completed.json()["items"]] == [document_id]
