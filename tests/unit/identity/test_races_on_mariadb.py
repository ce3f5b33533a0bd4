"""Logins and refreshes racing on MariaDB, each on its own connection
(tests/statement_barrier.py)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from dojang.identity.adapters.tables import login_attempts
from dojang.identity.service.sessions import TokenPair
from dojang.kernel.db import Database
from dojang.kernel.errors import TooManyRequests, Unauthenticated
from tests.sql_backends import on_mariadb_only
from tests.statement_barrier import StatementBarrier

from .conftest import PASSWORD, Running

pytestmark = on_mariadb_only

EMAIL = "kim@dojang.example"
CLIENT = "10.1.2.3"


def _database(running: Running) -> Database:
    database = running.identity.module.database
    assert database is not None
    return database


async def test_one_refresh_token_presented_twice_at_once_is_spent_once(running: Running) -> None:
    await running.identity.accounts.create_account("emp-1", EMAIL, PASSWORD, ("employee",))
    pair = await running.identity.sessions.login(EMAIL, PASSWORD, client=CLIENT)
    barrier = StatementBarrier("UPDATE refresh_tokens")
    with barrier.on(_database(running)):
        outcomes = await asyncio.gather(
            running.identity.sessions.refresh(pair.refresh_token),
            running.identity.sessions.refresh(pair.refresh_token),
            return_exceptions=True,
        )
    assert barrier.all_met  # both had found the token unspent
    assert sorted(type(o).__name__ for o in outcomes) == ["TokenPair", "Unauthenticated"]
    [winner] = [o for o in outcomes if isinstance(o, TokenPair)]
    # the race is taken for a stolen token: the whole family is revoked, the winner's too
    with pytest.raises(Unauthenticated):
        await running.identity.sessions.refresh(winner.refresh_token)


async def test_failed_logins_at_once_are_all_counted(running: Running) -> None:
    await running.identity.accounts.create_account("emp-1", EMAIL, PASSWORD, ("employee",))
    limit = running.settings.login_max_failures
    barrier = StatementBarrier("UPDATE login_attempts", parties=limit)
    with barrier.on(_database(running)):
        outcomes = await asyncio.gather(
            *(
                running.identity.sessions.login(EMAIL, "wrong password!", client=CLIENT)
                for _ in range(limit)
            ),
            return_exceptions=True,
        )
    assert all(isinstance(o, Unauthenticated) for o in outcomes), outcomes
    async with _database(running).engine.connect() as connection:
        assert await connection.scalar(select(login_attempts.c.attempts)) == limit
    with pytest.raises(TooManyRequests):
        await running.identity.sessions.login(EMAIL, PASSWORD, client=CLIENT)
