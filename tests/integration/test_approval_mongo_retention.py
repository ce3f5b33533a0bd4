"""What a document keeps of the event ids applied to it and of the answers it remembers,
and when it forgets them (adapters/mongo/retention.py), on the MongoDB-wire server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from dojang.approval.adapters.mongo.retention import Retention
from dojang.approval.adapters.mongo.store import MongoStore
from dojang.approval.adapters.mongo.unit_of_work import MongoApprovalUnitOfWork
from dojang.approval.service.results import CONSUMER_GROUP
from dojang.approval.service.unit_of_work import StaleDocument
from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.bus.unit_of_work import OutboxSignal
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database
from tests.approval_stores import fresh_mongo_database
from tests.unit.approval.fakes import NOW, Harness, stage, standard_org, started_approval, submit

pytestmark = pytest.mark.integration

RETENTION = Retention(applied=100.0, answers=10.0)


@pytest.fixture
async def harness(tmp_path: Path, mongodb_server: str) -> AsyncIterator[Harness]:
    database = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    bus = LocalBus(database)
    await bus.start()
    async with fresh_mongo_database(mongodb_server) as url:
        org, clock = standard_org(), FixedClock(NOW)
        service = await started_approval(tmp_path, bus, org, clock, approval_mongodb_url=url)
        running = Harness(service=service, bus=bus, org=org, clock=clock)
        yield running
        await running.close()
    await bus.stop()
    await database.dispose()


class Writes:
    """Saves of one document at wall-clock times the test sets."""

    def __init__(self, store: MongoStore, document_id: str) -> None:
        self.store = store
        self.document_id = document_id
        self.now = 1000.0

    def unit_of_work(self) -> MongoApprovalUnitOfWork:
        return MongoApprovalUnitOfWork(
            self.store, OutboxSignal(), retention=RETENTION, wall_clock=lambda: self.now
        )

    async def save(
        self,
        *,
        applied: str | None = None,
        key: str | None = None,
        wait: asyncio.Barrier | None = None,
    ) -> None:
        async with self.unit_of_work() as uow:
            document = await uow.documents.get(self.document_id)
            assert document is not None
            if wait is not None:
                await wait.wait()
            await uow.documents.save(document, [])
            if applied is not None:
                event = Event(
                    id=applied,
                    type="test.applied",
                    aggregate_id=self.document_id,
                    occurred_at=NOW,
                    data={},
                )
                await uow.mark_processed(CONSUMER_GROUP, event)
            if key is not None:
                await uow.answers.remember("lead", key, "approved", document, NOW)
            await uow.commit()

    async def stored(self) -> tuple[list[str], list[str], float | None]:
        record = await self.store.documents.find_one({"_id": self.document_id})
        assert record is not None
        ids = [key.split("|", 1)[1] for key in record["applied"]]
        keys = [key.split("|", 1)[1] for key in record["answer_keys"]]
        assert keys == [answer["key"].split("|", 1)[1] for answer in record["answers"]]
        assert len(record["applied"]) == len(record["applied_at"])
        return ids, keys, record.get("prune_due_at")


async def writes_of(harness: Harness) -> Writes:
    assert harness.service.mongo is not None
    return Writes(harness.service.mongo, await submit(harness, stage("lead")))


async def test_answers_and_applied_ids_are_forgotten_once_their_time_ran_out(
    harness: Harness,
) -> None:
    writes = await writes_of(harness)
    await writes.save(applied="e1", key="k1")
    writes.now = 1005.0
    await writes.save(applied="e2", key="k2")
    assert await writes.stored() == (["e1", "e2"], ["k1", "k2"], 1010.0)

    writes.now = 1012.0  # k1's 10 s ran out; k2's and the applied ids' did not
    await writes.save()
    assert await writes.stored() == (["e1", "e2"], ["k2"], 1015.0)
    async with writes.unit_of_work() as uow:
        assert await uow.answers.get("lead", "k1") is None
        assert await uow.answers.get("lead", "k2") is not None

    writes.now = 1101.0  # e1's 100 s ran out, and k2's 10 s
    await writes.save(applied="e3")
    assert await writes.stored() == (["e2", "e3"], [], 1105.0)
    async with writes.unit_of_work() as uow:
        assert await uow.processed_among(CONSUMER_GROUP, ["e1", "e2", "e3"]) == {"e2", "e3"}

    writes.now = 1300.0
    await writes.save()
    assert await writes.stored() == ([], [], None)
    await writes.save(applied="e4")  # after the field was taken away, it comes back
    assert await writes.stored() == (["e4"], [], 1400.0)


async def test_of_two_saves_forgetting_at_one_revision_one_is_stale_and_nothing_is_lost(
    harness: Harness,
) -> None:
    writes = await writes_of(harness)
    await writes.save(applied="old", key="k-old")
    writes.now = 1200.0  # both saves below forget "old" and "k-old"
    both_loaded = asyncio.Barrier(2)

    outcomes = await asyncio.gather(
        writes.save(applied="a", wait=both_loaded),
        writes.save(applied="b", wait=both_loaded),
        return_exceptions=True,
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["NoneType", "StaleDocument"]
    assert isinstance(outcomes[0] or outcomes[1], StaleDocument)
    winner = "a" if outcomes[0] is None else "b"
    assert await writes.stored() == ([winner], [], 1300.0)
    await writes.save(applied="after")
    assert (await writes.stored())[0] == [winner, "after"]
