"""The approval workflow end to end in a real `dojang serve` process, over HTTP and WebSockets."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2
import pytest
from websockets.asyncio.client import ClientConnection, connect

from dojang.demo import DEMO_PASSWORD

from .conftest import RunningDojang, start_dojang

pytestmark = pytest.mark.e2e

REQUESTER = "haeun.jung@dojang.example"  # Engineering staff
AGREEMENT = ("yuna.shin@dojang.example", "jaeseok.ahn@dojang.example")  # Finance, People
APPROVER = "seoyeon.park@dojang.example"  # her manager
CC = "sungmin.yoon@dojang.example"


class User:
    """A demo user with a token and, once opened, a WebSocket of their notifications."""

    def __init__(self, http: httpx2.AsyncClient, email: str) -> None:
        self.http = http
        self.email = email
        self.headers: dict[str, str] = {}
        self.id = ""
        self.received: list[dict[str, Any]] = []
        self._arrived = asyncio.Event()

    async def log_in(self) -> User:
        answer = await self.http.post(
            "/api/auth/login", json={"email": self.email, "password": DEMO_PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        self.headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        me = await self.http.get("/api/auth/me", headers=self.headers)
        self.id = me.json()["employee"]["id"]
        return self

    @asynccontextmanager
    async def listening(self, base_url: str) -> AsyncIterator[User]:
        ticket = await self.http.post("/api/auth/ws-ticket", headers=self.headers)
        url = base_url.replace("http://", "ws://") + "/ws/notifications?ticket="
        async with connect(url + ticket.json()["ticket"]) as socket:
            pump = asyncio.create_task(self._pump(socket))
            try:
                yield self
            finally:
                pump.cancel()

    async def _pump(self, socket: ClientConnection) -> None:
        async for raw in socket:
            message = json.loads(raw)
            if message["type"] == "notification":
                self.received.append(message["data"])
                self._arrived.set()

    def types_for(self, approval_id: str) -> list[str]:
        return [n["type"] for n in self.received if n["approval_id"] == approval_id]

    async def wait_for(self, kind: str, approval_id: str, timeout: float = 10) -> None:
        async with asyncio.timeout(timeout):
            while kind not in self.types_for(approval_id):
                self._arrived.clear()
                await self._arrived.wait()


async def _document(user: User, approval_id: str) -> dict[str, Any]:
    answer = await user.http.get(f"/api/approvals/{approval_id}", headers=user.headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def _until(user: User, approval_id: str, status: str) -> dict[str, Any]:
    async with asyncio.timeout(10):
        while (document := await _document(user, approval_id))["status"] != status:
            await asyncio.sleep(0.02)
    return document


async def _approve(user: User, approval_id: str) -> dict[str, Any]:
    answer = await user.http.post(
        f"/api/approvals/{approval_id}/approve", json={"comment": "OK"}, headers=user.headers
    )
    assert answer.status_code == 200, answer.text
    document: dict[str, Any] = answer.json()
    return document


@asynccontextmanager
async def _people(base_url: str) -> AsyncIterator[tuple[User, User, User, User, User]]:
    async with httpx2.AsyncClient(base_url=base_url, timeout=10) as http:
        requester, first, second, approver, cc = [
            await User(http, email).log_in() for email in (REQUESTER, *AGREEMENT, APPROVER, CC)
        ]
        async with (
            requester.listening(base_url),
            first.listening(base_url),
            second.listening(base_url),
            approver.listening(base_url),
            cc.listening(base_url),
        ):
            yield requester, first, second, approver, cc


def _expense(first: User, second: User, approver: User, cc: User) -> dict[str, Any]:
    return {
        "form": "expense",
        "title": "Team workshop venue",
        "content": "Venue and meals for the Q3 engineering workshop.",
        "fields": {"amount": 480000, "currency": "KRW", "category": "training"},
        "line": [
            {"kind": "agreement", "approvers": [first.id, second.id], "rule": "all"},
            {"kind": "approval", "approvers": [approver.id], "rule": "all"},
        ],
        "cc": [cc.id],
    }


async def test_a_two_stage_expense_is_approved_in_order(dojang_server: RunningDojang) -> None:
    async with _people(dojang_server.base_url) as (requester, first, second, approver, cc):
        answer = await requester.http.post(
            "/api/approvals",
            json=_expense(first, second, approver, cc),
            headers=requester.headers,
        )
        assert answer.status_code == 201, answer.text
        approval_id = answer.json()["id"]

        await first.wait_for("approval.your_turn", approval_id)
        await second.wait_for("approval.your_turn", approval_id)
        assert approver.types_for(approval_id) == []  # not their turn yet

        await _approve(first, approval_id)
        await asyncio.sleep(0.3)
        assert approver.types_for(approval_id) == []  # the agreement stage needs both
        await _approve(second, approval_id)
        await approver.wait_for("approval.your_turn", approval_id)
        await _approve(approver, approval_id)

        await requester.wait_for("approval.approved", approval_id)
        await cc.wait_for("approval.cc", approval_id)
        document = await _until(requester, approval_id, "approved")
        year = datetime.now(UTC).year
        assert document["number"].startswith(f"EXPENSE-{year}-")
        assert len(document["number"]) == len("EXPENSE-2026-000001")
        assert [stage["status"] for stage in document["line"]] == ["approved", "approved"]
        assert [(e["action"], e["actor_id"]) for e in document["timeline"]] == [
            ("created", requester.id),
            ("submitted", requester.id),
            ("approved", first.id),
            ("approved", second.id),
            ("stage_approved", None),
            ("approved", approver.id),
            ("stage_approved", None),
            ("completed", None),
        ]

        read = await cc.http.post(f"/api/approvals/{approval_id}/read", headers=cc.headers)
        assert read.status_code in {200, 204}, read.text
        document = await _document(cc, approval_id)
        assert document["cc"][0]["employee_id"] == cc.id
        assert document["cc"][0]["read_at"] is not None


async def test_one_agreement_rejection_rejects_the_expense(dojang_server: RunningDojang) -> None:
    async with _people(dojang_server.base_url) as (requester, first, second, approver, cc):
        answer = await requester.http.post(
            "/api/approvals",
            json=_expense(first, second, approver, cc),
            headers=requester.headers,
        )
        approval_id = answer.json()["id"]
        await first.wait_for("approval.your_turn", approval_id)
        rejected = await first.http.post(
            f"/api/approvals/{approval_id}/reject",
            json={"reason": "Over the team budget"},
            headers=first.headers,
        )
        assert rejected.status_code == 200, rejected.text
        assert rejected.json()["status"] == "rejected"

        await requester.wait_for("approval.rejected", approval_id)
        document = await _until(requester, approval_id, "rejected")
        assert [stage["status"] for stage in document["line"]] == ["rejected", "skipped"]
        assert document["number"] is None
        late = await second.http.post(
            f"/api/approvals/{approval_id}/approve", json={}, headers=second.headers
        )
        assert late.status_code == 409, late.text  # the stage is closed: second had a slot
        closed = await approver.http.post(
            f"/api/approvals/{approval_id}/approve", json={}, headers=approver.headers
        )
        assert closed.status_code == 409, closed.text  # a skipped stage's approver
        outsider = await cc.http.post(
            f"/api/approvals/{approval_id}/approve", json={}, headers=cc.headers
        )
        assert outsider.status_code == 403, outsider.text  # cc holds no slot
        assert approver.types_for(approval_id) == []


async def test_a_decision_sent_at_once_after_the_submission_is_taken(
    dojang_server: RunningDojang,
) -> None:
    async with _people(dojang_server.base_url) as (requester, first, second, approver, _cc):
        body = {
            "form": "general",
            "title": "Quick sign-off",
            "content": "",
            "line": [
                {"kind": "approval", "approvers": [first.id, second.id], "rule": "any"},
                {"kind": "approval", "approvers": [approver.id], "rule": "all"},
            ],
        }
        for _ in range(5):
            answer = await requester.http.post(
                "/api/approvals", json=body, headers=requester.headers
            )
            assert answer.status_code == 201, answer.text
            approval_id = answer.json()["id"]
            # both approvers of the `any` stage at the same moment, right after the 201
            decisions = await asyncio.gather(
                first.http.post(
                    f"/api/approvals/{approval_id}/approve", json={}, headers=first.headers
                ),
                second.http.post(
                    f"/api/approvals/{approval_id}/reject",
                    json={"reason": "No"},
                    headers=second.headers,
                ),
            )
            assert sorted(d.status_code for d in decisions) == [200, 409], [
                d.text for d in decisions
            ]
            [taken] = [d.json() for d in decisions if d.status_code == 200]
            document = await _document(requester, approval_id)
            assert document["status"] == taken["status"]
            assert document["line"][0] == taken["line"][0]
            if document["status"] == "in_progress":
                assert document["current_stage"] == 1
                done = await _approve(approver, approval_id)
                assert done["status"] == "approved"


async def _leave_balance(user: User) -> dict[str, Any]:
    answer = await user.http.get("/api/leave/balance", headers=user.headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def _approve_leave(base_url: str) -> tuple[str, float]:
    async with httpx2.AsyncClient(base_url=base_url, timeout=10) as http:
        requester = await User(http, "jiho.kang@dojang.example").log_in()
        before = await _leave_balance(requester)
        year = datetime.now(UTC).year
        answer = await http.post(
            "/api/approvals",
            headers=requester.headers,
            json={
                "form": "leave",
                "title": "Family trip",
                "content": "",
                "fields": {
                    "start_date": f"{year}-12-28",
                    "end_date": f"{year}-12-29",
                    "days": 2,
                    "leave_type": "annual",
                },
            },
        )
        assert answer.status_code == 201, answer.text
        approval_id = answer.json()["id"]
        for stage in answer.json()["line"]:
            [slot] = stage["approvers"]
            emails = await http.get(
                f"/api/employees/{slot['employee_id']}", headers=requester.headers
            )
            approver = await User(http, emails.json()["email"]).log_in()
            async with asyncio.timeout(10):
                while not (await http.get("/api/inbox", headers=approver.headers)).json()["items"]:
                    await asyncio.sleep(0.02)
            await _approve(approver, approval_id)
        await _until(requester, approval_id, "approved")
        async with asyncio.timeout(10):
            while (balance := await _leave_balance(requester))["used"] != before["used"] + 2:
                await asyncio.sleep(0.02)
        assert balance["pending"] == before["pending"]
        return requester.email, balance["used"]


def _replay_approval_events_to_the_employee_service(data_dir: Path) -> None:
    with sqlite3.connect(data_dir / "bus.db") as bus:
        bus.execute(
            'UPDATE bus_offsets SET "offset" = 0 '
            "WHERE consumer_group = 'employee' AND topic = 'approval-events'"
        )


async def test_approved_leave_is_deducted_once_even_when_delivered_twice(
    tmp_path: Path,
) -> None:
    with start_dojang(tmp_path) as first_run:
        email, used = await _approve_leave(first_run.base_url)
    # every approval event is delivered again to the employee service after a restart
    _replay_approval_events_to_the_employee_service(tmp_path / "data")
    with start_dojang(tmp_path) as second_run:
        async with asyncio.timeout(20):
            while not _employee_service_caught_up(tmp_path / "data"):
                await asyncio.sleep(0.1)
        async with httpx2.AsyncClient(base_url=second_run.base_url, timeout=10) as http:
            requester = await User(http, email).log_in()
            assert (await _leave_balance(requester))["used"] == used


def _employee_service_caught_up(data_dir: Path) -> bool:
    with sqlite3.connect(data_dir / "bus.db") as bus:
        end = bus.execute(
            "SELECT max(\"offset\") FROM bus_log WHERE topic = 'approval-events'"
        ).fetchone()[0]
        done = bus.execute(
            'SELECT "offset" FROM bus_offsets '
            "WHERE consumer_group = 'employee' AND topic = 'approval-events'"
        ).fetchone()
    return done is not None and end is not None and done[0] >= end
