"""Changes to the organisation at once: both read it before either writes, unless the
organisation's lock row keeps one out."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import event

from dojang.employee.domain.employees import Employee
from dojang.employee.domain.errors import DepartmentCycle, ManagementCycle
from dojang.employee.domain.organisation import Department
from dojang.employee.service.commands import DepartmentChanges, EmployeeChanges, NewEmployee
from dojang.employee.service.departments import DepartmentUseCases
from dojang.employee.service.employees import EmployeeUseCases
from dojang.kernel.auth.principal import Principal
from dojang.kernel.clock import FixedClock
from dojang.kernel.errors import InvalidInput
from tests.interleaving import Meeting

from .conftest import NEW_YEARS_EVE_SEOUL, FakeAccounts, Running
from .fakes import FakeUnitOfWork, Store

ADMIN = Principal(user_id="emp-admin", roles=frozenset({"employee", "admin"}))


def employee(employee_id: str, manager_id: str | None = None) -> Employee:
    return Employee.hire(
        employee_id=employee_id,
        name=employee_id,
        email=f"{employee_id}@dojang.example",
        department_id=None,
        position="staff",
        manager_id=manager_id,
        roles=["employee"],
        at=NEW_YEARS_EVE_SEOUL,
    )


@pytest.fixture
def meeting() -> Meeting:
    return Meeting(parties=2)


@pytest.fixture
def store(meeting: Meeting) -> Store:
    found = Store()
    found.locks.meeting = meeting
    return found


def use_cases(store: Store, *people: Employee) -> EmployeeUseCases:
    for person in people:
        store.employees[person.id] = person
    return EmployeeUseCases(
        lambda: FakeUnitOfWork(store), FakeAccounts(), FixedClock(NEW_YEARS_EVE_SEOUL)
    )


async def test_two_changes_that_close_a_loop_at_once_accept_only_one(store: Store) -> None:
    employees = use_cases(store, employee("emp-a"), employee("emp-b"))
    outcomes = await asyncio.gather(
        employees.update(ADMIN, "emp-a", EmployeeChanges(manager_id="emp-b")),
        employees.update(ADMIN, "emp-b", EmployeeChanges(manager_id="emp-a")),
        return_exceptions=True,
    )
    assert sum(isinstance(outcome, ManagementCycle) for outcome in outcomes) == 1
    managers = {e.id: e.manager_id for e in store.employees.values()}
    assert managers in ({"emp-a": "emp-b", "emp-b": None}, {"emp-a": None, "emp-b": "emp-a"})
    assert store.locks.waits == 1


async def test_nobody_is_put_under_a_leaver_while_their_reports_are_handed_over(
    store: Store,
) -> None:
    employees = use_cases(
        store, employee("emp-boss"), employee("emp-leaver", "emp-boss"), employee("emp-new")
    )
    outcomes = await asyncio.gather(
        employees.deactivate(ADMIN, "emp-leaver"),
        employees.update(ADMIN, "emp-new", EmployeeChanges(manager_id="emp-leaver")),
        return_exceptions=True,
    )
    refused = outcomes[1]
    assert isinstance(refused, InvalidInput)
    assert "deactivated" in refused.errors[0].message
    assert store.employees["emp-new"].manager_id is None


async def test_nobody_is_hired_under_a_leaver_while_their_reports_are_handed_over(
    store: Store,
) -> None:
    employees = use_cases(store, employee("emp-leaver"))
    hire = NewEmployee(
        name="New", email="new@dojang.example", department_id=None, manager_id="emp-leaver"
    )
    outcomes = await asyncio.gather(
        employees.deactivate(ADMIN, "emp-leaver"), employees.hire(hire), return_exceptions=True
    )
    assert isinstance(outcomes[1], InvalidInput)
    assert len(store.employees) == 1


def department(department_id: str, parent_id: str | None = None) -> Department:
    return Department(
        id=department_id,
        name=department_id,
        parent_id=parent_id,
        head_id=None,
        created_at=NEW_YEARS_EVE_SEOUL,
    )


def department_use_cases(store: Store, *departments: Department) -> DepartmentUseCases:
    for found in departments:
        store.departments[found.id] = found
    return DepartmentUseCases(lambda: FakeUnitOfWork(store), FixedClock(NEW_YEARS_EVE_SEOUL))


async def test_two_moves_that_close_a_loop_of_departments_at_once_accept_only_one(
    store: Store,
) -> None:
    departments = department_use_cases(store, department("dep-a"), department("dep-b"))
    outcomes = await asyncio.gather(
        departments.update("dep-a", DepartmentChanges(parent_id="dep-b")),
        departments.update("dep-b", DepartmentChanges(parent_id="dep-a")),
        return_exceptions=True,
    )
    assert sum(isinstance(outcome, DepartmentCycle) for outcome in outcomes) == 1
    parents = {d.id: d.parent_id for d in store.departments.values()}
    assert parents in ({"dep-a": "dep-b", "dep-b": None}, {"dep-a": None, "dep-b": "dep-a"})


async def test_nobody_is_made_head_while_their_deactivation_clears_headships(
    store: Store,
) -> None:
    employees = use_cases(store, employee("emp-leaver"))
    departments = department_use_cases(store, department("dep-a"))
    outcomes = await asyncio.gather(
        employees.deactivate(ADMIN, "emp-leaver"),
        departments.update("dep-a", DepartmentChanges(head_id="emp-leaver")),
        return_exceptions=True,
    )
    assert isinstance(outcomes[1], InvalidInput)
    assert store.departments["dep-a"].head_id is None


async def test_changes_that_leave_managers_alone_do_not_wait(
    store: Store, meeting: Meeting
) -> None:
    employees = use_cases(store, employee("emp-a"), employee("emp-b"))
    await asyncio.gather(
        employees.update(ADMIN, "emp-a", EmployeeChanges(name="에이")),
        employees.update(ADMIN, "emp-b", EmployeeChanges(name="비")),
    )
    assert meeting.all_met
    assert store.locks.waits == 0


async def test_a_change_of_manager_first_locks_the_organisation_in_sql(running: Running) -> None:
    """The lock is the transaction's first statement: MySQL's snapshot starts at the first
    read, so the cycle check reads what the change before it committed."""
    boss = await running.hire("Boss")
    staff = await running.hire("Staff")
    statements: list[str] = []
    engine = running.database.engine.sync_engine  # type: ignore[attr-defined]

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        await running.service.use_cases.employees.update(
            ADMIN, staff.id, EmployeeChanges(manager_id=boss.id)
        )
    finally:
        event.remove(engine, "before_cursor_execute", record)
    # the lock row's upsert: ON CONFLICT on SQLite, ON DUPLICATE KEY UPDATE on MariaDB
    assert statements[0].startswith("INSERT INTO org_lock (name) VALUES")
