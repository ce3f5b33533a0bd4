"""The distributed stack (`scripts/stack`): every service in its own process behind nginx.

One stack per module, with the demo organisation. Each party's WebSocket is opened through
nginx until the two land on different notification replicas (nginx names the replica in
`X-Dojang-Upstream`), so a notification reaches a socket the replica that applied its event
may not hold: the Redis fan-out carries it there.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx2
import pytest
from websockets.asyncio.client import ClientConnection, connect

from dojang.demo import DEMO_PASSWORD
from tests.stack import Stack, stack

__all__ = ["stack"]

pytestmark = pytest.mark.integration

REQUESTER = "haeun.jung@dojang.example"
APPROVER = "seoyeon.park@dojang.example"


class User:
    """A demo user logged in through nginx, with one WebSocket of their notifications."""

    def __init__(self, http: httpx2.AsyncClient, email: str) -> None:
        self.http = http
        self.email = email
        self.headers: dict[str, str] = {}
        self.id = ""
        self.replica = ""
        self.received: list[dict[str, Any]] = []
        self._arrived = asyncio.Event()

    async def log_in(self) -> User:
        answer = await self.http.post(
            "/api/auth/login", json={"email": self.email, "password": DEMO_PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        self.headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        me = await self.http.get("/api/auth/me", headers=self.headers)
        assert me.status_code == 200, me.text
        self.id = me.json()["employee"]["id"]
        return self

    async def open_socket(self, base_url: str) -> ClientConnection:
        ticket = await self.http.post("/api/auth/ws-ticket", headers=self.headers)
        assert ticket.status_code == 200, ticket.text
        url = base_url.replace("http://", "ws://") + "/ws/notifications?ticket="
        socket = await connect(url + ticket.json()["ticket"])
        assert socket.response is not None
        self.replica = socket.response.headers["X-Dojang-Upstream"]
        return socket

    async def pump(self, socket: ClientConnection) -> None:
        async for raw in socket:
            message = json.loads(raw)
            if message["type"] == "notification":
                self.received.append(message["data"])
                self._arrived.set()

    def types_for(self, approval_id: str) -> list[str]:
        return [n["type"] for n in self.received if n["approval_id"] == approval_id]

    async def wait_for(self, kind: str, approval_id: str, timeout: float = 60) -> None:
        # delivery, not its speed (bench/ measures that): the first event after the stack
        # starts waits for every consumer group to join and for the demo organisation to be
        # copied, which on a loaded machine has taken longer than 20 s
        async with asyncio.timeout(timeout):
            while kind not in self.types_for(approval_id):
                self._arrived.clear()
                await self._arrived.wait()


@asynccontextmanager
async def _two_replicas(base_url: str) -> AsyncIterator[tuple[User, User]]:
    """The requester and the approver, each listening on a different notification replica."""
    async with httpx2.AsyncClient(base_url=base_url, timeout=20) as http, AsyncExitStack() as exits:
        requester = await User(http, REQUESTER).log_in()
        approver = await User(http, APPROVER).log_in()
        first = await requester.open_socket(base_url)
        exits.push_async_callback(first.close)
        for _ in range(6):
            second = await approver.open_socket(base_url)
            if approver.replica != requester.replica:
                break
            await second.close()
        else:
            pytest.fail(f"every socket landed on {requester.replica}")
        exits.push_async_callback(second.close)
        pumps = [
            asyncio.create_task(requester.pump(first)),
            asyncio.create_task(approver.pump(second)),
        ]
        try:
            yield requester, approver
        finally:
            for pump in pumps:
                pump.cancel()


async def _submit(requester: User, approver: User, title: str) -> str:
    answer = await requester.http.post(
        "/api/approvals",
        json={
            "form": "general",
            "title": title,
            "content": "Through nginx, one service per process.",
            "line": [{"kind": "approval", "approvers": [approver.id], "rule": "all"}],
        },
        headers=requester.headers,
    )
    assert answer.status_code == 201, answer.text
    approval_id: str = answer.json()["id"]
    await approver.wait_for("approval.your_turn", approval_id)
    return approval_id


async def test_submit_approve_approved_with_each_socket_on_its_own_replica(stack: Stack) -> None:
    async with _two_replicas(stack.base_url) as (requester, approver):
        approval_id = await _submit(requester, approver, "Distributed sign-off")
        decided = await approver.http.post(
            f"/api/approvals/{approval_id}/approve",
            json={"comment": "OK"},
            headers=approver.headers,
        )
        assert decided.status_code == 200, decided.text
        assert decided.json()["status"] == "approved"
        await requester.wait_for("approval.approved", approval_id)
        # approval-processing closes the task when the decision's event reaches it, in its own
        # time: the approver's done list shows it within the event latency
        done: list[str] = []
        for _ in range(150):
            inbox = await approver.http.get("/api/inbox?status=done", headers=approver.headers)
            assert inbox.status_code == 200, inbox.text
            done = [task["approval_id"] for task in inbox.json()["items"]]
            if approval_id in done:
                break
            await asyncio.sleep(0.1)
        assert approval_id in done


async def test_a_rejection_reaches_the_requester_on_the_other_replica(stack: Stack) -> None:
    async with _two_replicas(stack.base_url) as (requester, approver):
        approval_id = await _submit(requester, approver, "Distributed refusal")
        decided = await approver.http.post(
            f"/api/approvals/{approval_id}/reject",
            json={"reason": "Not this quarter"},
            headers=approver.headers,
        )
        assert decided.status_code == 200, decided.text
        assert decided.json()["status"] == "rejected"
        await requester.wait_for("approval.rejected", approval_id)


async def test_a_withdrawal_tells_the_approver_on_the_other_replica(stack: Stack) -> None:
    async with _two_replicas(stack.base_url) as (requester, approver):
        approval_id = await _submit(requester, approver, "Distributed second thoughts")
        withdrawn = await requester.http.post(
            f"/api/approvals/{approval_id}/withdraw", headers=requester.headers
        )
        assert withdrawn.status_code == 200, withdrawn.text
        assert withdrawn.json()["status"] == "withdrawn"
        await approver.wait_for("approval.withdrawn", approval_id)
        late = await approver.http.post(
            f"/api/approvals/{approval_id}/approve", json={}, headers=approver.headers
        )
        assert late.status_code == 409, late.text


async def test_internal_routes_are_not_public_and_refuse_unsigned_calls(stack: Stack) -> None:
    identity = stack.state()["ports"]["identity"]
    async with httpx2.AsyncClient(timeout=10) as http:
        through_nginx = await http.post(
            f"{stack.base_url}/internal/identity/pending-logins", json={"user_id": "x"}
        )
        assert through_nginx.status_code == 404
        unsigned = await http.post(
            f"http://127.0.0.1:{identity}/internal/identity/pending-logins",
            json={"user_id": "x"},
        )
        assert unsigned.status_code == 401
        assert unsigned.headers["content-type"] == "application/problem+json"


async def test_readyz_names_each_dependency_of_a_replica(stack: Stack) -> None:
    ports = stack.state()["ports"]
    async with httpx2.AsyncClient(timeout=10) as http:
        notification = (await http.get(f"http://127.0.0.1:{ports['notification-2']}/readyz")).json()
        approval = (await http.get(f"http://127.0.0.1:{ports['approval-request-1']}/readyz")).json()
    assert notification["status"] == "ok"
    assert {"database", "bus", "redis", "consumer:notification"} <= set(
        notification["dependencies"]
    )
    assert {"database", "bus", "employee", "consumer:approval"} <= set(approval["dependencies"])


def test_up_again_keeps_every_process(stack: Stack) -> None:
    before = {p.name: p.read_text() for p in (stack.data_dir / "run").glob("*.pid")}
    port = urlsplit(stack.base_url).port
    again = stack.run("up", "--port", str(port), "--data-dir", str(stack.data_dir))
    assert again.returncode == 0, again.stderr
    after = {p.name: p.read_text() for p in (stack.data_dir / "run").glob("*.pid")}
    assert after == before
    assert len(after) == 7
