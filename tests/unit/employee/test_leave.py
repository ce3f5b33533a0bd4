"""Leave arithmetic: days in halves, pending that never goes negative, used once approved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from dojang.employee.domain.leave import (
    InvalidLeaveDays,
    LeaveBalance,
    leave_days,
    leave_year,
)
from dojang.employee.settings import EmployeeSettings


def balance(**days: str) -> LeaveBalance:
    values = {"granted": "15", "used": "0", "pending": "0", **days}
    return LeaveBalance(employee_id="e1", year=2026, **{k: Decimal(v) for k, v in values.items()})


def d(*values: Decimal) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


def test_a_new_balance_has_the_whole_grant_remaining() -> None:
    fresh = LeaveBalance(employee_id="e1", year=2026, granted=Decimal(15))
    assert d(fresh.used, fresh.pending, fresh.remaining) == ("0", "0", "15")


def test_submission_reserves_and_approval_moves_pending_to_used() -> None:
    b = balance()
    b.reserve(Decimal("2.5"))
    assert d(b.pending, b.used, b.remaining) == ("2.5", "0", "15")
    assert b.deduct(Decimal("2.5")) == 0
    assert d(b.pending, b.used, b.remaining) == ("0.0", "2.5", "12.5")


def test_rejection_or_withdrawal_releases_only_that_document() -> None:
    b = balance(pending="3")
    assert b.release(Decimal("0.5")) == 0
    assert d(b.pending, b.used) == ("2.5", "0")


def test_pending_is_clamped_at_zero_and_the_shortfall_reported() -> None:
    b = balance(pending="1")
    assert b.release(Decimal(3)) == Decimal(2)
    assert b.pending == 0


def test_an_approval_without_pending_days_still_counts_them_used() -> None:
    b = balance()
    assert b.deduct(Decimal(2)) == Decimal(2)
    assert d(b.pending, b.used, b.remaining) == ("0", "2", "13")


def test_used_may_pass_the_grant_and_remaining_goes_negative() -> None:
    b = balance(used="14.5")
    b.deduct(Decimal(1))
    assert b.remaining == Decimal("-0.5")


@given(st.lists(st.integers(min_value=1, max_value=40), max_size=20))
def test_pending_never_goes_negative_whatever_the_releases(halves: list[int]) -> None:
    b = balance(pending="5")
    for h in halves:
        b.release(Decimal(h) / 2)
        assert b.pending >= 0


@pytest.mark.parametrize(("raw", "days"), [(1, "1"), (0.5, "0.5"), (2.5, "2.5"), ("3", "3")])
def test_days_are_positive_multiples_of_half_a_day(raw: object, days: str) -> None:
    assert leave_days(raw) == Decimal(days)


@pytest.mark.parametrize("raw", [0, -1, 0.3, 1.25, "x", None, True, float("nan"), [1]])
def test_other_days_are_refused(raw: object) -> None:
    with pytest.raises(InvalidLeaveDays):
        leave_days(raw)


def test_the_leave_year_is_the_year_of_the_start_date() -> None:
    assert leave_year({"start_date": "2026-12-31", "end_date": "2027-01-02"}) == 2026


@pytest.mark.parametrize("fields", [{}, {"start_date": 20260101}, {"start_date": "Jan 1"}])
def test_a_leave_year_needs_a_start_date(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"start_date|isoformat"):
        leave_year(fields)


def test_the_yearly_grant_defaults_to_15_days() -> None:
    assert EmployeeSettings().annual_leave == Decimal(15)


def test_the_yearly_grant_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOJANG_ANNUAL_LEAVE_DAYS", "20.5")
    assert EmployeeSettings().annual_leave == Decimal("20.5")


@pytest.mark.parametrize("days", [-1, 15.25, 400])
def test_a_grant_that_is_not_whole_or_half_days_is_refused(days: float) -> None:
    with pytest.raises(ValidationError):
        EmployeeSettings(annual_leave_days=days)
