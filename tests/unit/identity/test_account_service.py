"""Creating logins for employees (the `AccountProvisioner` port)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dojang.identity.adapters.tables import accounts
from dojang.kernel.errors import Conflict, InvalidInput, NotFound
from dojang.kernel.ports import AccountProvisioner

from .conftest import PASSWORD, Running


def test_account_service_is_an_account_provisioner(running: Running) -> None:
    provisioner: AccountProvisioner = running.identity.accounts
    assert provisioner is running.identity.accounts


async def test_account_is_stored_with_lowercased_email_and_argon2id_hash(running: Running) -> None:
    await running.identity.accounts.create_account(
        "emp-1", "Kim.MinJun@Dojang.Example", PASSWORD, ["manager"]
    )
    async with running.identity.module.database.engine.connect() as conn:  # type: ignore[union-attr]
        row = (await conn.execute(select(accounts))).one()
    assert row.email == "kim.minjun@dojang.example"
    assert row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in row.password_hash
    assert row.roles == ["manager"]
    assert row.active


async def test_same_email_in_another_case_is_a_conflict(running: Running) -> None:
    await running.identity.accounts.create_account("emp-1", "kim@dojang.example", PASSWORD, [])
    with pytest.raises(Conflict, match="email already exists"):
        await running.identity.accounts.create_account("emp-2", "KIM@dojang.example", PASSWORD, [])


async def test_second_account_for_a_user_is_a_conflict(running: Running) -> None:
    await running.identity.accounts.create_account("emp-1", "kim@dojang.example", PASSWORD, [])
    with pytest.raises(Conflict, match="already has an account"):
        await running.identity.accounts.create_account("emp-1", "lee@dojang.example", PASSWORD, [])


async def test_weak_password_is_refused_before_anything_is_stored(running: Running) -> None:
    with pytest.raises(InvalidInput) as caught:
        await running.identity.accounts.create_account(
            "emp-1", "kim@dojang.example", "kim@dojang.example", []
        )
    assert caught.value.errors[0].field == "password"
    await running.identity.accounts.create_account("emp-1", "kim@dojang.example", PASSWORD, [])


async def test_unknown_role_is_refused(running: Running) -> None:
    with pytest.raises(InvalidInput) as caught:
        await running.identity.accounts.create_account(
            "emp-1", "kim@dojang.example", PASSWORD, ["employee", "root"]
        )
    assert caught.value.errors[0].field == "roles"


async def test_invalid_email_is_refused(running: Running) -> None:
    with pytest.raises(InvalidInput) as caught:
        await running.identity.accounts.create_account("emp-1", "kim", PASSWORD, [])
    assert caught.value.errors[0].field == "email"


def test_check_password_applies_the_configured_policy(running: Running) -> None:
    running.identity.accounts.check_password("long enough passphrase")
    with pytest.raises(InvalidInput, match="at least 10 characters"):
        running.identity.accounts.check_password("short")


async def test_setting_a_password_needs_an_account(running: Running) -> None:
    with pytest.raises(NotFound):
        await running.identity.accounts.set_password("emp-404", "a brand new passphrase")
