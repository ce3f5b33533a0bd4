"""Leave reservations racing on MariaDB, each on its own connection (tests/statement_barrier.py)."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from dojang.employee.adapters.tables import employees as employees_table
from dojang.employee.domain.errors import ManagementCycle
from dojang.employee.service.commands import EmployeeChanges
from dojang.kernel.auth.principal import Principal
from dojang.kernel.ports import LeaveHold, leave_reservation_id
from tests.sql_backends import on_mariadb_only
from tests.statement_barrier import StatementBarrier
from tests.unit.employee.leave_fakes import leave_day

from .conftest import Running

pytestmark = on_mariadb_only

ADMIN = Principal(user_id="emp-admin", roles=frozenset({"employee", "admin"}))


def hold(employee_id: str, document: str, days: float) -> LeaveHold:
    return LeaveHold(
        reservation_id=leave_reservation_id(document, 1),
        employee_id=employee_id,
        year=2026,
        days=days,
        document_id=document,
        version=1,
        start_date=leave_day(document),
        end_date=leave_day(document),
    )


def principal(employee_id: str) -> Principal:
    return Principal(user_id=employee_id, roles=frozenset({"employee"}))


async def test_two_holds_over_the_balance_at_once_hold_only_one(running: Running) -> None:
    """No reservation is held yet, so only the year's row lock keeps the two apart."""
    kim = await running.hire("Kim")
    ledger = running.service.leave_ledger
    await ledger.balance(principal(kim.id), employee_id=None, year=2026)  # the year's row
    barrier = StatementBarrier("INSERT INTO leave_reservations")
    with barrier.on(running.database):
        outcomes = await asyncio.gather(
            ledger.reserve(hold(kim.id, "doc-1", 8)), ledger.reserve(hold(kim.id, "doc-2", 8))
        )
    assert sorted(o.accepted for o in outcomes) == [False, True]
    assert not barrier.all_met  # the second waited for the year's row lock
    balance = await ledger.balance(principal(kim.id), employee_id=None, year=2026)
    assert balance.pending == 8


async def test_a_hold_and_a_hold_of_the_first_touch_at_once_hold_only_one(
    running: Running,
) -> None:
    """Nothing exists for the year yet: both create its row, one of them retries."""
    kim = await running.hire("Kim")
    ledger = running.service.leave_ledger
    barrier = StatementBarrier("INSERT INTO leave_reservations")
    with barrier.on(running.database):
        outcomes = await asyncio.gather(
            ledger.reserve(hold(kim.id, "doc-1", 8)), ledger.reserve(hold(kim.id, "doc-2", 8))
        )
    assert sorted(o.accepted for o in outcomes) == [False, True]
    balance = await ledger.balance(principal(kim.id), employee_id=None, year=2026)
    assert balance.pending == 8


async def test_holds_of_two_employees_at_once_do_not_wait_for_each_other(
    running: Running,
) -> None:
    kim, lee = await running.hire("Kim"), await running.hire("Lee")
    ledger = running.service.leave_ledger
    for n, employee in enumerate((kim, lee)):
        assert (await ledger.reserve(hold(employee.id, f"doc-0{n}", 1))).accepted
    barrier = StatementBarrier("INSERT INTO leave_reservations")
    with barrier.on(running.database):
        outcomes = await asyncio.gather(
            ledger.reserve(hold(kim.id, "doc-1", 8)), ledger.reserve(hold(lee.id, "doc-2", 8))
        )
    assert [o.accepted for o in outcomes] == [True, True]
    assert barrier.all_met


async def test_two_changes_that_close_a_management_loop_at_once_accept_only_one(
    running: Running,
) -> None:
    a, b = await running.hire("A"), await running.hire("B")
    employees = running.service.use_cases.employees
    barrier = StatementBarrier("UPDATE employees")
    with barrier.on(running.database):
        outcomes = await asyncio.gather(
            employees.update(ADMIN, a.id, EmployeeChanges(manager_id=b.id)),
            employees.update(ADMIN, b.id, EmployeeChanges(manager_id=a.id)),
            return_exceptions=True,
        )
    assert sum(isinstance(o, ManagementCycle) for o in outcomes) == 1, outcomes
    assert not barrier.all_met  # the second change waited for the organisation's lock row
    async with running.database.engine.connect() as connection:
        rows = await connection.execute(
            select(employees_table.c.id, employees_table.c.manager_id).where(
                employees_table.c.id.in_([a.id, b.id])
            )
        )
        managers = {row.id: row.manager_id for row in rows}
    assert managers in ({a.id: b.id, b.id: None}, {a.id: None, b.id: a.id})
