"""The processing service on temporary SQLite files and a real `LocalBus`, driven by hand."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.local import LocalBus, LocalSubscription
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database
from dojang.kernel.migrations import upgrade_to_head_async
from dojang.processing.bootstrap import MIGRATIONS, ProcessingService, build_processing
from dojang.processing.domain.tasks import Task
from dojang.processing.settings import ProcessingSettings

from .builders import NOW, as_message
from .fakes import FakeDirectory

TEST_SECRET = "processing-test-secret-that-is-long-enough-0123456789"


def topic_of(event: Event) -> str:
    """Where another service publishes this event type."""
    return "employee-events" if event.type.startswith("employee.") else "approval-requests"


@dataclass
class Harness:
    """The service, its bus, its clock and its directory, with helpers to drive them."""

    service: ProcessingService
    bus: LocalBus
    clock: FixedClock
    directory: FakeDirectory
    _results: LocalSubscription

    async def deliver(self, *events: Event) -> None:
        """Publish events where their producers would, and let the consumer apply them."""
        for event in events:
            await self.bus.publish(topic_of(event), [as_message(event)])
        await self.service.consumer.drain()

    async def results(self) -> list[Event]:
        """What reached `approval-results` since the last call (the outbox relayed first)."""
        relay = self.service.module.relay
        assert relay is not None
        while await relay.relay_once():
            pass
        records = await self._results.fetch(1000, timeout=0)
        return [Event.from_json(r.value) for r in records]

    async def dead_letters(self, topic: str = "approval-requests") -> list[dict[str, Any]]:
        """Everything dead-lettered on `topic` so far."""
        subscription = await self.bus.subscribe("inspector", [f"{topic}.dlq"])
        try:
            records = await subscription.fetch(1000, timeout=0)
        finally:
            await subscription.close()
        return [json.loads(r.value) for r in records]

    async def tasks(self, approval_id: str = "doc-1") -> list[Task]:
        """Every stored task of a document, oldest first."""
        async with self.service.unit_of_work() as uow:
            return await uow.tasks.of_document(approval_id)


@asynccontextmanager
async def running_processing(
    tmp_path: Path, database_url: str | None = None
) -> AsyncIterator[Harness]:
    """A migrated processing service whose consumer and relay the test drives by hand, on
    `database_url` (default: a SQLite file in `tmp_path`)."""
    bus_db = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    bus = LocalBus(bus_db)
    await bus.start()
    clock = FixedClock(NOW)
    directory = FakeDirectory()
    for employee_id in ("emp-kim", "emp-lee", "emp-park", "emp-choi", "emp-boss", "emp-requester"):
        directory.hire(employee_id)
    directory.hire("emp-gone", active=False)
    settings = ProcessingSettings(
        environment="test",
        secret_key=TEST_SECRET,
        data_dir=tmp_path,
        processing_database_url=database_url,
    )
    service = build_processing(settings, bus, clock=clock, directory=directory)
    database = service.module.database
    assert database is not None
    await upgrade_to_head_async(MIGRATIONS, database.url, "processing")
    results = await bus.subscribe("test", ["approval-results"])
    try:
        yield Harness(service, bus, clock, directory, results)
    finally:
        await results.close()
        await database.dispose()
        await bus.stop()
        await bus_db.dispose()
