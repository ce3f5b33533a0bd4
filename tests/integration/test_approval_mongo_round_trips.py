"""How many commands each step of a document's way costs on the MongoDB-wire server: the
server (FerretDB in the stack) is where the distributed mode waits, so a step that gains a
round trip is a regression (docs/approval-mongo.md, "Round trips")."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path

import pytest

from dojang.approval.adapters.mongo.relay import MongoOutboxRelay
from dojang.approval.adapters.mongo.store import MongoStore
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.bus.unit_of_work import OutboxSignal
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database
from tests.approval_stores import fresh_mongo_database
from tests.unit.approval.fakes import (
    NOW,
    Harness,
    stage,
    standard_org,
    started_approval,
    submit,
)

pytestmark = pytest.mark.integration


@pytest.fixture
async def bus(tmp_path: Path) -> AsyncIterator[LocalBus]:
    database = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    local_bus = LocalBus(database)
    await local_bus.start()
    yield local_bus
    await local_bus.stop()
    await database.dispose()


async def guarded_harness(
    tmp_path: Path, bus: LocalBus, server: str, guard: str
) -> AsyncIterator[Harness]:
    async with fresh_mongo_database(server) as url:
        org, clock = standard_org(), FixedClock(NOW)
        service = await started_approval(
            tmp_path,
            bus,
            org,
            clock,
            approval_mongodb_url=url,
            approval_mongodb_write_guard=guard,
        )
        running = Harness(service=service, bus=bus, org=org, clock=clock)
        yield running
        await running.close()


@pytest.fixture(params=["token", "none"])
async def harness(
    request: pytest.FixtureRequest, tmp_path: Path, bus: LocalBus, mongodb_server: str
) -> AsyncIterator[Harness]:
    async for running in guarded_harness(tmp_path, bus, mongodb_server, request.param):
        yield running


def store_of(harness: Harness) -> MongoStore:
    assert harness.service.mongo is not None
    return harness.service.mongo


async def commands_of(harness: Harness, step: Awaitable[object]) -> Counter[str]:
    counts = store_of(harness).commands.counts
    before = Counter(counts)
    await step
    return Counter(counts) - before


async def test_each_step_of_a_document_costs_its_stated_round_trips(harness: Harness) -> None:
    store = store_of(harness)
    token = store.write_guard == "token"
    relay = MongoOutboxRelay(store, harness.bus, OutboxSignal(), holder="counted")
    await relay.relay_once()  # the lease, taken once per 15 s, is not a document's cost

    document_id = ""

    async def submitted() -> None:
        nonlocal document_id
        document_id = await submit(harness, stage("lead"), stage("head"))

    guarded = Counter(insert=1) if token else Counter()
    # the delegations of the first stage's approvers, the document
    assert await commands_of(harness, submitted()) == Counter(find=1, insert=1)
    # read the batch, take the published events out of all its documents at once
    assert await commands_of(harness, relay.relay_once()) == Counter(find=1, update=1) + guarded
    assigned = harness.assign(document_id, 1, 0, [("lead", "lead")])
    # already applied? (two finds), the document, its guarded save
    assert await commands_of(harness, assigned) == Counter(find=3, update=1) + guarded
    await relay.relay_once()
    decided = harness.decide(document_id, "lead")
    # the document, the delegations of the next stage's approvers, the guarded save
    assert await commands_of(harness, decided) == Counter(find=2, update=1) + guarded
