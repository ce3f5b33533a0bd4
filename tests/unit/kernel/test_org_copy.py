"""A service's copy of the organisation: fed by `employee-events`, read as the org chart."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, insert, select

from dojang.employee.domain.organisation import Department
from dojang.employee.service import events
from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.bus.port import Message
from dojang.kernel.bus.tables import define_kernel_tables
from dojang.kernel.bus.unit_of_work import OutboxSignal, SqlUnitOfWork
from dojang.kernel.db import Database
from dojang.kernel.org.reader import OrgReadModel
from dojang.kernel.org.tables import OrgTables, define_org_tables
from dojang.kernel.org.wiring import OrgCopy, follow_organisation
from dojang.kernel.ports import DepartmentRef, EmployeeView

NOW = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
ENGINEERING = DepartmentRef(id="dep-eng", name="Engineering")


def person(
    employee_id: str,
    *,
    manager: str | None = None,
    position: str = "staff",
    department: DepartmentRef | None = ENGINEERING,
    active: bool = True,
) -> EmployeeView:
    return EmployeeView(
        id=employee_id,
        name=f"Name of {employee_id}",
        email=f"{employee_id}@dojang.example",
        department=department,
        position=position,
        manager_id=manager,
        roles=["employee"],
        active=active,
        created_at=NOW,
    )


def department(dep_id: str, name: str, head: str | None = None) -> Department:
    return Department(id=dep_id, name=name, parent_id=None, head_id=head, created_at=NOW)


@dataclass
class Copy:
    db: Database
    tables: OrgTables
    bus: LocalBus
    copy: OrgCopy[SqlUnitOfWork]

    @property
    def org(self) -> OrgReadModel:
        return self.copy.reader

    async def apply(self, *published: Event) -> None:
        """Publish on `employee-events` and let the copy's consumer apply everything."""
        await self.bus.publish(
            "employee-events",
            [Message(key=event.aggregate_id, value=event.to_json()) for event in published],
        )
        await self.copy.consumer.drain()

    async def hire(self, *views: EmployeeView) -> None:
        await self.apply(*(events.employee_created(view, at=NOW) for view in views))

    async def generation(self) -> int:
        async with self.db.engine.connect() as connection:
            return int(await connection.scalar(select(self.tables.state.c.generation)))

    async def dead_letters(self) -> int:
        subscription = await self.bus.subscribe("inspector", ["employee-events.dlq"])
        records = await subscription.fetch(100, timeout=0)
        await subscription.close()
        return len(records)


@pytest.fixture
async def copy(tmp_path: Path) -> AsyncIterator[Copy]:
    metadata = MetaData()
    kernel = define_kernel_tables(metadata)
    tables = define_org_tables(metadata)
    db = Database(f"sqlite:///{tmp_path / 'service.db'}")
    async with db.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
        await connection.execute(insert(tables.state).values(id=1, generation=0))
    bus_db = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    bus = LocalBus(bus_db)
    await bus.start()
    signal = OutboxSignal()

    def unit_of_work() -> SqlUnitOfWork:
        return SqlUnitOfWork(db, kernel, signal)

    yield Copy(db, tables, bus, follow_organisation(db, tables, bus, unit_of_work, group="copy"))
    await bus.stop()
    await bus_db.dispose()
    await db.dispose()


def ids(chain: list[EmployeeView]) -> list[str]:
    return [view.id for view in chain]


async def test_the_manager_chain_runs_nearest_first_up_to_the_top(copy: Copy) -> None:
    await copy.hire(
        person("ceo", position="ceo"),
        person("director", manager="ceo", position="director"),
        person("lead", manager="director", position="manager"),
        person("staff", manager="lead"),
    )
    chain = await copy.org.manager_chain("staff")
    assert ids(chain) == ["lead", "director", "ceo"]
    assert chain[0] == person("lead", manager="director", position="manager")
    assert await copy.org.manager_chain("ceo") == []
    assert await copy.org.manager_chain("nobody") == []


async def test_a_manager_not_known_yet_ends_the_chain(copy: Copy) -> None:
    await copy.hire(person("staff", manager="lead"))  # the lead's event is on another key
    assert await copy.org.manager_chain("staff") == []
    await copy.hire(person("lead"))
    assert ids(await copy.org.manager_chain("staff")) == ["lead"]


async def test_a_corrupt_cycle_ends_the_chain_before_the_first_repeat(copy: Copy) -> None:
    await copy.hire(person("a", manager="c"), person("b", manager="a"), person("c", manager="b"))
    assert ids(await copy.org.manager_chain("c")) == ["b", "a"]
    assert ids(await copy.org.manager_chain("a")) == ["c", "b"]
    await copy.hire(person("self", manager="self"))
    assert await copy.org.manager_chain("self") == []


async def test_an_update_and_a_departure_replace_what_was_known(copy: Copy) -> None:
    await copy.hire(person("ceo"), person("lead"), person("staff", manager="ceo"))
    await copy.apply(
        events.employee_updated(person("staff", manager="lead"), ["manager_id"], at=NOW),
        events.employee_deactivated(person("lead", active=True), at=NOW),
    )
    assert ids(await copy.org.manager_chain("staff")) == ["lead"]
    lead = await copy.org.get_employee("lead")
    assert lead is not None
    assert not lead.active  # a departure is a departure, whatever flag it carries


async def test_department_heads_and_names_follow_department_events(copy: Copy) -> None:
    await copy.hire(person("head", position="general_manager"), person("staff"))
    assert await copy.org.department_head("dep-eng") is None
    await copy.apply(events.department_created(department("dep-eng", "Engineering"), at=NOW))
    assert await copy.org.department_head("dep-eng") is None
    await copy.apply(
        events.department_updated(
            department("dep-eng", "개발본부", head="head"), ["name", "head_id"], at=NOW
        )
    )
    head = await copy.org.department_head("dep-eng")
    assert head is not None
    assert head.id == "head"
    staff = await copy.org.get_employee("staff")
    assert staff is not None
    assert staff.department == DepartmentRef(id="dep-eng", name="개발본부")
    assert await copy.org.department_head("nowhere") is None


async def test_employees_are_fetched_by_id_skipping_unknown_ones(copy: Copy) -> None:
    await copy.hire(person("a"), person("b"))
    found = await copy.org.get_employees(["a", "nobody", "b", "a"])
    assert list(found) == ["a", "b"]
    assert await copy.org.get_employees([]) == {}


async def test_an_event_delivered_twice_is_applied_once(copy: Copy) -> None:
    created = events.employee_created(person("a"), at=NOW)
    await copy.apply(created)
    await copy.apply(created)
    assert await copy.generation() == 1


async def test_an_event_that_names_another_employee_is_a_dead_letter(copy: Copy) -> None:
    wrong = Event(
        type="employee.updated",
        aggregate_id="a",
        data={"employee": person("b").model_dump(mode="json"), "changed": []},
        occurred_at=NOW,
    )
    await copy.apply(
        wrong, Event(type="employee.created", aggregate_id="c", data={}, occurred_at=NOW)
    )
    assert await copy.dead_letters() == 2
    assert await copy.org.get_employees(["a", "b", "c"]) == {}


async def test_the_snapshot_is_kept_until_this_process_applies_an_event(copy: Copy) -> None:
    await copy.hire(person("a"))
    first = await copy.org.snapshot()
    assert await copy.org.snapshot() is first
    await copy.hire(person("b"))
    second = await copy.org.snapshot()
    assert second is not first
    assert "b" in second.employees


async def test_another_process_sees_what_was_applied_after_the_recheck_interval(
    copy: Copy,
) -> None:
    now = [100.0]
    elsewhere = OrgReadModel(copy.db, copy.tables, recheck_seconds=0.2, monotonic=lambda: now[0])
    await copy.hire(person("a"))
    assert await elsewhere.get_employee("a") is not None
    await copy.hire(person("b"))  # applied by this process's consumer, not `elsewhere`'s
    assert await elsewhere.get_employee("b") is None  # its snapshot is still fresh
    now[0] += 0.3
    assert await elsewhere.get_employee("b") is not None
    kept = await elsewhere.snapshot()
    now[0] += 0.3
    assert await elsewhere.snapshot() is kept  # re-checked, unchanged: not reloaded


async def test_it_can_be_read_inside_a_transaction_on_the_same_database(copy: Copy) -> None:
    await copy.hire(person("a"))
    copy.org.invalidate()
    session: Any
    async with SqlUnitOfWork(copy.db, define_kernel_tables(MetaData()), OutboxSignal()) as uow:
        session = uow.session
        await session.execute(select(copy.tables.employees.c.id))  # holds the connection
        async with asyncio.timeout(5):
            assert await copy.org.get_employee("a") is not None
