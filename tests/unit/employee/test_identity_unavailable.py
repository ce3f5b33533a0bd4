"""Hiring waits for identity to keep the login's password only so long: then 503, no hire."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dojang.employee.adapters.tables import employees
from dojang.employee.bootstrap import build_employee
from dojang.employee.settings import EmployeeSettings
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.calls import PortUnavailable
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database
from dojang.kernel.migrations import upgrade_to_head_async

from .conftest import TEST_SECRET, FakeAccounts


class SilentIdentity(FakeAccounts):
    """Identity that never answers."""

    async def prepare_login(self, user_id: str, email: str, password: str) -> None:
        await asyncio.sleep(3600)


async def test_a_hire_that_identity_does_not_answer_is_a_503_and_hires_nobody(
    tmp_path: Path, clock: FixedClock
) -> None:
    bus_db = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    bus = LocalBus(bus_db)
    await bus.start()
    settings = EmployeeSettings(
        environment="test", data_dir=tmp_path, secret_key=TEST_SECRET, port_timeout_seconds=0.05
    )
    service = build_employee(settings, bus, SilentIdentity(), clock=clock)
    database = service.module.database
    assert database is not None
    assert service.module.migrations is not None
    await upgrade_to_head_async(service.module.migrations, database.url, service.module.name)
    try:
        with pytest.raises(PortUnavailable) as raised:
            await service.add_user(
                email="kim@dojang.example", name="김민준", password="a-long-passphrase"
            )
        assert raised.value.status == 503
        assert "nobody was hired" in raised.value.detail
        async with database.engine.connect() as connection:
            assert await connection.scalar(select(func.count()).select_from(employees)) == 0
            outbox = service.module.relay.outbox if service.module.relay else None
            assert outbox is not None
            assert await connection.scalar(select(func.count()).select_from(outbox)) == 0
    finally:
        await database.dispose()
        await bus.stop()
        await bus_db.dispose()
