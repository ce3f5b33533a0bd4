"""Reconciling, approval-request's part: open slots announced, stale pending tasks cancelled."""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

from dojang.approval.domain.line import Decision
from dojang.approval.service.commands import ContentChanges
from dojang.approval.service.decisions import DecisionRequest, DecisionUseCases
from dojang.approval.service.holders import SlotHolders
from dojang.approval.service.reconcile import SlotAnnouncements
from dojang.kernel.bus.envelope import Event
from dojang.kernel.clock import FixedClock

from .fakes import (
    STAFF,
    FakeOrg,
    Harness,
    MemoryStore,
    MemoryUnitOfWork,
    load,
    principal,
    stage,
    submit,
)


def _tasks_pending(harness: Harness, document_id: str, version: int) -> Event:
    return Event(
        type="approval.tasks_pending",
        aggregate_id=document_id,
        occurred_at=harness.clock.now(),
        data={"approval_id": document_id, "version": version},
    )


async def test_the_open_slots_of_documents_in_progress_are_announced(harness: Harness) -> None:
    first = await submit(harness, stage("lead", "peer", final_authority=["peer"]), stage("head"))
    await harness.service.decisions.decide(
        principal("lead"), first, DecisionRequest(Decision.APPROVED)
    )
    withdrawn = await submit(harness, stage("lead"))
    await harness.service.use_cases.withdraw(STAFF, withdrawn)
    revision = (await load(harness, first)).revision

    assert await harness.service.slot_announcements.announce_all() == 1
    outbox = await harness.outbox("approval.slots_announced")
    assert [(topic, event.aggregate_id) for topic, event in outbox] == [
        ("approval-requests", first)
    ]
    assert outbox[0][1].data == {
        "approval_id": first,
        "version": 1,
        "stage_index": 0,
        "kind": "approval",
        "title": "장비 구매",
        "form": "general",
        "requester": {"id": "staff", "name": "사원 김"},
        "approvers": ["peer"],
        "final_authority": ["peer"],
    }
    # saved with the document, compared and set on its revision like every change
    assert (await load(harness, first)).revision == revision + 1


async def test_pending_tasks_of_the_version_in_progress_are_left_alone(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead"))
    count = len(await harness.events())
    await harness.publish_result(_tasks_pending(harness, document_id, 1))
    assert len(await harness.events()) == count


async def test_pending_tasks_of_a_closed_or_earlier_version_are_cancelled(
    harness: Harness,
) -> None:
    document_id = await submit(harness, stage("lead"))
    await harness.service.use_cases.withdraw(STAFF, document_id)
    await harness.publish_result(_tasks_pending(harness, document_id, 1))
    await harness.service.use_cases.resubmit(STAFF, document_id, ContentChanges())
    await harness.publish_result(_tasks_pending(harness, document_id, 1))
    cancellations = await harness.events("approval.tasks_cancelled")
    assert [e.data["reason"] for e in cancellations] == ["withdrawn", "reconciled", "reconciled"]
    assert cancellations[-1].data == {
        "approval_id": document_id,
        "version": 1,
        "stage_index": None,
        "approvers": None,
        "reason": "reconciled",
    }


async def test_pending_tasks_of_an_unknown_document_are_logged_not_dead_lettered(
    harness: Harness,
) -> None:
    await harness.publish_result(_tasks_pending(harness, "no-such-document", 1))
    subscription = await harness.bus.subscribe("inspector", ["approval-results.dlq"])
    assert await subscription.fetch(10, timeout=0) == []
    await subscription.close()


async def test_a_new_task_of_a_slot_is_recorded_whatever_its_revision(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead"))
    await harness.assign(document_id, 1, 0, [("lead", "peer")], revision=3)
    replacement = Event(
        type="approval.tasks_assigned",
        aggregate_id=document_id,
        occurred_at=harness.clock.now(),
        data={
            "approval_id": document_id,
            "version": 1,
            "stage_index": 0,
            "tasks": [
                {
                    "task_id": "task-opened-by-reconciling",
                    "approver_id": "lead",
                    "assignee_id": "junior",
                    "on_behalf_of": "lead",
                    "revision": 1,
                }
            ],
        },
    )
    await harness.publish_result(replacement)
    document = await load(harness, document_id)
    assert document.task_holders() == ["junior"]
    assert document.holders["lead"].task_id == "task-opened-by-reconciling"


class _Turns:
    """Makes one unit of work commit only after another has."""

    def __init__(self) -> None:
        self.first_committed = asyncio.Event()

    def first(self, store: MemoryStore) -> MemoryUnitOfWork:
        turns = self

        class CommitsFirst(MemoryUnitOfWork):
            async def commit(self) -> None:
                try:
                    await super().commit()
                finally:
                    turns.first_committed.set()

        return CommitsFirst(store)

    def second(self, store: MemoryStore) -> MemoryUnitOfWork:
        turns = self

        class CommitsSecond(MemoryUnitOfWork):
            async def commit(self) -> None:
                await turns.first_committed.wait()
                await super().commit()

        return CommitsSecond(store)


async def test_an_announcement_racing_a_decision_describes_the_line_after_it(
    org: FakeOrg, clock: FixedClock
) -> None:
    # Both load the document at the same revision; the decision commits first. The
    # announcement's save is then stale: it is read again and announces the next stage,
    # after the decision's events, as processing will apply them.
    store, _ = MemoryUnitOfWork.factory_with_document(clock, stage("lead"), stage("head"))
    store.barrier = asyncio.Barrier(2)
    turns = _Turns()
    decisions = DecisionUseCases(
        lambda: turns.first(store),  # type: ignore[arg-type, return-value]
        holders=SlotHolders(org),
        clock=clock,
        zone=ZoneInfo("Asia/Seoul"),
    )
    announcements = SlotAnnouncements(
        lambda: turns.second(store),  # type: ignore[arg-type, return-value]
        clock=clock,
    )
    await asyncio.gather(
        decisions.decide(principal("lead"), "doc-1", DecisionRequest(Decision.APPROVED)),
        announcements.announce_all(),
    )
    sent = [e for _, e in store.emitted if e.type.startswith("approval.")]
    types = [e.type for e in sent]
    assert types.index("approval.tasks_opened") < types.index("approval.slots_announced")
    [announced] = [e for e in sent if e.type == "approval.slots_announced"]
    assert (announced.data["stage_index"], announced.data["approvers"]) == (1, ["head"])
    assert store.stored("doc-1").revision == 3  # the decision's save, then the announcement's
