"""The `LeaveLedger`: reservations checked and held against the year's balance, on SQLite."""

from __future__ import annotations

import asyncio

import pytest

from dojang.kernel.clock import FixedClock
from dojang.kernel.errors import Conflict, InvalidInput, NotFound
from dojang.kernel.ports import EmployeeView, LeaveFigures

from .conftest import Running
from .test_leave_events import balance_of, days, leave_event, reserve, statuses


def figures(kim: EmployeeView, granted: float, used: float, pending: float) -> LeaveFigures:
    return LeaveFigures(
        employee_id=kim.id,
        year=2026,
        granted=granted,
        used=used,
        pending=pending,
        available=granted - used - pending,
    )


async def test_a_hold_within_the_balance_is_accepted_with_the_figures_after_it(
    running: Running,
) -> None:
    kim = await running.hire("Kim")
    answer = await reserve(running, kim, 14.5)
    assert answer.accepted
    assert answer.reservation_id == "doc-1.v1"
    assert answer.figures == figures(kim, 15, 0, 14.5)
    assert days(await balance_of(running, kim)) == (15, 0, 14.5, 15)


async def test_a_hold_beyond_what_is_available_is_refused_and_holds_nothing(
    running: Running,
) -> None:
    kim = await running.hire("Kim")
    await reserve(running, kim, 10, document="doc-1")
    answer = await reserve(running, kim, 5.5, document="doc-2")
    assert not answer.accepted
    assert answer.figures == figures(kim, 15, 0, 10)
    assert set(await statuses(running)) == {"doc-1.v1"}
    assert (await reserve(running, kim, 5, document="doc-2")).accepted


async def test_used_days_count_against_a_new_hold(running: Running) -> None:
    kim = await running.hire("Kim")
    await running.deliver(leave_event("approval.approved", kim, days=12, approval_id="old"))
    answer = await reserve(running, kim, 3.5)
    assert not answer.accepted
    assert answer.figures == figures(kim, 15, 12, 0)


async def test_the_same_hold_again_answers_the_same_and_counts_once(running: Running) -> None:
    kim = await running.hire("Kim")
    first = await reserve(running, kim, 10)
    again = await reserve(running, kim, 10)
    assert again == first
    assert days(await balance_of(running, kim)) == (15, 0, 10, 15)


async def test_the_same_id_for_other_days_is_a_conflict(running: Running) -> None:
    kim = await running.hire("Kim")
    await reserve(running, kim, 2)
    with pytest.raises(Conflict):
        await reserve(running, kim, 3)


async def test_a_released_hold_frees_its_days_and_may_be_held_again(running: Running) -> None:
    kim = await running.hire("Kim")
    await reserve(running, kim, 10)
    await running.service.leave_ledger.release("doc-1.v1")
    assert days(await balance_of(running, kim)) == (15, 0, 0, 15)
    # the retry of a failed submission holds again, checked like a new hold
    assert (await reserve(running, kim, 15)).accepted
    assert days(await balance_of(running, kim)) == (15, 0, 15, 15)


async def test_release_keeps_a_hold_its_document_confirmed(running: Running) -> None:
    kim = await running.hire("Kim")
    await reserve(running, kim, 4)
    await running.deliver(leave_event("approval.submitted", kim, days=4))
    await running.service.leave_ledger.release("doc-1.v1")
    await running.service.leave_ledger.release("unknown.v1")
    assert days(await balance_of(running, kim)) == (15, 0, 4, 15)


async def test_an_unconfirmed_hold_lapses_after_its_time(
    running: Running, clock: FixedClock
) -> None:
    kim = await running.hire("Kim")
    await reserve(running, kim, 15)
    clock.advance(minutes=running.settings.leave_hold_minutes - 1)
    assert not (await reserve(running, kim, 1, document="doc-2")).accepted
    clock.advance(minutes=1)
    assert days(await balance_of(running, kim, 2026)) == (15, 0, 0, 15)
    assert (await reserve(running, kim, 1, document="doc-2")).accepted
    # asked again, the lapsed hold is checked afresh: 14 days are left now
    assert not (await reserve(running, kim, 15)).accepted


async def test_a_late_confirmation_brings_a_lapsed_hold_back(
    running: Running, clock: FixedClock
) -> None:
    kim = await running.hire("Kim")
    await reserve(running, kim, 3)
    clock.advance(minutes=running.settings.leave_hold_minutes)
    await running.deliver(leave_event("approval.submitted", kim, days=3))
    assert days(await balance_of(running, kim, 2026)) == (15, 0, 3, 15)


async def test_two_concurrent_holds_for_the_last_days_cannot_both_succeed(
    running: Running,
) -> None:
    kim = await running.hire("Kim")
    await reserve(running, kim, 12, document="doc-0")
    answers = await asyncio.gather(
        reserve(running, kim, 2, document="doc-1"),
        reserve(running, kim, 2, document="doc-2"),
    )
    assert sorted(answer.accepted for answer in answers) == [False, True]
    assert days(await balance_of(running, kim)) == (15, 0, 14, 15)


async def test_an_unknown_employee_or_bad_days_are_refused(running: Running) -> None:
    kim = await running.hire("Kim")
    with pytest.raises(NotFound):
        await reserve(running, kim.model_copy(update={"id": "nobody"}), 1)
    with pytest.raises(InvalidInput):
        await reserve(running, kim, 0.3)
