"""The whole embedded app: a leaver's stranded task, reassigned over HTTP, is decided at once."""

from __future__ import annotations

import httpx2

from dojang.app import Embedded
from tests.conftest import login

PASSWORD = "correct-horse-battery-staple"


async def _person(
    embedded: Embedded, client: httpx2.AsyncClient, email: str, *roles: str
) -> tuple[str, dict[str, str]]:
    view = await embedded.employee.add_user(
        email=email, name=email.split("@")[0], password=PASSWORD, roles=("employee", *roles)
    )
    await embedded.settle()  # identity makes the login from `employee.created`
    return view.id, await login(client, email, PASSWORD)


async def test_a_stranded_task_reassigned_by_an_admin_is_decided_by_the_new_holder(
    embedded: Embedded, client: httpx2.AsyncClient
) -> None:
    _, admin = await _person(embedded, client, "admin@dojang.example", "admin")
    _, requester = await _person(embedded, client, "req@dojang.example")
    leaver_id, _ = await _person(embedded, client, "leaver@dojang.example")
    taker_id, taker = await _person(embedded, client, "taker@dojang.example")
    created = await client.post(
        "/api/approvals",
        headers=requester,
        json={
            "form": "general",
            "title": "장비 구매",
            "content": "노트북",
            "line": [{"kind": "approval", "approvers": [leaver_id], "rule": "all"}],
        },
    )
    assert created.status_code == 201, created.text
    document_id = created.json()["id"]
    await embedded.settle()
    gone = await client.delete(f"/api/employees/{leaver_id}", headers=admin)
    assert gone.status_code in (200, 204), gone.text
    await embedded.settle()

    listed = await client.get("/api/admin/tasks", headers=admin, params={"stranded": "true"})
    assert listed.status_code == 200, listed.text
    [stranded] = listed.json()["items"]
    assert (stranded["approval_id"], stranded["assignee_id"]) == (document_id, leaver_id)
    assert (await client.get("/api/admin/tasks", headers=taker)).status_code == 403

    moved = await client.post(
        f"/api/admin/tasks/{stranded['id']}/reassign",
        headers=admin,
        json={"assignee_id": taker_id, "reason": "퇴사자 결재 인계"},
    )
    assert moved.status_code == 200, moved.text
    await embedded.settle()
    notifications = (await client.get("/api/notifications", headers=taker)).json()["items"]
    assert [(n["type"], n["approval_id"]) for n in notifications] == [
        ("approval.your_turn", document_id)
    ]
    approved = await client.post(f"/api/approvals/{document_id}/approve", headers=taker, json={})
    assert approved.status_code == 200, approved.text
    document = approved.json()
    assert document["status"] == "approved"
    [slot] = document["line"][0]["approvers"]
    assert (slot["employee_id"], slot["decided_by"], slot["on_behalf_of"]) == (
        leaver_id,
        taker_id,
        leaver_id,
    )
