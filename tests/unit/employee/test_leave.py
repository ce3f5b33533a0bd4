"""Leave arithmetic: days in halves, reservations that hold, lapse, are used or released."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from dojang.employee.domain.leave import (
    InvalidLeaveDays,
    LeaveBalance,
    LeaveReservation,
    LeaveYear,
    ReservationStatus,
    leave_days,
    leave_year,
)
from dojang.employee.settings import EmployeeSettings

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=15)


def year(granted: str = "15", used: str = "0") -> LeaveYear:
    return LeaveYear(employee_id="e1", year=2026, granted=Decimal(granted), used=Decimal(used))


def hold(
    days: str = "2",
    *,
    document: str = "doc-1",
    version: int = 1,
    status: ReservationStatus = ReservationStatus.HELD,
    expires_at: datetime | None = LATER,
) -> LeaveReservation:
    return LeaveReservation(
        id=f"{document}.v{version}",
        employee_id="e1",
        year=2026,
        days=Decimal(days),
        document_id=document,
        version=version,
        status=status,
        expires_at=expires_at,
    )


def d(*values: Decimal) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


def test_a_new_year_has_the_whole_grant_available() -> None:
    fresh = LeaveBalance.of(LeaveYear(employee_id="e1", year=2026, granted=Decimal(15)), [], NOW)
    assert d(fresh.used, fresh.pending, fresh.remaining, fresh.available) == ("0", "0", "15", "15")


def test_held_reservations_are_pending_and_not_available() -> None:
    b = LeaveBalance.of(year(used="3"), [hold("2"), hold("0.5", document="doc-2")], NOW)
    assert d(b.pending, b.remaining, b.available) == ("2.5", "12", "9.5")
    assert b.admits(Decimal("9.5"))
    assert not b.admits(Decimal(10))


def test_an_unconfirmed_hold_lapses_at_its_expiry_and_a_confirmed_one_never() -> None:
    unconfirmed, confirmed = hold("2"), hold("1", document="doc-2", expires_at=None)
    assert LeaveBalance.of(year(), [unconfirmed, confirmed], LATER - timedelta(seconds=1)).pending
    lapsed = LeaveBalance.of(year(), [unconfirmed, confirmed], LATER)
    assert d(lapsed.pending, lapsed.available) == ("1", "14")


def test_released_and_consumed_reservations_hold_nothing() -> None:
    done = [hold(status=ReservationStatus.RELEASED), hold(status=ReservationStatus.CONSUMED)]
    assert LeaveBalance.of(year(), done, NOW).pending == 0


def test_confirmation_stops_the_hold_from_lapsing() -> None:
    r = hold()
    assert r.confirm(NOW) is False
    assert r.expires_at is None
    assert r.holds_at(LATER + timedelta(days=365))


def test_a_late_confirmation_of_a_lapsed_or_released_hold_says_it_counts_again() -> None:
    lapsed, released = hold(), hold(status=ReservationStatus.RELEASED)
    assert lapsed.confirm(LATER) is True
    assert released.confirm(NOW) is True
    assert lapsed.holds_at(LATER)
    assert released.holds_at(NOW)


def test_approval_consumes_once() -> None:
    r = hold()
    assert r.consume() is True
    assert r.consume() is False
    assert r.status is ReservationStatus.CONSUMED
    assert r.confirm(NOW) is False  # a consumed reservation stays consumed
    assert r.release() is False


def test_rejection_or_withdrawal_releases_once() -> None:
    r = hold(expires_at=None)
    assert r.release() is True
    assert r.release() is False
    assert not r.holds_at(NOW)


def test_a_failed_submission_abandons_only_an_unconfirmed_hold() -> None:
    unconfirmed, confirmed = hold(), hold(expires_at=None)
    assert unconfirmed.abandon() is True
    assert unconfirmed.status is ReservationStatus.RELEASED
    assert confirmed.abandon() is False
    assert confirmed.holds_at(NOW)
    assert hold(status=ReservationStatus.CONSUMED).abandon() is False


def test_a_repeated_hold_is_the_same_hold_only_with_the_same_days_and_version() -> None:
    assert hold("2").same_hold(hold("2"))
    assert not hold("2").same_hold(hold("2.5"))
    assert not hold("2", version=1).same_hold(hold("2", version=2))


def test_used_may_pass_the_grant_and_remaining_goes_negative() -> None:
    account = year(used="14.5")
    account.deduct(Decimal(1))
    assert LeaveBalance.of(account, [], NOW).remaining == Decimal("-0.5")


@given(st.lists(st.tuples(st.integers(min_value=1, max_value=10), st.booleans()), max_size=20))
def test_pending_is_the_sum_of_what_still_holds(holds: list[tuple[int, bool]]) -> None:
    reservations = [
        hold(str(Decimal(h) / 2), document=f"doc-{i}", expires_at=None if live else NOW)
        for i, (h, live) in enumerate(holds)
    ]
    b = LeaveBalance.of(year(), reservations, NOW)
    assert b.pending == sum((Decimal(h) / 2 for h, live in holds if live), Decimal(0))
    assert b.available == b.remaining - b.pending


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
