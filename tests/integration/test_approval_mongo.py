"""Approval documents on the MongoDB-wire server, under real concurrency: compare-and-set
saves, gapless numbers, and relays on several replicas (docs/approval-mongo.md)."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import pytest

from dojang.approval.adapters.mongo.guard import WriteGuard
from dojang.approval.adapters.mongo.holders import this_run
from dojang.approval.adapters.mongo.numbers import MongoNumberSequence
from dojang.approval.adapters.mongo.relay import MongoOutboxRelay
from dojang.approval.adapters.mongo.store import MongoStore
from dojang.approval.adapters.mongo.unit_of_work import MongoApprovalUnitOfWork
from dojang.approval.domain.document import DocumentStatus
from dojang.approval.domain.forms import FormCode
from dojang.approval.domain.line import Decision
from dojang.approval.service.decisions import DecisionRequest, DecisionUseCases
from dojang.approval.service.holders import SlotHolders
from dojang.approval.service.results import CONSUMER_GROUP, ApprovalResultsHandler
from dojang.approval.service.unit_of_work import StaleDocument
from dojang.kernel.bus.consumer import ConsumerRunner
from dojang.kernel.bus.dead_letters import BusDeadLetters
from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.bus.port import Message
from dojang.kernel.bus.unit_of_work import OutboxSignal
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database
from dojang.kernel.errors import Conflict
from tests.approval_stores import fresh_mongo_database
from tests.unit.approval.fakes import (
    NOW,
    STAFF,
    Harness,
    load,
    principal,
    stage,
    standard_org,
    started_approval,
    submit,
)

pytestmark = pytest.mark.integration

SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture
async def bus(tmp_path: Path) -> AsyncIterator[LocalBus]:
    database = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    local_bus = LocalBus(database)
    await local_bus.start()
    yield local_bus
    await local_bus.stop()
    await database.dispose()


@pytest.fixture
async def harness(tmp_path: Path, bus: LocalBus, mongodb_server: str) -> AsyncIterator[Harness]:
    async with fresh_mongo_database(mongodb_server) as url:
        org, clock = standard_org(), FixedClock(NOW)
        service = await started_approval(tmp_path, bus, org, clock, approval_mongodb_url=url)
        running = Harness(service=service, bus=bus, org=org, clock=clock)
        yield running
        await running.close()


def store_of(harness: Harness) -> MongoStore:
    assert harness.service.mongo is not None
    return harness.service.mongo


def marker(document_id: str, writer: str) -> tuple[str, Event]:
    event = Event(
        type="test.written", aggregate_id=document_id, occurred_at=NOW, data={"writer": writer}
    )
    return ("approval-events", event)


async def test_of_two_writers_saving_one_revision_one_wins_and_one_is_stale(
    harness: Harness,
) -> None:
    document_id = await submit(harness, stage("lead"))
    both_loaded = asyncio.Barrier(2)

    async def write(writer: str) -> None:
        async with harness.service.unit_of_work() as uow:
            document = await uow.documents.get(document_id)
            assert document is not None
            await both_loaded.wait()  # both hold the same revision before either writes
            await uow.documents.save(document, [marker(document_id, writer)])
            await uow.commit()

    outcomes = await asyncio.gather(write("a"), write("b"), return_exceptions=True)

    assert sorted(type(o).__name__ for o in outcomes) == ["NoneType", "StaleDocument"]
    winner = "a" if outcomes[0] is None else "b"
    stored = await store_of(harness).documents.find_one({"_id": document_id})
    assert stored is not None
    assert stored["revision"] == 2
    written = await harness.events("test.written")
    assert [e.data["writer"] for e in written] == [winner]


async def test_concurrent_final_approvals_number_one_to_n_without_gap_or_duplicate(
    harness: Harness,
) -> None:
    count = 12
    documents = [await submit(harness, stage("lead")) for _ in range(count)]

    approved = await asyncio.gather(*(harness.decide(d, "lead") for d in documents))

    numbers = sorted(d.number or "" for d in approved)
    assert numbers == [f"GENERAL-2026-{n:06d}" for n in range(1, count + 1)]
    stored = [(await load(harness, d)).number for d in documents]
    assert sorted(n or "" for n in stored) == numbers
    counter = await store_of(harness).numbers.find_one({"_id": "general:2026"})
    assert counter is not None
    assert counter["last"] == count


class InterruptedCommits(MongoApprovalUnitOfWork):
    """A unit of work whose first commit is preceded by `meanwhile`, run by someone else
    (who saves the same document, so that commit is stale)."""

    meanwhile: ClassVar[list[Any]] = []

    async def commit(self) -> None:
        if self.meanwhile:
            await self.meanwhile.pop()()
        await super().commit()


def deciding(harness: Harness, interruption: Any) -> DecisionUseCases:
    store = store_of(harness)
    InterruptedCommits.meanwhile = [interruption]

    def unit_of_work() -> InterruptedCommits:
        return InterruptedCommits(store, OutboxSignal())

    return DecisionUseCases(
        unit_of_work, holders=SlotHolders(harness.org), clock=harness.clock, zone=SEOUL
    )


async def test_a_final_approval_whose_save_is_stale_keeps_its_number_on_the_retry(
    harness: Harness,
) -> None:
    first = await submit(harness, stage("lead"))
    second = await submit(harness, stage("lead"))

    async def someone_comments() -> None:
        await harness.service.use_cases.comment(principal("lead"), first, "확인 중")

    decisions = deciding(harness, someone_comments)
    approved = await decisions.decide(principal("lead"), first, DecisionRequest(Decision.APPROVED))
    assert approved.number == "GENERAL-2026-000001"
    assert [c.body for c in approved.comments] == ["확인 중"]  # the retry saw the comment
    after = await harness.decide(second, "lead")
    assert after.number == "GENERAL-2026-000002"


async def test_the_number_of_an_approval_that_came_to_nothing_goes_to_the_next_one(
    harness: Harness,
) -> None:
    withdrawn = await submit(harness, stage("lead"))
    later = await submit(harness, stage("lead"))

    async def requester_withdraws() -> None:
        await harness.service.use_cases.withdraw(STAFF, withdrawn)

    decisions = deciding(harness, requester_withdraws)
    with pytest.raises(Conflict):
        await decisions.decide(principal("lead"), withdrawn, DecisionRequest(Decision.APPROVED))
    assert (await load(harness, withdrawn)).status is DocumentStatus.WITHDRAWN

    # the claim on 1 was given back, so the next approval takes it: no gap
    assert (await harness.decide(later, "lead")).number == "GENERAL-2026-000001"
    assert (await harness.decide(await submit(harness, stage("lead")), "lead")).number == (
        "GENERAL-2026-000002"
    )


async def test_a_claim_whose_holder_vanished_is_taken_over_after_its_grace(
    harness: Harness,
) -> None:
    now = [1000.0]
    store = store_of(harness)
    numbers = MongoNumberSequence(
        store, WriteGuard(store), grace_seconds=30, wall_clock=lambda: now[0]
    )
    assert await numbers.next(FormCode.LEAVE, 2026, document_id="vanished") == 1
    assert await numbers.next(FormCode.LEAVE, 2026, document_id="vanished") == 1  # its retry
    assert await numbers.next(FormCode.LEAVE, 2026, document_id="early") == 2  # within grace
    now[0] += 31
    assert await numbers.next(FormCode.LEAVE, 2026, document_id="late") == 1
    # the early claim has run out too: the vanished holder's retry finds its own taken over
    assert await numbers.next(FormCode.LEAVE, 2026, document_id="vanished") == 2


async def test_a_number_on_a_document_is_never_claimed_again(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead"))
    assert (await harness.decide(document_id, "lead")).number == "GENERAL-2026-000001"
    now = [1e12]  # every claim long past its grace
    store = store_of(harness)
    numbers = MongoNumberSequence(
        store, WriteGuard(store), grace_seconds=1, wall_clock=lambda: now[0]
    )
    assert await numbers.next(FormCode.GENERAL, 2026, document_id="other") == 2


async def test_two_documents_cannot_carry_one_number(harness: Harness) -> None:
    first = await submit(harness, stage("lead"))
    second = await submit(harness, stage("lead"))
    assert (await harness.decide(first, "lead")).number == "GENERAL-2026-000001"
    async with harness.service.unit_of_work() as uow:
        document = await uow.documents.get(second)
        assert document is not None
        document.number = "GENERAL-2026-000001"
        await uow.documents.save(document, [])
        with pytest.raises(StaleDocument, match="is taken"):
            await uow.commit()


async def save_marker(harness: Harness, document_id: str, writer: str) -> None:
    """Save the document with a marker event, retried as use cases retry a stale save (a
    relay taking published events out is a save of the document too)."""
    for _ in range(10):
        try:
            async with harness.service.unit_of_work() as uow:
                document = await uow.documents.get(document_id)
                assert document is not None
                await uow.documents.save(document, [marker(document_id, writer)])
                await uow.commit()
                return
        except StaleDocument:
            await asyncio.sleep(0.01)
    raise AssertionError(f"{document_id} stayed stale")


async def pending_documents(harness: Harness, documents: int, events: int) -> list[str]:
    """`documents` documents with `events` marker events each, pending in their outbox."""
    ids = [await submit(harness, stage("lead")) for _ in range(documents)]
    await drain(MongoOutboxRelay(store_of(harness), harness.bus, OutboxSignal(), holder="x"))
    for n in range(events):
        for document_id in ids:
            async with harness.service.unit_of_work() as uow:
                document = await uow.documents.get(document_id)
                assert document is not None
                await uow.documents.save(document, [marker(document_id, str(n))])
                await uow.commit()
    return ids


async def drain(relay: MongoOutboxRelay) -> None:
    while await relay.relay_once():
        pass
    await relay.release_lease()


async def published_markers(bus: LocalBus) -> list[Event]:
    records = await bus.read(["approval-events"], after=0, limit=10_000)
    found = [Event.from_json(r.value) for r in records]
    return [e for e in found if e.type == "test.written"]


async def test_two_relay_replicas_publish_each_event_once_in_document_order(
    harness: Harness,
) -> None:
    ids = await pending_documents(harness, documents=6, events=5)
    store = store_of(harness)
    replicas = [
        MongoOutboxRelay(store, harness.bus, OutboxSignal(), holder=name, batch_size=2)
        for name in ("replica-a", "replica-b")
    ]

    async def writer() -> None:
        # more events arrive while the relays run: none may be lost between publish and pull
        for document_id in ids:
            await save_marker(harness, document_id, "late")
            await asyncio.sleep(0)

    async def run(relay: MongoOutboxRelay) -> int:
        published = 0
        for _ in range(60):
            published += await relay.relay_once()
            await asyncio.sleep(0)
        return published

    counts = await asyncio.gather(run(replicas[0]), run(replicas[1]), writer())
    for relay in replicas:
        await drain(relay)

    markers = await published_markers(harness.bus)
    assert len({e.id for e in markers}) == len(markers), "an event was published twice"
    assert len(markers) == 36
    for document_id in ids:
        writers = [e.data["writer"] for e in markers if e.aggregate_id == document_id]
        assert writers == ["0", "1", "2", "3", "4", "late"]
    assert await store.documents.count_documents({"relay_due": True}) == 0
    assert 0 in counts[:2], "both replicas published while one held the lease"


async def test_a_replica_takes_over_when_the_lease_holder_stops_renewing(
    harness: Harness,
) -> None:
    ids = await pending_documents(harness, documents=2, events=2)
    store = store_of(harness)
    clock = FixedClock(NOW)
    first = MongoOutboxRelay(store, harness.bus, OutboxSignal(), holder="a", clock=clock)
    second = MongoOutboxRelay(store, harness.bus, OutboxSignal(), holder="b", clock=clock)
    assert await first.relay_once() == 4
    document_id = ids[0]
    async with harness.service.unit_of_work() as uow:
        document = await uow.documents.get(document_id)
        assert document is not None
        await uow.documents.save(document, [marker(document_id, "after")])
        await uow.commit()

    assert await second.relay_once() == 0  # the first one holds the lease
    clock.advance(seconds=31)  # and it stopped renewing it
    assert await second.relay_once() == 1
    assert await first.relay_once() == 0

    writers = [e.data["writer"] for e in await published_markers(harness.bus)]
    assert sorted(writers) == ["0", "0", "1", "1", "after"]


async def test_a_write_token_left_by_a_dead_writer_is_taken_over_after_a_while(
    harness: Harness,
) -> None:
    store = store_of(harness)
    document_id = await submit(harness, stage("lead"))
    now = [5000.0]
    guard = WriteGuard(store, stale_after_seconds=30, wall_clock=lambda: now[0])
    token = f"documents/{document_id}/2"
    await store.write_tokens.insert_one({"_id": token, "at": now[0]})  # its writer died
    bump = {"$set": {"title_seen": True, "revision": 2}}

    assert not await guard.update(store.documents, document_id, "revision", 1, bump)
    now[0] += 31
    assert await guard.update(store.documents, document_id, "revision", 1, bump)
    assert not await guard.update(store.documents, document_id, "revision", 1, bump)


def reassigned(harness: Harness, document_id: str, assignee: str) -> Event:
    """approval-processing's report that `assignee` now holds lead's task."""
    return Event(
        type="approval.tasks_assigned",
        aggregate_id=document_id,
        occurred_at=harness.clock.now(),
        data={
            "approval_id": document_id,
            "version": 1,
            "stage_index": 0,
            "tasks": [
                {
                    "task_id": f"task-{document_id}",
                    "approver_id": "lead",
                    "assignee_id": assignee,
                    "on_behalf_of": "lead",
                    "revision": 2,
                }
            ],
        },
    )


async def test_a_batch_whose_second_document_is_stale_is_replayed_without_doubling_the_first(
    harness: Harness,
) -> None:
    first = await submit(harness, stage("lead"))
    second = await submit(harness, stage("lead"))

    async def someone_saves_the_second() -> None:
        await harness.service.use_cases.comment(principal("lead"), second, "잠시만요")

    store = store_of(harness)
    InterruptedCommits.meanwhile = [someone_saves_the_second]
    runner = ConsumerRunner[InterruptedCommits](
        bus=harness.bus,
        group=CONSUMER_GROUP,
        topics=["approval-results"],
        handler=ApprovalResultsHandler(clock=harness.clock),
        unit_of_work=lambda: InterruptedCommits(store, OutboxSignal()),
        dead_letters=BusDeadLetters(harness.bus),
    )
    results = [reassigned(harness, first, "peer"), reassigned(harness, second, "junior")]
    await harness.bus.publish(
        "approval-results", [Message(key=e.aggregate_id, value=e.to_json()) for e in results]
    )
    await runner.drain()

    # the batch wrote the first document, then met the stale second and was replayed one by
    # one: the first's result was found applied inside it, the second's was applied afresh
    turns = await harness.events("approval.your_turn")
    told = [
        (e.aggregate_id, e.data["recipients"]) for e in turns if e.data["recipients"] != ["lead"]
    ]
    assert sorted(told) == sorted([(first, ["peer"]), (second, ["junior"])])
    for document_id, holder in ((first, "peer"), (second, "junior")):
        document = await load(harness, document_id)
        assert [h.assignee_id for h in document.holders.values()] == [holder]
    stored = await store.documents.find_one({"_id": first}, {"applied": 1})
    assert stored is not None
    assert stored["applied"] == [f"{CONSUMER_GROUP}|{results[0].id}"]


async def test_a_write_token_of_a_process_that_exited_waits_for_its_staleness(
    harness: Harness,
) -> None:
    store = store_of(harness)
    document_id = await submit(harness, stage("lead"))
    guard = WriteGuard(store, stale_after_seconds=3600)
    finished = await asyncio.create_subprocess_exec("true")  # gone once reaped
    await finished.wait()
    here = this_run()
    bump = {"$set": {"title_seen": True, "revision": 2}}
    token = f"documents/{document_id}/2"

    # held by a process of this host that still runs (our parent): it may be writing
    alive = {"host": here.host, "pid": os.getppid(), "run": "another"}
    await store.write_tokens.insert_one({"_id": token, "at": time.time(), **alive})
    assert not await guard.update(store.documents, document_id, "revision", 1, bump)

    # held by a process of this host that exited: a command it sent may still be running
    # on the server, so the token waits for its staleness all the same
    await store.write_tokens.delete_one({"_id": token})
    gone = {"host": here.host, "pid": finished.pid, "run": "another"}
    await store.write_tokens.insert_one({"_id": token, "at": time.time(), **gone})
    assert not await guard.update(store.documents, document_id, "revision", 1, bump)


async def test_a_write_token_of_another_host_waits_for_its_staleness(harness: Harness) -> None:
    store = store_of(harness)
    document_id = await submit(harness, stage("lead"))
    guard = WriteGuard(store, stale_after_seconds=3600)
    token = f"documents/{document_id}/2"
    elsewhere = {"host": "another-boot/pid:[1]", "pid": 1, "run": "another"}
    await store.write_tokens.insert_one({"_id": token, "at": time.time(), **elsewhere})
    bump = {"$set": {"revision": 2}}

    assert not await guard.update(store.documents, document_id, "revision", 1, bump)


async def test_the_relay_tells_how_many_events_wait_and_since_when(harness: Harness) -> None:
    before = datetime.now(UTC).replace(microsecond=0)  # a queued id keeps whole seconds
    await pending_documents(harness, documents=2, events=1)
    relay = MongoOutboxRelay(store_of(harness), harness.bus, OutboxSignal(), holder="x")
    assert await relay.pending() == 2
    oldest = await relay.oldest_pending()
    assert oldest is not None
    assert before <= oldest <= datetime.now(UTC)
    await drain(relay)
    assert await relay.pending() == 0
    assert await relay.oldest_pending() is None


async def test_a_token_held_by_another_writer_of_this_process_is_not_taken_over(
    harness: Harness,
) -> None:
    """Two requests of one replica write one document at once: the second must not take
    the token that the first holds and write beside it (FerretDB's update is no atomic
    compare-and-set, so two writers past the token could both apply)."""
    store = store_of(harness)
    document_id = await submit(harness, stage("lead"))
    guard = WriteGuard(store, stale_after_seconds=3600)
    record = await store.documents.find_one({"_id": document_id})
    assert record is not None
    revision = record["revision"]
    holding, release = asyncio.Event(), asyncio.Event()

    class Paused:
        """The documents collection, whose update waits until it is released."""

        name = store.documents.name

        async def update_one(self, *args: Any, **kwargs: Any) -> Any:
            holding.set()
            await release.wait()
            return await store.documents.update_one(*args, **kwargs)

    def bump(by: str) -> dict[str, Any]:
        return {"$set": {"title_seen": by, "revision": revision + 1}}

    first = asyncio.create_task(
        guard.update(Paused(), document_id, "revision", revision, bump("first"))  # type: ignore[arg-type]
    )
    await asyncio.wait_for(holding.wait(), 10)
    second = await guard.update(store.documents, document_id, "revision", revision, bump("second"))
    release.set()
    assert (await first, second) == (True, False)
    stored = await store.documents.find_one({"_id": document_id})
    assert stored is not None
    assert stored["title_seen"] == "first"
