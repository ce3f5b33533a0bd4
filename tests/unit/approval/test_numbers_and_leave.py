"""Document numbers, and the refusal of a leave request the ledger did not hold."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from dojang.approval.domain.forms import FormCode
from dojang.approval.domain.numbering import document_number, numbering_year
from dojang.approval.service.leave import refusal
from dojang.kernel.ports import LeaveFigures

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


def figures(granted: float, used: float, pending: float) -> LeaveFigures:
    return LeaveFigures(
        employee_id="staff",
        year=2026,
        granted=granted,
        used=used,
        pending=pending,
        available=granted - used - pending,
    )


def test_a_refusal_names_days_and_the_ledgers_figures() -> None:
    error = refusal(Decimal(10), figures(15, 3.5, 2))
    (field,) = error.errors
    assert field.field == "fields.days"
    assert field.render("en") == (
        "only 9.5 days of leave are available in 2026 (granted 15, used 3.5, pending 2); "
        "10 requested"
    )
    assert error.status == 422


def test_an_overdrawn_year_reports_nothing_available() -> None:
    error = refusal(Decimal("0.5"), figures(1, 2, 0))
    assert error.errors[0].render("en").startswith("only 0 days")
