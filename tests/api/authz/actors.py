"""The people the authorization matrix calls every route as, and what the routes' paths
name. Each route that changes something gets a document (and a delegation) of its own for
each caller, so that one caller's change (a withdrawal, an approval) is not the next
caller's starting point; reading routes share one per route."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2

from dojang.app import Embedded
from tests.conftest import login

PASSWORD = "correct-horse-battery-staple"
ROLES = (
    "anonymous", "outsider", "requester", "approver", "later", "cc", "delegate", "manager",
    "admin",
)  # fmt: skip
"""Who calls, in the order they call: see docs/security.md for each one's part."""


@dataclass
class Actors:
    """Logged-in callers by role, and the ids routes' paths are filled with."""

    client: httpx2.AsyncClient
    embedded: Embedded
    headers: dict[str, dict[str, str]]
    people: dict[str, str]
    ids: dict[str, str]
    later_delegations: int = 0

    @classmethod
    async def hire(cls, client: httpx2.AsyncClient, embedded: Embedded) -> Actors:
        """The requester's organisation, and a delegation from `absent` to `delegate`."""
        add = embedded.employee.add_user
        people: dict[str, str] = {}
        departments: dict[str, str] = {}

        async def hire_one(role: str, department: str, **more: Any) -> None:
            hired = await add(
                email=f"{role}@dojang.example", name=role.title(), password=PASSWORD,
                department=department, **more,
            )  # fmt: skip
            people[role] = hired.id
            assert hired.department is not None
            departments[role] = hired.department.id

        manager_roles = {"roles": ("employee", "manager"), "position": "manager"}
        await hire_one("manager", "Engineering", **manager_roles)
        await hire_one("approver", "Engineering", **manager_roles)
        await hire_one("absent", "Engineering", **manager_roles)
        await hire_one("later", "Engineering", roles=("employee", "manager"), position="director")
        await hire_one("requester", "Engineering", manager_id=people["manager"])
        await hire_one("cc", "Engineering")
        await hire_one("delegate", "Engineering")
        await hire_one("outsider", "Sales")
        await hire_one("admin", "People", roles=("employee", "admin"))
        await embedded.settle()
        headers: dict[str, dict[str, str]] = {"anonymous": {}}
        for role in [*ROLES[1:], "absent"]:
            headers[role] = await login(client, f"{role}@dojang.example", PASSWORD)
        ids = {
            "employee_id": people["requester"],
            "manager_id": people["manager"],
            "department_id": departments["requester"],
            "code": "leave",
        }
        actors = cls(client, embedded, headers, people, ids)
        await actors.delegate("absent", "delegate", days=7)
        return actors

    async def delegate(self, delegator: str, delegate: str, *, days: int, after: int = 0) -> str:
        """A delegation of `delegator`'s tasks to `delegate`, from `after` days on for `days`."""
        now = datetime.now(UTC) + timedelta(days=after)
        granted = await self.client.post(
            "/api/delegations",
            json={
                "delegate_id": self.people[delegate],
                "starts_at": (now - timedelta(minutes=1)).isoformat(),
                "ends_at": (now + timedelta(days=days)).isoformat(),
            },
            headers=self.headers[delegator],
        )
        assert granted.status_code == 201, granted.text
        await self.embedded.settle()
        delegation_id: str = granted.json()["id"]
        return delegation_id

    async def fresh(self, template: str) -> None:
        """A document of the requester's, the ids `template` names filled in for it.

        Its line: `approver` and `absent` (whom `delegate` stands in for) must both approve,
        then `later`; `cc` reads it. `manager` is the requester's manager, not in the line."""
        created = await self.client.post(
            "/api/approvals",
            json={
                "form": "general",
                "title": "품의",
                "content": "본문",
                "fields": {},
                "line": [
                    {"kind": "approval", "rule": "all",
                     "approvers": [self.people["approver"], self.people["absent"]]},
                    {"kind": "approval", "rule": "all", "approvers": [self.people["later"]]},
                ],
                "cc": [self.people["cc"]],
            },
            headers=self.headers["requester"],
        )  # fmt: skip
        assert created.status_code == 201, created.text
        document: dict[str, Any] = created.json()
        await self.embedded.settle()
        self.ids["approval_id"] = document["id"]
        self.ids["version"] = "1"
        if "{task_id}" in template:
            self.ids["task_id"] = await self._approvers_task(document["id"])
        if "{notification_id}" in template:
            notes = await self.client.get("/api/notifications", headers=self.headers["approver"])
            self.ids["notification_id"] = notes.json()["items"][0]["id"]
        if "{delegation_id}" in template:
            # the requester's own, some day ahead: revoking it changes nothing else
            self.later_delegations += 1
            self.ids["delegation_id"] = await self.delegate(
                "requester", "outsider", days=1, after=2 * self.later_delegations
            )

    async def _approvers_task(self, approval_id: str) -> str:
        cursor: str | None = None
        while True:
            params = {"limit": "200", **({"cursor": cursor} if cursor else {})}
            listed = await self.client.get(
                "/api/admin/tasks", params=params, headers=self.headers["admin"]
            )
            assert listed.status_code == 200, listed.text
            page = listed.json()
            for task in page["items"]:
                if (
                    task["approval_id"] == approval_id
                    and task["assignee_id"] == self.people["approver"]
                ):
                    task_id: str = task["id"]
                    return task_id
            cursor = page.get("next_cursor")
            assert cursor, f"no task of the approver's on {approval_id}"

    def path(self, template: str) -> str:
        """The route's path with its parameters filled in."""
        return re.sub(r"\{(\w+)\}", lambda m: self.ids.get(m.group(1), "unknown"), template)
