"""Accounts: emails stored lowercased, roles must be Dojang's, sync changes only what differs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dojang.identity.domain.accounts import (
    Account,
    checked_email,
    checked_roles,
    known_roles,
    normalize_email,
)
from dojang.kernel.errors import InvalidInput

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def account(**overrides: object) -> Account:
    fields: dict[str, object] = {
        "id": "emp-1",
        "email": "kim@dojang.example",
        "password_hash": "$argon2id$...",
        "roles": frozenset({"employee"}),
        "active": True,
        "created_at": NOW,
        "updated_at": NOW,
    }
    fields.update(overrides)
    return Account(**fields)  # type: ignore[arg-type]


def test_emails_are_trimmed_and_lowercased() -> None:
    assert normalize_email("  Kim.MinJun@Dojang.Example ") == "kim.minjun@dojang.example"


@pytest.mark.parametrize("email", ["", "kim", "@dojang.example", "kim@", "kim min@dojang.example"])
def test_things_that_are_not_emails_are_refused(email: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        checked_email(email)
    assert caught.value.errors[0].field == "email"


def test_unknown_roles_are_refused_by_name() -> None:
    with pytest.raises(InvalidInput, match="unknown role 'root'"):
        checked_roles(["employee", "root"])


def test_roles_from_other_services_keep_only_dojang_roles() -> None:
    assert known_roles(["admin", "root", "manager"]) == frozenset({"admin", "manager"})


def test_only_active_accounts_with_a_password_can_log_in() -> None:
    assert account().can_log_in
    assert not account(active=False).can_log_in
    assert not account(password_hash=None).can_log_in


def test_sync_without_changes_returns_the_same_account() -> None:
    current = account()
    same = current.synced(
        email=current.email, roles=current.roles, active=True, now=NOW + timedelta(days=1)
    )
    assert same is current


def test_sync_applies_email_roles_and_active_flag() -> None:
    later = NOW + timedelta(days=1)
    synced = account().synced(
        email="kim@new.example", roles=frozenset({"manager"}), active=False, now=later
    )
    assert (synced.email, synced.roles, synced.active, synced.updated_at) == (
        "kim@new.example",
        frozenset({"manager"}),
        False,
        later,
    )


def test_the_principal_carries_id_roles_and_email() -> None:
    principal = account(roles=frozenset({"admin"})).principal()
    assert (principal.user_id, principal.email, principal.is_admin) == (
        "emp-1",
        "kim@dojang.example",
        True,
    )
