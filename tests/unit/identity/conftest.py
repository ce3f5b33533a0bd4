"""An identity service on a temporary database of each SQL backend, a fixed clock and cheap
argon2 parameters."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from dojang.identity.bootstrap import IdentityService, build_identity
from dojang.identity.settings import IdentitySettings
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database
from dojang.kernel.migrations import upgrade_to_head_async
from dojang.kernel.ports import EmployeeView
from tests.sql_backends import SqlBackend

TEST_SECRET = "unit-test-secret-that-is-long-enough-0123456789"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"

# argon2id with the smallest sensible cost, so that tests hash in microseconds
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


class FakeDirectory:
    """An `EmployeeDirectory` over a dict."""

    def __init__(self) -> None:
        self.employees: dict[str, EmployeeView] = {}

    async def get_employee(self, employee_id: str) -> EmployeeView | None:
        return self.employees.get(employee_id)


@dataclass
class Running:
    identity: IdentityService
    settings: IdentitySettings
    clock: FixedClock
    bus: LocalBus
    directory: FakeDirectory


def identity_settings(data_dir: Path, **overrides: object) -> IdentitySettings:
    return IdentitySettings(
        environment="test",
        data_dir=data_dir,
        secret_key=TEST_SECRET,
        public_url="https://dojang.test",
        **overrides,  # type: ignore[arg-type]
    )


async def start(identity: IdentityService) -> None:
    module = identity.module
    assert module.migrations is not None
    assert module.database is not None
    await upgrade_to_head_async(module.migrations, module.database.url, module.name)
    for hook in module.on_start:
        await hook()


async def stop(identity: IdentityService) -> None:
    for hook in identity.module.on_stop:
        await hook()
    assert identity.module.database is not None
    await identity.module.database.dispose()


@pytest.fixture
async def bus(tmp_path: Path) -> AsyncIterator[LocalBus]:
    db = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    local_bus = LocalBus(db)
    await local_bus.start()
    yield local_bus
    await local_bus.stop()
    await db.dispose()


@pytest.fixture
async def running(tmp_path: Path, bus: LocalBus, sql_backend: SqlBackend) -> AsyncIterator[Running]:
    (tmp_path / "data").mkdir()
    settings = identity_settings(
        tmp_path / "data", identity_database_url=await sql_backend.url("identity")
    )
    clock = FixedClock(NOW)
    directory = FakeDirectory()
    identity = build_identity(
        settings, bus, clock=clock, password_hasher=CHEAP_HASHER, directory=directory
    )
    await start(identity)
    yield Running(identity, settings, clock, bus, directory)
    await stop(identity)
