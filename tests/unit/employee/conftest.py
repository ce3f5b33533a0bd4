"""The employee service on a temporary database of each SQL backend and a real `LocalBus`,
driven by hand."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from dojang.employee.adapters.tables import employees
from dojang.employee.bootstrap import EmployeeService, build_employee
from dojang.employee.settings import EmployeeSettings
from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.bus.port import Message
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database
from dojang.kernel.migrations import upgrade_to_head_async
from dojang.kernel.ports import EmployeeView
from tests.sql_backends import SqlBackend

TEST_SECRET = "employee-unit-test-secret-that-is-long-enough-0123"
# Thursday 31 December 2026, 23:30 in Seoul: still 2026 there, already 14:30 UTC
NEW_YEARS_EVE_SEOUL = datetime(2026, 12, 31, 14, 30, tzinfo=UTC)


class FakeAccounts:
    """An `AccountProvisioner` that accepts every password and login."""

    def check_password(self, password: str) -> None:
        return None

    async def prepare_login(self, user_id: str, email: str, password: str) -> None:
        return None


@dataclass
class Running:
    """A migrated employee service, its bus and its clock."""

    service: EmployeeService
    settings: EmployeeSettings
    bus: LocalBus
    clock: FixedClock
    _count: int = field(default=0)

    @property
    def database(self) -> Database:
        database = self.service.module.database
        assert database is not None
        return database

    async def hire(
        self,
        name: str | None = None,
        *,
        manager: EmployeeView | None = None,
        department: str | None = "Engineering",
        position: str = "staff",
    ) -> EmployeeView:
        """An employee, added through `add_user`."""
        self._count += 1
        return await self.service.add_user(
            email=f"person{self._count:02d}@dojang.example",
            name=name or f"Person {self._count:02d}",
            password="unused-by-the-fake",
            department=department,
            position=position,
            manager_id=manager.id if manager else None,
        )

    async def force_manager(self, employee_id: str, manager_id: str | None) -> None:
        """Write a manager straight into the table, past the use cases' cycle check."""
        async with self.database.engine.begin() as connection:
            await connection.execute(
                update(employees).where(employees.c.id == employee_id).values(manager_id=manager_id)
            )

    async def deliver(self, *events: Event) -> None:
        """Publish events on `approval-events` and let the `employee` consumer apply them."""
        await self.bus.publish(
            "approval-events",
            [Message(key=event.aggregate_id, value=event.to_json()) for event in events],
        )
        await self.service.leave_events.drain()

    async def dead_letters(self) -> list[dict[str, Any]]:
        """What the consumer sent to `approval-events.dlq`."""
        subscription = await self.bus.subscribe("inspector", ["approval-events.dlq"])
        records = await subscription.fetch(100, timeout=0)
        await subscription.close()
        return [json.loads(r.value) for r in records]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NEW_YEARS_EVE_SEOUL)


@pytest.fixture
async def running(
    tmp_path: Path, clock: FixedClock, sql_backend: SqlBackend
) -> AsyncIterator[Running]:
    bus_db = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    bus = LocalBus(bus_db)
    await bus.start()
    settings = EmployeeSettings(
        environment="test",
        data_dir=tmp_path,
        secret_key=TEST_SECRET,
        annual_leave_days=15,
        employee_database_url=await sql_backend.url("employee"),
    )
    service = build_employee(settings, bus, FakeAccounts(), clock=clock)
    database = service.module.database
    assert database is not None
    assert service.module.migrations is not None
    await upgrade_to_head_async(service.module.migrations, database.url, service.module.name)
    try:
        yield Running(service, settings, bus, clock)
    finally:
        await database.dispose()
        await bus.stop()
        await bus_db.dispose()
