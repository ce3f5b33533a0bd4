"""Document numbers and the leave balance arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from dojang.approval.domain.forms import FormCode
from dojang.approval.domain.leave import InsufficientLeave, LeaveBalance, check_leave_balance
from dojang.approval.domain.numbering import document_number, numbering_year

SEOUL = ZoneInfo("Asia/Seoul")


def test_a_number_names_the_form_the_year_and_six_digits() -> None:
    assert document_number(FormCode.LEAVE, 2026, 42) == "LEAVE-2026-000042"
    assert document_number(FormCode.EXPENSE, 2026, 1) == "EXPENSE-2026-000001"


def test_sequences_start_at_one() -> None:
    with pytest.raises(ValueError, match="start at 1"):
        document_number(FormCode.GENERAL, 2026, 0)


def test_the_numbering_year_is_the_local_year() -> None:
    new_years_eve = datetime(2026, 12, 31, 15, 30, tzinfo=UTC)  # 00:30 on 1 January in Seoul
    assert numbering_year(new_years_eve, SEOUL) == 2027
    assert numbering_year(new_years_eve, ZoneInfo("UTC")) == 2026


def balance(granted: str, used: str, pending: str) -> LeaveBalance:
    return LeaveBalance(2026, Decimal(granted), Decimal(used), Decimal(pending))


def test_available_leave_is_granted_minus_used_minus_pending() -> None:
    assert balance("15", "3.5", "2").available == Decimal("9.5")


def test_a_request_for_exactly_what_is_available_is_accepted() -> None:
    check_leave_balance(Decimal("9.5"), balance("15", "3.5", "2"))


def test_a_request_for_more_is_refused_on_days() -> None:
    with pytest.raises(InsufficientLeave) as caught:
        check_leave_balance(Decimal(10), balance("15", "3.5", "2"))
    (error,) = caught.value.errors
    assert error.field == "fields.days"
    assert error.message == (
        "only 9.5 days of leave are available in 2026 (granted 15, used 3.5, pending 2); "
        "10 requested"
    )


def test_an_overdrawn_year_reports_nothing_available() -> None:
    with pytest.raises(InsufficientLeave) as caught:
        check_leave_balance(Decimal("0.5"), balance("1", "2", "0"))
    assert caught.value.errors[0].message.startswith("only 0 days")
