"""Housekeeping forgets long-dead refresh tokens and closed throttle windows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from dojang.identity.adapters.tables import kernel_tables, login_attempts, refresh_tokens
from dojang.identity.domain.throttle import LoginThrottle
from dojang.identity.service.housekeeping import Housekeeping
from dojang.identity.service.unit_of_work import IdentityUnitOfWork
from dojang.kernel.bus.unit_of_work import OutboxSignal
from dojang.kernel.errors import Unauthenticated

from .conftest import PASSWORD, Running


async def counts(running: Running) -> tuple[int, int]:
    assert running.identity.module.database is not None
    async with running.identity.module.database.engine.connect() as conn:
        found = [
            int(await conn.scalar(select(func.count()).select_from(table)) or 0)
            for table in (refresh_tokens, login_attempts)
        ]
    return found[0], found[1]


def housekeeping(running: Running) -> Housekeeping:
    database = running.identity.module.database
    assert database is not None
    signal = OutboxSignal()
    throttle = LoginThrottle(max_failures=5, window=timedelta(minutes=5))
    return Housekeeping(
        lambda: IdentityUnitOfWork(database, kernel_tables, signal), throttle, clock=running.clock
    )


async def test_purge_removes_only_what_can_no_longer_be_used(running: Running) -> None:
    await running.identity.accounts.create_account("emp-1", "kim@dojang.example", PASSWORD, [])
    await running.identity.sessions.login("kim@dojang.example", PASSWORD, client="a")
    with pytest.raises(Unauthenticated):
        await running.identity.sessions.login("kim@dojang.example", "wrong password", client="b")
    assert await counts(running) == (1, 1)

    running.clock.advance(minutes=10)
    assert await housekeeping(running).purge() == 1
    assert await counts(running) == (1, 0)

    running.clock.advance(days=14)
    assert await housekeeping(running).purge() == 0  # spent or not, kept a day for replays
    running.clock.advance(days=1)
    assert await housekeeping(running).purge() == 1
    assert await counts(running) == (0, 0)


async def test_a_login_kept_for_an_employee_who_never_came_is_forgotten_after_a_day(
    running: Running,
) -> None:
    await running.identity.accounts.prepare_login("emp-0", "kim@dojang.example", PASSWORD)
    running.clock.advance(hours=23)
    assert await housekeeping(running).purge() == 0
    running.clock.advance(hours=2)
    assert await housekeeping(running).purge() == 1
