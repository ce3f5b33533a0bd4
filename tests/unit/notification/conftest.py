"""A notification service on its own migrated database of each SQL backend, with a real
in-process bus."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dojang.kernel.bus.local import LocalBus
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database
from dojang.kernel.migrations import upgrade_to_head_async
from dojang.notification.bootstrap import MIGRATIONS, NotificationService, build_notification
from dojang.notification.settings import NotificationSettings
from tests.servers import redis_server
from tests.sql_backends import SqlBackend
from tests.ws_tickets import TicketKeys

__all__ = ["Running", "redis_server"]


@dataclass
class Running:
    service: NotificationService
    bus: LocalBus
    clock: FixedClock

    @property
    def database(self) -> Database:
        database = self.service.module.database
        assert database is not None
        return database


@pytest.fixture
async def running(tmp_path: Path, sql_backend: SqlBackend) -> AsyncIterator[Running]:
    bus_db = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    bus = LocalBus(bus_db)
    await bus.start()
    clock = FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    service = build_notification(
        NotificationSettings(
            data_dir=tmp_path, notification_database_url=await sql_backend.url("notification")
        ),
        bus,
        TicketKeys(),
        clock=clock,
    )
    database = service.module.database
    assert database is not None
    await upgrade_to_head_async(MIGRATIONS, database.url, "notification")
    yield Running(service=service, bus=bus, clock=clock)
    for hook in service.module.on_stop:
        await hook()
    await database.dispose()
    await bus.stop()
    await bus_db.dispose()
