"""The people the authorization matrix calls every route as, and what the routes' paths
name: each route gets a document of its own, so that one route's change (a withdrawal, an
approval) is not another route's starting point."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx2

from dojang.app import Embedded
from tests.conftest import login

PASSWORD = "correct-horse-battery-staple"
ROLES = ("anonymous", "staff", "approver", "admin", "other")


@dataclass
class Actors:
    """Logged-in callers by role, and the ids routes' paths are filled with."""

    client: httpx2.AsyncClient
    embedded: Embedded
    headers: dict[str, dict[str, str]]
    ids: dict[str, str]

    @classmethod
    async def hire(cls, client: httpx2.AsyncClient, embedded: Embedded) -> Actors:
        """An approver (manager) with a staff report, an unrelated colleague, an admin."""
        employees = embedded.employee
        approver = await employees.add_user(
            email="approver@dojang.example", name="Approver", password=PASSWORD,
            roles=("employee", "manager"), department="Engineering", position="manager",
        )  # fmt: skip
        staff = await employees.add_user(
            email="staff@dojang.example", name="Staff", password=PASSWORD,
            department="Engineering", manager_id=approver.id,
        )  # fmt: skip
        await employees.add_user(
            email="other@dojang.example", name="Other", password=PASSWORD, department="Sales"
        )
        await employees.add_user(
            email="admin@dojang.example", name="Admin", password=PASSWORD,
            roles=("employee", "admin"), department="People",
        )  # fmt: skip
        await embedded.settle()
        headers = {"anonymous": {}}
        for role in ROLES[1:]:
            headers[role] = await login(client, f"{role}@dojang.example", PASSWORD)
        assert staff.department is not None
        ids = {"employee_id": staff.id, "department_id": staff.department.id, "code": "leave"}
        return cls(client, embedded, headers, ids)

    async def fresh_document(self) -> None:
        """A document of staff's waiting for approver, with its task and notification."""
        created = await self.client.post(
            "/api/approvals",
            json={
                "form": "general",
                "title": "품의",
                "content": "본문",
                "fields": {},
            },
            headers=self.headers["staff"],
        )
        assert created.status_code == 201, created.text
        document: dict[str, Any] = created.json()
        await self.embedded.settle()
        self.ids["approval_id"] = document["id"]
        self.ids["version"] = "1"
        tasks = await self.client.get("/api/admin/tasks", headers=self.headers["admin"])
        assert tasks.status_code == 200, tasks.text
        self.ids["task_id"] = tasks.json()["items"][0]["id"]
        notes = await self.client.get("/api/notifications", headers=self.headers["approver"])
        self.ids["notification_id"] = notes.json()["items"][0]["id"]

    def path(self, template: str) -> str:
        """The route's path with its parameters filled in."""
        return re.sub(r"\{(\w+)\}", lambda m: self.ids.get(m.group(1), "unknown"), template)
