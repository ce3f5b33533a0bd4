"""Form fields: what a draft may leave out, what a submission must carry, and the checks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from dojang.approval.domain.forms import FormCode, LeaveRequest, LeaveType, build_forms
from dojang.kernel.errors import InvalidInput

FORMS = build_forms(Decimal(1_000_000))
LEAVE = FORMS[FormCode.LEAVE]
EXPENSE = FORMS[FormCode.EXPENSE]
GENERAL = FORMS[FormCode.GENERAL]


def leave(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "start_date": "2026-03-09",
        "end_date": "2026-03-11",
        "days": 3,
        "leave_type": "annual",
    }
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


def refused(form: Any, fields: object, *, complete: bool = True) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        form.validate(fields, complete=complete)
    return {e.field: e.render("en") for e in caught.value.errors}


def test_general_has_no_fields_and_refuses_unknown_ones() -> None:
    assert GENERAL.validate({}, complete=True) == {}
    assert refused(GENERAL, {"colour": "red"}) == {
        "fields.colour": "is not a field of the general form"
    }


def test_fields_must_be_an_object() -> None:
    assert refused(GENERAL, ["a"]) == {"fields": "must be an object"}


def test_a_complete_leave_request_is_accepted_as_is() -> None:
    assert LEAVE.validate(leave(), complete=True) == leave()
    request = LeaveRequest.of(leave(days=2.5))
    assert (request.year, request.days, request.calendar_days) == (2026, Decimal("2.5"), 3)
    assert request.leave_type is LeaveType.ANNUAL


def test_a_draft_may_leave_required_fields_out_but_a_submission_may_not() -> None:
    assert LEAVE.validate({"days": 1}, complete=False) == {"days": 1}
    assert set(refused(LEAVE, {"days": 1})) == {
        "fields.start_date",
        "fields.end_date",
        "fields.leave_type",
    }


def test_a_draft_still_refuses_bad_values() -> None:
    assert refused(LEAVE, {"days": "two"}, complete=False) == {"fields.days": "must be a number"}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"start_date": "2026-3-9"}, "fields.start_date", "must be a date written YYYY-MM-DD"),
        ({"end_date": "2026-02-30"}, "fields.end_date", "must be a date written YYYY-MM-DD"),
        ({"end_date": "2026-03-08"}, "fields.end_date", "must not be before start_date"),
        ({"days": 0}, "fields.days", "must be greater than 0"),
        ({"days": -1}, "fields.days", "must be greater than 0"),
        ({"days": 1.25}, "fields.days", "must be a multiple of 0.5"),
        ({"days": True}, "fields.days", "must be a number"),
        (
            {"days": 3.5},
            "fields.days",
            "must not exceed the 3 calendar days from start_date to end_date",
        ),
        (
            {"leave_type": "vacation"},
            "fields.leave_type",
            "must be one of: annual, half_day_am, half_day_pm, sick, family_event, other",
        ),
    ],
)
def test_leave_fields_are_checked(overrides: dict[str, Any], field: str, message: str) -> None:
    assert refused(LEAVE, leave(**overrides)) == {field: message}


def test_a_half_day_is_half_a_day_on_one_day() -> None:
    half = leave(end_date="2026-03-09", days=0.5, leave_type="half_day_pm")
    assert LEAVE.validate(half, complete=True)["days"] == 0.5
    assert refused(LEAVE, {**half, "days": 1}) == {"fields.days": "a half day is 0.5 days"}
    assert refused(LEAVE, {**half, "end_date": "2026-03-10"}) == {
        "fields.end_date": "a half day starts and ends the same day"
    }


def test_an_expense_defaults_to_won() -> None:
    fields = EXPENSE.validate({"amount": 12_000, "category": "meals"}, complete=True)
    assert fields == {"amount": 12_000, "currency": "KRW", "category": "meals"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": 0}, "fields.amount"),
        ({"amount": "100"}, "fields.amount"),
        ({"currency": "usd"}, "fields.currency"),
        ({"currency": "US"}, "fields.currency"),
        ({"category": "gifts"}, "fields.category"),
    ],
)
def test_expense_fields_are_checked(overrides: dict[str, Any], field: str) -> None:
    fields = {"amount": 10, "currency": "USD", "category": "travel", **overrides}
    assert list(refused(EXPENSE, fields)) == [field]


def test_the_forms_describe_their_fields_and_line_rules() -> None:
    described: dict[str, Any] = {code.value: form.to_dict() for code, form in FORMS.items()}
    assert set(described) == {"general", "leave", "expense"}
    leave_fields = {f["name"]: f for f in described["leave"]["fields"]}
    assert set(leave_fields) == {"start_date", "end_date", "days", "leave_type"}
    assert leave_fields["days"] == {
        "name": "days",
        "type": "number",
        "required": True,
        "label": "Days of leave",
        "label_ko": "휴가 일수",
        "exclusive_minimum": 0,
        "multiple_of": 0.5,
    }
    expense_rule = described["expense"]["line_rule"]
    assert expense_rule["director_threshold"] == 1_000_000
    assert "description" in described["general"]["line_rule"]
