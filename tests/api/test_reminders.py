"""Reminders across the embedded services: a document left waiting reaches its approver again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx2

from dojang.app import create_app
from dojang.kernel.clock import FixedClock
from tests.conftest import ENGLISH, login, test_overrides
from tests.sql_backends import SqlBackend

PASSWORD = "a-long-password-for-tests"


async def test_an_approver_who_leaves_a_document_waiting_is_reminded(
    tmp_path: Path, sql_backend: SqlBackend
) -> None:
    """Every SQL service of the app on one backend: SQLite files, or MariaDB databases."""
    clock = FixedClock(datetime(2026, 11, 2, 0, 0, tzinfo=UTC))  # Monday 09:00 in Seoul
    databases = await sql_backend.service_urls()
    app = create_app(clock=clock, **test_overrides(tmp_path / "data"), **databases)
    async with app.router.lifespan_context(app):
        embedded = app.state.dojang
        used = {f"{m.name}_database_url": m.database.url for m in embedded.modules if m.database}
        assert used == databases
        lead = await embedded.employee.add_user(
            email="lead@dojang.test",
            name="Park Lead",
            password=PASSWORD,
            roles=("employee", "manager"),
            department="Engineering",
            position="manager",
        )
        await embedded.employee.add_user(
            email="staff@dojang.test",
            name="Kim Staff",
            password=PASSWORD,
            department="Engineering",
            manager_id=lead.id,
        )
        await embedded.settle()
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(
            transport=transport, base_url="http://dojang.test", headers=ENGLISH
        ) as http:
            staff = await login(http, "staff@dojang.test", PASSWORD)
            submitted = await http.post(
                "/api/approvals",
                json={"form": "general", "title": "New laptop", "content": "Mine is 6 years old"},
                headers=staff,
            )
            assert submitted.status_code == 201, submitted.text
            approval_id = submitted.json()["id"]
            reminders = embedded.processing.reminders
            assert reminders is not None

            async def reminded() -> list[str]:
                await reminders.run_once()
                await embedded.settle()
                # days pass in this test: a fresh login each time
                approver = await login(http, "lead@dojang.test", PASSWORD)
                found = await http.get("/api/notifications", headers=approver)
                assert found.status_code == 200, found.text
                return [
                    n["message"]
                    for n in found.json()["items"]
                    if n["type"] == "approval.reminder" and n["approval_id"] == approval_id
                ]

            await embedded.settle()
            clock.advance(hours=23)
            assert await reminded() == []
            clock.advance(hours=2)
            assert await reminded() == [
                "Reminder: Kim Staff has waited 25 hours for your approval: New laptop"
            ]
            assert len(await reminded()) == 1  # not again until two more days have passed
            clock.advance(hours=47)
            assert len(await reminded()) == 1
            clock.advance(hours=1)
            assert len(await reminded()) == 2

            approver = await login(http, "lead@dojang.test", PASSWORD)
            decided = await http.post(
                f"/api/approvals/{approval_id}/approve", json={}, headers=approver
            )
            assert decided.status_code == 200, decided.text
            await embedded.settle()
            clock.advance(hours=48)
            assert len(await reminded()) == 2  # a decided task is never reminded of
            staff = await login(http, "staff@dojang.test", PASSWORD)
            requester_view = await http.get("/api/notifications", headers=staff)
            assert "approval.reminder" not in {n["type"] for n in requester_view.json()["items"]}
