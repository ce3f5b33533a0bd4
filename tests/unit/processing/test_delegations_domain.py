"""Delegation windows: what a valid 대결 is, and when it is in force."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from dojang.kernel.errors import InvalidInput
from dojang.processing.domain.delegations import Delegation

from .builders import NOW, delegation

KST = timezone(timedelta(hours=9))


def grant(**overrides: object) -> Delegation:
    values: dict[str, object] = {
        "delegation_id": "dlg-1",
        "delegator_id": "emp-kim",
        "delegate_id": "emp-lee",
        "starts_at": NOW,
        "ends_at": NOW + timedelta(days=2),
        "at": NOW,
    }
    values.update(overrides)
    return Delegation.grant(**values)  # type: ignore[arg-type]


def fields_of(exc: InvalidInput) -> set[str]:
    return {e.field for e in exc.errors}


def test_a_granted_delegation_is_stored_in_utc() -> None:
    granted = grant(starts_at=datetime(2026, 3, 3, 9, 0, tzinfo=KST))
    assert granted.starts_at == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
    assert granted.starts_at.utcoffset() == timedelta(0)
    assert granted.created_at == NOW
    assert granted.revoked_at is None


def test_a_window_that_started_in_the_past_is_allowed() -> None:
    assert grant(starts_at=NOW - timedelta(days=1)).is_active(NOW)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"delegate_id": "emp-kim"}, "delegate_id"),
        ({"ends_at": NOW}, "ends_at"),
        ({"ends_at": NOW - timedelta(hours=1)}, "ends_at"),
        (
            {"starts_at": NOW - timedelta(days=3), "ends_at": NOW - timedelta(days=1)},
            "ends_at",
        ),
        ({"starts_at": datetime(2026, 3, 3, 9, 0)}, "starts_at"),
        ({"ends_at": datetime(2026, 3, 9, 9, 0)}, "ends_at"),
    ],
)
def test_invalid_requests_are_refused_naming_the_field(
    overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        grant(**overrides)
    assert field in fields_of(refused.value)


def test_every_problem_is_listed_at_once() -> None:
    with pytest.raises(InvalidInput) as refused:
        grant(delegate_id="emp-kim", starts_at=datetime(2026, 3, 3))
    assert fields_of(refused.value) == {"delegate_id", "starts_at"}


def test_a_delegation_is_active_from_its_start_until_before_its_end() -> None:
    window = delegation(starts_at=NOW, ends_at=NOW + timedelta(hours=2))
    assert not window.is_active(NOW - timedelta(seconds=1))
    assert window.is_active(NOW)
    assert window.is_active(NOW + timedelta(hours=2) - timedelta(microseconds=1))
    assert not window.is_active(NOW + timedelta(hours=2))
    assert window.has_ended(NOW + timedelta(hours=2))
    assert not window.has_ended(NOW - timedelta(days=1))


def test_a_revoked_delegation_is_never_active_again() -> None:
    window = delegation()
    assert window.revoke(NOW)
    assert not window.is_active(NOW)
    assert window.has_ended(NOW - timedelta(days=1))
    assert not window.revoke(NOW + timedelta(minutes=1))
    assert window.revoked_at == NOW


def test_overlapping_windows_are_detected_but_touching_ones_are_not() -> None:
    first = delegation(starts_at=NOW, ends_at=NOW + timedelta(days=2))
    inside = delegation(starts_at=NOW + timedelta(hours=1), ends_at=NOW + timedelta(hours=2))
    after = delegation(starts_at=NOW + timedelta(days=2), ends_at=NOW + timedelta(days=3))
    assert first.overlaps(inside)
    assert inside.overlaps(first)
    assert not first.overlaps(after)
    inside.revoke(NOW)
    assert not first.overlaps(inside)


def test_only_the_delegator_or_an_administrator_revokes() -> None:
    window = delegation("emp-kim", "emp-lee")
    assert window.may_be_revoked_by("emp-kim", is_admin=False)
    assert window.may_be_revoked_by("emp-admin", is_admin=True)
    assert not window.may_be_revoked_by("emp-lee", is_admin=False)
    assert window.involves("emp-lee")
    assert not window.involves("emp-park")
