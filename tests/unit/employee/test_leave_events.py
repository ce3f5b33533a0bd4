"""The `employee` consumer of `approval-events` moves leave reservations, and balances."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from dojang.employee.adapters.tables import leave_balances, leave_reservations
from dojang.employee.bootstrap import build_employee
from dojang.employee.domain.leave import LeaveBalance
from dojang.kernel.auth.principal import Principal
from dojang.kernel.bus.envelope import Event
from dojang.kernel.clock import FixedClock
from dojang.kernel.errors import Forbidden, NotFound
from dojang.kernel.ports import EmployeeView, LeaveHold, LeaveReservation, leave_reservation_id
from tests.unit.employee.leave_fakes import leave_day

from .conftest import FakeAccounts, Running


def leave_event(
    event_type: str,
    requester: EmployeeView,
    *,
    days: float = 2,
    start_date: str = "2026-05-04",
    form: str = "leave",
    approval_id: str = "doc-1",
    version: int = 1,
    **extra: Any,
) -> Event:
    fields: dict[str, Any] = (
        {"start_date": start_date, "end_date": start_date, "days": days, "leave_type": "annual"}
        if form == "leave"
        else {"amount": 120000, "currency": "KRW", "category": "travel"}
    )
    data: dict[str, Any] = {
        "approval_id": approval_id,
        "version": version,
        "title": "휴가",
        "form": form,
        "requester": {"id": requester.id, "name": requester.name},
        "fields": fields,
        **extra,
    }
    return Event(
        type=event_type,
        aggregate_id=approval_id,
        data=data,
        occurred_at=datetime(2026, 4, 1, tzinfo=UTC),
    )


def me(person: EmployeeView, *roles: str) -> Principal:
    return Principal(user_id=person.id, roles=frozenset({"employee", *roles}))


async def balance_of(running: Running, person: EmployeeView, year: int = 2026) -> LeaveBalance:
    return await running.service.use_cases.leave.balance(
        me(person, "admin"), employee_id=person.id, year=year
    )


def days(b: LeaveBalance) -> tuple[float, float, float, float]:
    return float(b.granted), float(b.used), float(b.pending), float(b.remaining)


async def reserve(
    running: Running,
    person: EmployeeView,
    wanted: float,
    *,
    document: str = "doc-1",
    version: int = 1,
    year: int = 2026,
) -> LeaveReservation:
    """Ask the ledger to hold days, as the approval service does at submission."""
    return await running.service.leave_ledger.reserve(
        LeaveHold(
            reservation_id=leave_reservation_id(document, version),
            employee_id=person.id,
            year=year,
            days=wanted,
            document_id=document,
            version=version,
            start_date=leave_day(document),
            end_date=leave_day(document),
        )
    )


async def statuses(running: Running) -> dict[str, tuple[str, object]]:
    """Every stored reservation: id -> (status, expires_at)."""
    async with running.database.engine.connect() as connection:
        rows = await connection.execute(
            select(
                leave_reservations.c.id,
                leave_reservations.c.status,
                leave_reservations.c.expires_at,
            )
        )
        return {row.id: (row.status, row.expires_at) for row in rows}


# ---- the consumer


async def test_a_submission_without_a_reservation_holds_its_days(running: Running) -> None:
    kim = await running.hire("Kim")
    await running.deliver(leave_event("approval.submitted", kim, days=2.5, cc=[]))
    assert days(await balance_of(running, kim)) == (15, 0, 2.5, 15)


async def test_submission_confirms_the_hold_so_it_no_longer_lapses(
    running: Running, clock: FixedClock
) -> None:
    kim = await running.hire("Kim")
    assert (await reserve(running, kim, 3)).accepted
    await running.deliver(leave_event("approval.submitted", kim, days=3))
    clock.advance(hours=2)
    assert days(await balance_of(running, kim, 2026)) == (15, 0, 3, 15)
    assert await statuses(running) == {"doc-1.v1": ("held", None)}


async def test_approval_consumes_the_reservation_once_even_if_delivered_twice(
    running: Running,
) -> None:
    kim = await running.hire("Kim")
    await reserve(running, kim, 3)
    await running.deliver(leave_event("approval.submitted", kim, days=3))
    approved = leave_event("approval.approved", kim, days=3, number="LEAVE-2026-000001")
    await running.deliver(approved)
    await running.deliver(approved)  # the same event id again: the runner skips it
    await running.deliver(leave_event("approval.approved", kim, days=3))  # a new id, once more
    assert days(await balance_of(running, kim)) == (15, 3, 0, 12)
    assert (await statuses(running))["doc-1.v1"][0] == "consumed"


async def test_the_same_approval_twice_in_one_batch_deducts_once(running: Running) -> None:
    kim = await running.hire("Kim")
    approved = leave_event("approval.approved", kim, days=1)
    await running.deliver(leave_event("approval.submitted", kim, days=1), approved, approved)
    assert days(await balance_of(running, kim)) == (15, 1, 0, 14)


async def test_an_approval_without_any_reservation_still_counts_the_days_used(
    running: Running,
) -> None:
    kim = await running.hire("Kim")
    await running.deliver(leave_event("approval.approved", kim, days=2))
    assert days(await balance_of(running, kim)) == (15, 2, 0, 13)


@pytest.mark.parametrize("outcome", ["approval.rejected", "approval.withdrawn"])
async def test_rejection_and_withdrawal_release_the_reservation(
    running: Running, outcome: str
) -> None:
    kim = await running.hire("Kim")
    await reserve(running, kim, 2, document="doc-1")
    await reserve(running, kim, 1, document="doc-2")
    await running.deliver(
        leave_event("approval.submitted", kim, days=2, approval_id="doc-1"),
        leave_event("approval.submitted", kim, days=1, approval_id="doc-2"),
        leave_event(outcome, kim, days=2, approval_id="doc-1"),
        leave_event(outcome, kim, days=2, approval_id="doc-1"),  # again: nothing more
    )
    assert days(await balance_of(running, kim)) == (15, 0, 1, 15)
    assert (await statuses(running))["doc-1.v1"][0] == "released"


async def test_a_resubmission_holds_the_new_version_only(running: Running) -> None:
    kim = await running.hire("Kim")
    await reserve(running, kim, 2)
    await running.deliver(
        leave_event("approval.submitted", kim, days=2),
        leave_event("approval.rejected", kim, days=2),
    )
    await reserve(running, kim, 1.5, version=2)
    await running.deliver(leave_event("approval.resubmitted", kim, days=1.5, version=2))
    assert days(await balance_of(running, kim)) == (15, 0, 1.5, 15)


async def test_a_late_release_of_an_older_version_leaves_the_new_hold_alone(
    running: Running,
) -> None:
    kim = await running.hire("Kim")
    await reserve(running, kim, 2)
    # withdrawn and resubmitted before this consumer heard of the withdrawal: the new
    # version's hold supersedes the old one, whose release then changes nothing
    await reserve(running, kim, 3, version=2)
    assert days(await balance_of(running, kim)) == (15, 0, 3, 15)
    await running.deliver(
        leave_event("approval.submitted", kim, days=2),
        leave_event("approval.withdrawn", kim, days=2, released=[]),
        leave_event("approval.resubmitted", kim, days=3, version=2),
    )
    assert days(await balance_of(running, kim)) == (15, 0, 3, 15)


async def test_a_release_without_a_reservation_changes_nothing(running: Running) -> None:
    kim = await running.hire("Kim")
    await running.deliver(leave_event("approval.withdrawn", kim, days=2, released=[]))
    assert days(await balance_of(running, kim)) == (15, 0, 0, 15)
    assert await running.dead_letters() == []


async def test_the_year_is_the_year_of_the_start_date(running: Running) -> None:
    kim = await running.hire("Kim")
    await running.deliver(leave_event("approval.submitted", kim, start_date="2027-01-04"))
    assert days(await balance_of(running, kim, 2027)) == (15, 0, 2, 15)
    assert days(await balance_of(running, kim, 2026)) == (15, 0, 0, 15)


async def test_other_forms_and_other_event_types_are_ignored(running: Running) -> None:
    kim = await running.hire("Kim")
    await running.deliver(
        leave_event("approval.submitted", kim, form="expense"),
        leave_event("approval.approved", kim, form="general"),
        leave_event("approval.your_turn", kim, stage_index=0, kind="approval", recipients=[]),
        leave_event("approval.commented", kim, comment_id="c1", body="잘 다녀오세요"),
    )
    async with running.database.engine.connect() as connection:
        count = await connection.scalar(select(func.count()).select_from(leave_balances))
    assert count == 0
    assert await running.dead_letters() == []


async def test_an_unusable_leave_event_goes_to_the_dead_letters(running: Running) -> None:
    kim = await running.hire("Kim")
    await running.deliver(
        leave_event("approval.submitted", kim, days=0.3),
        leave_event("approval.submitted", kim, start_date="someday"),
        leave_event("approval.submitted", kim.model_copy(update={"id": "nobody"})),
        leave_event("approval.submitted", kim, days=1),
    )
    dead = await running.dead_letters()
    assert len(dead) == 3
    assert days(await balance_of(running, kim)) == (15, 0, 1, 15)


# ---- reading balances


async def test_a_year_keeps_the_grant_it_was_first_touched_with(running: Running) -> None:
    kim = await running.hire("Kim")
    await balance_of(running, kim)  # creates 2026 with 15 days
    settings = running.settings.model_copy(update={"annual_leave_days": 20})
    more = build_employee(settings, running.bus, FakeAccounts(), clock=running.clock)
    try:
        admin = me(kim, "admin")
        leave = more.use_cases.leave
        assert (await leave.balance(admin, employee_id=kim.id, year=2026)).granted == 15
        assert (await leave.balance(admin, employee_id=kim.id, year=2027)).granted == 20
    finally:
        assert more.module.database is not None
        await more.module.database.dispose()


async def test_the_default_year_is_the_local_year(running: Running, clock: FixedClock) -> None:
    kim = await running.hire("Kim")
    # 23:30 on 31 December in Seoul is 14:30 UTC: still 2026 locally
    mine = await running.service.use_cases.leave.balance(me(kim), employee_id=None, year=None)
    assert (mine.employee_id, mine.year) == (kim.id, 2026)
    clock.advance(minutes=31)
    mine = await running.service.use_cases.leave.balance(me(kim), employee_id=None, year=None)
    assert mine.year == 2027


async def test_managers_above_may_read_and_others_may_not(running: Running) -> None:
    boss = await running.hire("Boss")
    lead = await running.hire("Lead", manager=boss)
    kim = await running.hire("Kim", manager=lead)
    peer = await running.hire("Peer", manager=lead)
    leave = running.service.use_cases.leave
    for reader in (kim, lead, boss):
        assert (await leave.balance(me(reader), employee_id=kim.id, year=2026)).granted == 15
    with pytest.raises(Forbidden):
        await leave.balance(me(peer), employee_id=kim.id, year=2026)
    with pytest.raises(Forbidden):
        await leave.balance(me(kim), employee_id=lead.id, year=2026)
    with pytest.raises(NotFound):
        await leave.balance(me(kim), employee_id="nobody", year=2026)


async def test_reading_stays_safe_on_a_corrupt_cycle(running: Running) -> None:
    a = await running.hire("A")
    b = await running.hire("B", manager=a)
    outsider = await running.hire("Outsider")
    await running.force_manager(a.id, b.id)
    leave = running.service.use_cases.leave
    assert (await leave.balance(me(a), employee_id=b.id, year=2026)).year == 2026
    with pytest.raises(Forbidden):
        await leave.balance(me(outsider), employee_id=b.id, year=2026)
