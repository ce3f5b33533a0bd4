"""Deciding on the document's own line: approve, reject, 전결, 대결, and what is refused."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from dojang.approval.domain.document import ApprovalDocument, DocumentStatus
from dojang.approval.domain.errors import (
    FinalAuthorityDenied,
    NoOpenSlot,
    SlotClosed,
    SlotNotNamed,
)
from dojang.approval.domain.forms import FormCode
from dojang.approval.domain.line import Decision, StageStatus
from dojang.approval.service.commands import NewDocument
from dojang.approval.service.decisions import DecisionRequest, DecisionUseCases
from dojang.approval.service.holders import SlotHolders
from dojang.kernel.clock import FixedClock
from dojang.kernel.errors import InvalidInput
from tests.approval_stores import approval_store_on_servers_only

from .fakes import (
    STAFF,
    FakeOrg,
    Harness,
    MemoryUnitOfWork,
    load,
    principal,
    stage,
    submit,
    types_after,
)


async def test_approvals_across_two_stages_approve_and_number_the_document(
    harness: Harness,
) -> None:
    document_id = await submit(harness, stage("lead"), stage("head"), cc=("junior",))
    await harness.decide(document_id, "lead", comment="좋습니다")

    document = await load(harness, document_id)
    assert document.current_stage == 1
    opened = (await harness.events("approval.tasks_opened"))[-1]
    assert (opened.data["stage_index"], opened.data["approvers"]) == (1, ["head"])

    harness.clock.advance(hours=1)
    before = len(await harness.events())
    await harness.decide(document_id, "head")
    assert await types_after(harness, before) == ["approval.decided", "approval.approved"]

    document = await load(harness, document_id)
    assert document.status is DocumentStatus.APPROVED
    assert document.number == "GENERAL-2026-000001"
    assert document.completed_at == harness.clock.now()
    (approved,) = await harness.events("approval.approved")
    assert approved.data["number"] == "GENERAL-2026-000001"
    assert approved.data["cc"] == ["junior"]
    assert approved.data["completed_at"] == harness.clock.now().isoformat()
    assert [entry.action.value for entry in document.timeline] == [
        "created",
        "submitted",
        "approved",
        "stage_approved",
        "approved",
        "stage_approved",
        "completed",
    ]
    assert document.line is not None
    assert document.line.stages[0].approvers[0].comment == "좋습니다"


async def test_a_rejection_skips_the_later_stages_and_cancels_open_tasks(
    harness: Harness,
) -> None:
    document_id = await submit(harness, stage("lead", "peer"), stage("head"))
    await harness.assign(document_id, 1, 0, [("lead", "lead"), ("peer", "peer")])
    before = len(await harness.events())
    await harness.decide(document_id, "peer", "rejected", comment="예산 초과")

    assert await types_after(harness, before) == [
        "approval.decided",
        "approval.tasks_cancelled",
        "approval.rejected",
    ]
    decided, cancelled, rejected = (await harness.events())[before:]
    assert decided.data == {
        "approval_id": document_id,
        "version": 1,
        "stage_index": 0,
        "approver_id": "peer",
        "decided_by": "peer",
        "on_behalf_of": None,
        "decision": "rejected",
        "comment": "예산 초과",
        "decided_at": harness.clock.now().isoformat(),
    }
    assert cancelled.data == {
        "approval_id": document_id,
        "version": 1,
        "stage_index": 0,
        "approvers": ["lead"],
        "reason": "rejected",
    }
    assert rejected.data["decided_by"] == "peer"
    assert rejected.data["on_behalf_of"] is None
    assert rejected.data["reason"] == "예산 초과"
    document = await load(harness, document_id)
    assert document.status is DocumentStatus.REJECTED
    assert document.line is not None
    assert [s.status for s in document.line.stages] == [StageStatus.REJECTED, StageStatus.SKIPPED]
    assert document.number is None
    assert document.holders == {}


async def test_a_delegate_decision_records_both_people(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead"))
    await harness.assign(document_id, 1, 0, [("lead", "peer")])
    await harness.decide(document_id, "lead", "rejected", decided_by="peer", comment="대결 반려")

    (rejected,) = await harness.events("approval.rejected")
    assert (rejected.data["decided_by"], rejected.data["on_behalf_of"]) == ("peer", "lead")
    document = await load(harness, document_id)
    assert document.line is not None
    slot = document.line.stages[0].approvers[0]
    assert (slot.decided_by, slot.on_behalf_of) == ("peer", "lead")
    decision = document.timeline[-2]
    assert (decision.actor_id, decision.on_behalf_of) == ("peer", "lead")
    assert document.visible_to("peer")
    (told,) = await harness.events("approval.decided_for_you")
    assert {k: told.data[k] for k in ("approver_id", "decision", "stage_index")} == {
        "approver_id": "lead",
        "decision": "rejected",
        "stage_index": 0,
    }
    assert told.data["decided_by"]["id"] == "peer"
    assert told.data["decided_by"]["name"]


async def test_an_approvers_own_decision_tells_nobody_in_their_name(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead"), stage("head"))
    await harness.assign(document_id, 1, 0, [("lead", "lead")])
    await harness.decide(document_id, "lead", "approved")
    assert await harness.events("approval.decided_for_you") == []


async def test_final_approval_completes_the_document_at_once(harness: Harness) -> None:
    document_id = await submit(
        harness, stage("lead", "peer", final_authority=["lead"]), stage("head")
    )
    before = len(await harness.events())
    await harness.decide(document_id, "lead", final=True)

    assert await types_after(harness, before) == [
        "approval.decided",
        "approval.tasks_cancelled",
        "approval.approved",
    ]
    cancelled = (await harness.events())[before + 1]
    assert cancelled.data["reason"] == "final_approval"
    assert cancelled.data["approvers"] == ["peer"]
    document = await load(harness, document_id)
    assert document.status is DocumentStatus.APPROVED
    assert "final_approved" in [entry.action.value for entry in document.timeline]


async def test_numbers_are_gapless_per_form_and_year(harness: Harness) -> None:
    numbers = []
    for _ in range(3):
        document_id = await submit(harness, stage("lead"))
        await harness.decide(document_id, "lead")
        numbers.append((await load(harness, document_id)).number)
    # a rejected document takes no number
    rejected_id = await submit(harness, stage("lead"))
    await harness.decide(rejected_id, "lead", "rejected")
    expense = await harness.service.use_cases.create(
        STAFF,
        NewDocument(
            form=FormCode.EXPENSE,
            title="교육비",
            fields={"amount": 50_000, "category": "training"},
            line=[stage("lead")],
        ),
    )
    await harness.decide(expense.id, "lead")
    document_id = await submit(harness, stage("lead"))
    # 2026-12-31 15:30 UTC is already 2027 in Seoul
    harness.clock.at = harness.clock.at.replace(month=12, day=31, hour=15)
    await harness.decide(document_id, "lead")

    assert numbers == ["GENERAL-2026-000001", "GENERAL-2026-000002", "GENERAL-2026-000003"]
    assert (await load(harness, expense.id)).number == "EXPENSE-2026-000001"
    assert (await load(harness, document_id)).number == "GENERAL-2027-000001"


async def test_a_decision_sent_at_once_after_the_submission_is_taken(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead"), stage("head"))
    # nothing came back from approval-processing yet: the holder is known all the same
    document = await harness.decide(document_id, "lead")
    assert document.current_stage == 1
    assert document.task_holders() == ["head"]
    turns = await harness.events("approval.your_turn")
    assert [t.data["recipients"] for t in turns] == [["lead"], ["head"]]


async def test_a_stage_opens_in_the_hands_of_an_active_delegate(harness: Harness) -> None:
    await harness.delegate("lead", "peer")
    document_id = await submit(harness, stage("lead"))
    (turn,) = await harness.events("approval.your_turn")
    assert turn.data["recipients"] == ["peer"]
    with pytest.raises(NoOpenSlot):
        await harness.decide(document_id, "lead")
    document = await harness.decide(document_id, "lead", decided_by="peer")
    assert document.status is DocumentStatus.APPROVED
    assert document.line is not None
    slot = document.line.stages[0].approvers[0]
    assert (slot.decided_by, slot.on_behalf_of) == ("peer", "lead")


async def test_a_revoked_or_future_delegation_leaves_the_slot_with_the_approver(
    harness: Harness,
) -> None:
    await harness.delegate("lead", "peer")
    await harness.delegate("lead", "peer", revoked=True)
    await harness.delegate(
        "head",
        "junior",
        starts_at=harness.clock.now() + timedelta(days=1),
        ends_at=harness.clock.now() + timedelta(days=2),
    )
    document_id = await submit(harness, stage("lead", "head"))
    document = await load(harness, document_id)
    assert document.task_holders() == ["lead", "head"]


async def test_a_delegation_to_the_requester_is_not_followed(harness: Harness) -> None:
    await harness.delegate("lead", "staff")
    document_id = await submit(harness, stage("lead"))
    assert (await load(harness, document_id)).task_holders() == ["lead"]


async def test_a_departed_approvers_slot_opens_with_their_manager(harness: Harness) -> None:
    document_id = await submit(harness, stage("peer"), stage("lead"))
    harness.org.deactivate("lead")  # left before their stage opened
    document = await harness.decide(document_id, "peer")
    assert document.task_holders() == ["head"]  # lead's manager
    assert document.holders["lead"].on_behalf_of == "lead"


async def test_who_may_not_decide_hears_403(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead"), stage("head"))
    for caller in ("outsider", "staff", "head"):  # an outsider, the requester, a later stage
        with pytest.raises(NoOpenSlot):
            await harness.decide(document_id, "lead", decided_by=caller)
        with pytest.raises(NoOpenSlot):
            await harness.service.decisions.decide(
                principal(caller), document_id, DecisionRequest(Decision.APPROVED)
            )
    with pytest.raises(NoOpenSlot):
        await harness.service.decisions.decide(
            principal("lead"), "no-such-document", DecisionRequest(Decision.APPROVED)
        )
    assert await harness.events("approval.decided") == []


async def test_deciding_again_or_after_the_end_hears_409(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead", "peer"), stage("head"))
    await harness.decide(document_id, "lead")
    with pytest.raises(SlotClosed):
        await harness.decide(document_id, "lead")
    withdrawn_id = await submit(harness, stage("lead"))
    await harness.service.use_cases.withdraw(STAFF, withdrawn_id)
    with pytest.raises(SlotClosed):
        await harness.decide(withdrawn_id, "lead")
    count = len(await harness.events())
    any_id = await submit(harness, stage("lead", "peer", rule="any"), stage("head"))
    await harness.decide(any_id, "peer")
    with pytest.raises(SlotClosed):  # the stage completed without lead
        await harness.decide(any_id, "lead", "rejected", comment="늦은 반려")
    document = await load(harness, any_id)
    assert document.current_stage == 1
    assert len(await harness.events("approval.rejected")) == 0
    assert len(await harness.events()) > count


async def test_final_approval_needs_final_authority(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead", "peer", final_authority=["lead"]))
    revision = (await load(harness, document_id)).revision
    with pytest.raises(FinalAuthorityDenied):
        await harness.decide(document_id, "peer", final=True)
    assert (await load(harness, document_id)).revision == revision


async def test_a_caller_holding_two_slots_names_the_one_they_decide(harness: Harness) -> None:
    await harness.delegate("peer", "lead")
    document_id = await submit(harness, stage("lead", "peer"))
    with pytest.raises(SlotNotNamed) as refused:
        await harness.service.decisions.decide(
            principal("lead"), document_id, DecisionRequest(Decision.APPROVED)
        )
    assert [e.field for e in refused.value.errors] == ["on_behalf_of"]
    own = DecisionRequest(Decision.APPROVED, on_behalf_of="lead")
    document = await harness.service.decisions.decide(principal("lead"), document_id, own)
    assert document.status is DocumentStatus.IN_PROGRESS
    with pytest.raises(SlotClosed):  # the same click again decides nothing more
        await harness.service.decisions.decide(principal("lead"), document_id, own)
    # the one slot left needs no name
    document = await harness.service.decisions.decide(
        principal("lead"), document_id, DecisionRequest(Decision.APPROVED)
    )
    assert document.status is DocumentStatus.APPROVED
    assert document.line is not None
    assert [(s.decided_by, s.on_behalf_of) for s in document.line.stages[0].approvers] == [
        ("lead", None),
        ("lead", "peer"),
    ]


async def test_an_idempotency_key_makes_a_retry_answer_the_first_answer(
    harness: Harness,
) -> None:
    document_id = await submit(harness, stage("lead", "peer"))
    first = await harness.decide(document_id, "lead", comment="확인", key="click-1")
    again = await harness.decide(document_id, "lead", comment="확인", key="click-1")
    assert again.to_dict() == first.to_dict()
    assert again.revision == first.revision
    assert len(await harness.events("approval.decided")) == 1
    with pytest.raises(InvalidInput):  # the key was used for an approval, not a rejection
        await harness.decide(document_id, "lead", "rejected", comment="x", key="click-1")


async def test_two_approvers_of_an_any_stage_at_once_get_one_decision(
    org: FakeOrg, clock: FixedClock
) -> None:
    # Both load the document before either saves: the revision check makes the second
    # save stale, and its retry on the fresh document finds the stage closed.
    store, unit_of_work = MemoryUnitOfWork.factory_with_document(
        clock, stage("lead", "peer", rule="any")
    )
    store.barrier = asyncio.Barrier(2)
    decisions = DecisionUseCases(
        unit_of_work, holders=SlotHolders(org), clock=clock, zone=ZoneInfo("Asia/Seoul")
    )
    outcomes = await asyncio.gather(
        decisions.decide(principal("lead"), "doc-1", DecisionRequest(Decision.APPROVED)),
        decisions.decide(
            principal("peer"), "doc-1", DecisionRequest(Decision.REJECTED, comment="반대")
        ),
        return_exceptions=True,
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["ApprovalDocument", "SlotClosed"]
    [accepted] = [o for o in outcomes if isinstance(o, ApprovalDocument)]
    stored = store.stored("doc-1")
    assert stored.status is accepted.status
    assert stored.line is not None
    assert [s.decision for s in stored.line.stages[0].approvers].count(None) == 1
    assert len([e for _, e in store.emitted if e.type == "approval.decided"]) == 1


class _FirstReadThen:
    """A unit of work whose first read of an answer or a document is followed, before it
    returns, by `then()`: another request committing between two reads of this one."""

    def __init__(self, inner: object, then: Callable[[], Awaitable[object]]) -> None:
        self._inner = inner
        self._then: Callable[[], Awaitable[object]] | None = then

    async def __aenter__(self) -> _FirstReadThen:
        await self._inner.__aenter__()  # type: ignore[attr-defined]
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._inner.__aexit__(*exc)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._inner, name)
        if name not in ("answers", "documents"):
            return found
        return _Reads(found, self)

    async def after_read(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            await then()


class _Reads:
    def __init__(self, inner: Any, owner: _FirstReadThen) -> None:
        self._inner = inner
        self._owner = owner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def get(self, *args: Any) -> Any:
        found = await self._inner.get(*args)
        await self._owner.after_read()
        return found


@approval_store_on_servers_only
async def test_a_retry_that_reads_while_the_first_attempt_commits_answers_the_first_answer(
    harness: Harness,
) -> None:
    """A client's first attempt is slow (its replica was killed while the store was still
    applying it): the retry with the same key reads just as that attempt lands, and hears
    the first answer, not "already decided". (On SQLite the retry's transaction holds the
    write lock from its start, so the first attempt cannot land in between.)"""
    document_id = await submit(harness, stage("lead"), stage("head"))
    decisions = harness.service.decisions
    plain = decisions._unit_of_work
    request = DecisionRequest(Decision.REJECTED, comment="반려", idempotency_key="click-1")
    first: list[ApprovalDocument] = []

    async def first_attempt_lands() -> None:
        first.append(await replica.decide(principal("lead"), document_id, request))

    replica = DecisionUseCases(
        plain, holders=decisions._holders, clock=harness.clock, zone=ZoneInfo("Asia/Seoul")
    )
    retrying = DecisionUseCases(
        lambda: _FirstReadThen(plain(), first_attempt_lands),  # type: ignore[return-value]
        holders=decisions._holders,
        clock=harness.clock,
        zone=ZoneInfo("Asia/Seoul"),
    )
    again = await retrying.decide(principal("lead"), document_id, request)
    assert [document.to_dict() for document in first] == [again.to_dict()]
    assert again.status is DocumentStatus.REJECTED
    assert len(await harness.events("approval.decided")) == 1
