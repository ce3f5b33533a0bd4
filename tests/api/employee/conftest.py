"""The embedded app on a pinned clock, and an organisation to act in it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from dojang.app import Embedded, create_app
from dojang.employee.adapters.tables import employees, kernel_tables
from dojang.kernel.bus.envelope import Event
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database
from dojang.kernel.ports import EmployeeView
from tests.conftest import login, test_overrides

PASSWORD = "correct-horse-battery-staple"
MONDAY_0930_SEOUL = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    """The app's clock: Monday 2 March 2026, 09:30 in Seoul."""
    return FixedClock(MONDAY_0930_SEOUL)


@pytest.fixture
async def app(tmp_path: Path, clock: FixedClock) -> AsyncIterator[FastAPI]:
    """The started embedded app, on the pinned clock."""
    application = create_app(clock=clock, **test_overrides(tmp_path / "data"))
    async with application.router.lifespan_context(application):
        yield application


@dataclass
class Person:
    """An employee with a login, and the header that authenticates as them."""

    view: EmployeeView
    headers: dict[str, str]

    @property
    def id(self) -> str:
        return self.view.id


@dataclass
class Org:
    """Builds people and reads what the employee database holds."""

    client: httpx2.AsyncClient
    embedded: Embedded
    _count: int = field(default=0)

    async def person(
        self,
        name: str | None = None,
        *,
        roles: tuple[str, ...] = ("employee",),
        department: str | None = "Engineering",
        position: str = "staff",
        manager: Person | None = None,
    ) -> Person:
        """Add an employee with a login through `add_user`, and log them in."""
        self._count += 1
        name = name or f"Person {self._count:02d}"
        email = f"person{self._count:02d}@dojang.example"
        view = await self.embedded.employee.add_user(
            email=email,
            name=name,
            password=PASSWORD,
            roles=roles,
            department=department,
            position=position,
            manager_id=manager.id if manager else None,
        )
        await self.embedded.settle()  # identity creates the login from employee.created
        return Person(view, await login(self.client, email, PASSWORD))

    async def headers(self, person: Person) -> dict[str, str]:
        """A fresh login of `person`, for a token issued at the clock's current time."""
        return await login(self.client, person.view.email, PASSWORD)

    async def admin(self, name: str = "Admin") -> Person:
        """An administrator."""
        return await self.person(name, roles=("employee", "admin"), department="People")

    @property
    def database(self) -> Database:
        """The employee service's database."""
        database = self.embedded.employee.module.database
        assert database is not None
        return database

    async def count_employees(self) -> int:
        """How many employee rows there are."""
        async with self.database.engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(employees)) or 0)

    async def events(self, *types: str) -> list[Event]:
        """The events in the employee outbox, oldest first, optionally only of `types`."""
        outbox = kernel_tables.outbox
        async with self.database.engine.connect() as conn:
            rows = await conn.execute(
                select(outbox.c.topic, outbox.c.payload).order_by(outbox.c.seq)
            )
            found = [(topic, Event.from_json(payload)) for topic, payload in rows]
        assert all(topic == "employee-events" for topic, _ in found)
        return [event for _, event in found if not types or event.type in types]


@pytest.fixture
def org(client: httpx2.AsyncClient, embedded: Embedded) -> Org:
    return Org(client, embedded)


@pytest.fixture
async def admin(org: Org) -> Person:
    return await org.admin()


def assert_problem(answer: httpx2.Response, status: int, *fields: str) -> dict[str, Any]:
    """Assert an RFC 9457 problem with `status` and, if given, exactly these field errors."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = answer.json()
    assert body["status"] == status
    if fields:
        assert sorted(e["field"] for e in body.get("errors", [])) == sorted(fields), body
    return body
