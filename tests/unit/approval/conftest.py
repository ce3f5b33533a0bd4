"""The approval service on temporary SQLite files (its documents there or in MongoDB, see
`tests/approval_stores.py`), a local bus and a fixed clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from dojang.kernel.bus.local import LocalBus
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database
from tests.approval_stores import ApprovalStore, approval_store

from .fakes import NOW, FakeOrg, Harness, standard_org, started_approval

__all__ = ["approval_store"]


@pytest.fixture
def org() -> FakeOrg:
    return standard_org()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def bus(tmp_path: Path) -> AsyncIterator[LocalBus]:
    database = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    local_bus = LocalBus(database)
    await local_bus.start()
    yield local_bus
    await local_bus.stop()
    await database.dispose()


@pytest.fixture
async def harness(
    tmp_path: Path, bus: LocalBus, org: FakeOrg, clock: FixedClock, approval_store: ApprovalStore
) -> AsyncIterator[Harness]:
    service = await started_approval(tmp_path, bus, org, clock, **approval_store.overrides)
    running = Harness(service=service, bus=bus, org=org, clock=clock)
    yield running
    await running.close()
