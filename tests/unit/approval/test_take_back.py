"""Taking back an approval (결재 취소): until the next approver acts, on every store."""

from __future__ import annotations

import pytest

from dojang.approval.domain.document import Action, DocumentStatus
from dojang.approval.domain.errors import ApprovalFollowed, NoApprovalToTakeBack
from dojang.approval.domain.line import StageStatus

from .fakes import Harness, load, principal, stage, submit, types_after


async def test_an_approval_that_opened_the_next_stage_is_taken_back_and_the_stage_closes(
    harness: Harness,
) -> None:
    document_id = await submit(harness, stage("lead"), stage("head"))
    await harness.decide(document_id, "lead")
    before = len(await harness.events())

    document = await harness.service.take_backs.take_back(principal("lead"), document_id, None)

    assert document.status is DocumentStatus.IN_PROGRESS
    assert document.current_stage == 0
    assert document.line is not None
    assert [s.status for s in document.line.stages] == [StageStatus.ACTIVE, StageStatus.WAITING]
    assert document.line.stages[0].approvers[0].decision is None
    assert document.timeline[-1].action is Action.TAKEN_BACK
    assert document.timeline[-1].actor_id == "lead"
    assert await types_after(harness, before) == [
        "approval.tasks_cancelled",
        "approval.slots_announced",
        "approval.taken_back",
        "approval.your_turn",
    ]
    told = (await harness.events("approval.taken_back"))[-1].data
    assert (told["taken_by"]["id"], told["approver_id"], told["released"]) == (
        "lead",
        "lead",
        ["head"],
    )
    cancelled = (await harness.events("approval.tasks_cancelled"))[-1].data
    assert (cancelled["stage_index"], cancelled["approvers"], cancelled["reason"]) == (
        1,
        ["head"],
        "taken_back",
    )
    announced = (await harness.events("approval.slots_announced"))[-1].data
    assert (announced["stage_index"], announced["approvers"]) == (0, ["lead"])
    stored = await load(harness, document_id)
    assert stored.slots_held_by("lead") == ["lead"]
    assert stored.slots_held_by("head") == []


async def test_the_next_stage_opened_again_is_announced_so_its_closed_tasks_reopen(
    harness: Harness,
) -> None:
    document_id = await submit(harness, stage("lead"), stage("head"))
    await harness.decide(document_id, "lead")
    await harness.service.take_backs.take_back(principal("lead"), document_id, None)
    before = len(await harness.events())

    await harness.decide(document_id, "lead")

    assert await types_after(harness, before) == [
        "approval.decided",
        "approval.tasks_opened",
        "approval.slots_announced",
        "approval.your_turn",
    ]
    document = await harness.decide(document_id, "head")
    assert document.status is DocumentStatus.APPROVED


async def test_an_approval_in_a_stage_still_open_is_taken_back_alone(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead", "peer", rule="all"), stage("head"))
    await harness.decide(document_id, "lead")

    document = await harness.service.take_backs.take_back(principal("lead"), document_id, None)

    assert document.line is not None
    assert document.line.stages[0].status is StageStatus.ACTIVE
    assert document.line.stages[0].undecided() == ("lead", "peer")
    assert sorted(document.slots_held_by("lead") + document.slots_held_by("peer")) == [
        "lead",
        "peer",
    ]


async def test_once_the_next_approver_acted_the_approval_stays_and_nothing_changes(
    harness: Harness,
) -> None:
    document_id = await submit(harness, stage("lead"), stage("head", "peer", rule="all"))
    await harness.decide(document_id, "lead")
    await harness.decide(document_id, "head")
    before = await load(harness, document_id)
    events_before = len(await harness.events())

    with pytest.raises(ApprovalFollowed):
        await harness.service.take_backs.take_back(principal("lead"), document_id, None)

    after = await load(harness, document_id)
    assert after.to_dict() == before.to_dict()
    assert len(await harness.events()) == events_before


async def test_a_finished_document_refuses_a_take_back(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead"))
    await harness.decide(document_id, "lead")
    with pytest.raises(ApprovalFollowed):
        await harness.service.take_backs.take_back(principal("lead"), document_id, None)


@pytest.mark.parametrize("caller", ["head", "staff", "peer", "lead"])
async def test_whoever_made_no_approval_has_nothing_to_take_back(
    harness: Harness, caller: str
) -> None:
    document_id = await submit(harness, stage("lead", "peer", rule="all"), stage("head"))
    if caller != "lead":
        await harness.decide(document_id, "lead")
    events_before = len(await harness.events())
    with pytest.raises(NoApprovalToTakeBack):
        await harness.service.take_backs.take_back(principal(caller), document_id, None)
    assert len(await harness.events()) == events_before


async def test_an_unknown_document_answers_like_one_without_an_approval(harness: Harness) -> None:
    with pytest.raises(NoApprovalToTakeBack):
        await harness.service.take_backs.take_back(principal("lead"), "no-such-document", None)


async def test_a_delegate_takes_back_the_approval_they_made_for_the_approver(
    harness: Harness,
) -> None:
    document_id = await submit(harness, stage("lead"), stage("head"))
    await harness.assign(document_id, 1, 0, [("lead", "junior")])
    await harness.decide(document_id, "lead", decided_by="junior")

    with pytest.raises(NoApprovalToTakeBack):
        await harness.service.take_backs.take_back(principal("lead"), document_id, None)
    document = await harness.service.take_backs.take_back(principal("junior"), document_id, "lead")

    assert document.current_stage == 0
    assert document.timeline[-1].on_behalf_of == "lead"
