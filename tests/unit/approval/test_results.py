"""The `approval` consumer: task holders and decisions from approval-processing."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from dojang.approval.domain.document import ApprovalDocument, DocumentStatus
from dojang.approval.domain.forms import FormCode
from dojang.approval.domain.line import StageStatus
from dojang.approval.service.commands import NewDocument
from dojang.kernel.bus.envelope import Event

from .fakes import Harness, principal, stage

STAFF = principal("staff")


async def submit(harness: Harness, *stages: dict[str, Any], cc: tuple[str, ...] = ()) -> str:
    document = await harness.service.use_cases.create(
        STAFF,
        NewDocument(
            form=FormCode.GENERAL,
            title="장비 구매",
            line=list(stages) if stages else None,
            cc=cc,
        ),
    )
    return document.id


async def load(harness: Harness, document_id: str) -> ApprovalDocument:
    return await harness.service.use_cases.get(principal("admin", "admin"), document_id)


async def types_after(harness: Harness, count: int) -> list[str]:
    """The types of the events published after the first `count`."""
    return [e.type for e in (await harness.events())[count:]]


async def test_tasks_assigned_tells_the_assignees_it_is_their_turn(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead", "peer"), stage("head"))
    # peer is away: their delegate junior holds the task (대결)
    await harness.assign(document_id, 1, 0, [("lead", "lead"), ("peer", "junior")])

    (turn,) = await harness.events("approval.your_turn")
    assert turn.data["recipients"] == ["lead", "junior"]
    assert turn.data["stage_index"] == 0
    assert turn.data["kind"] == "approval"
    assert turn.data["requester"] == {"id": "staff", "name": "사원 김"}
    document = await load(harness, document_id)
    assert document.task_holders() == ["lead", "junior"]
    assert document.visible_to("junior")


async def test_assignments_of_another_version_or_stage_are_ignored(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead"), stage("head"))
    await harness.assign(document_id, 2, 0, [("lead", "lead")])
    await harness.assign(document_id, 1, 1, [("head", "head")])
    assert await harness.events("approval.your_turn") == []


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
    await harness.decide(document_id, "head", stage_index=1)
    assert await types_after(harness, before) == ["approval.approved"]

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
        "approval.tasks_cancelled",
        "approval.rejected",
    ]
    cancelled, rejected = (await harness.events())[before:]
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


async def test_final_approval_completes_the_document_at_once(harness: Harness) -> None:
    document_id = await submit(
        harness, stage("lead", "peer", final_authority=["lead"]), stage("head")
    )
    before = len(await harness.events())
    await harness.decide(document_id, "lead", final=True)

    assert await types_after(harness, before) == [
        "approval.tasks_cancelled",
        "approval.approved",
    ]
    cancelled = (await harness.events())[before]
    assert cancelled.data["reason"] == "final_approval"
    assert cancelled.data["approvers"] == ["peer"]
    document = await load(harness, document_id)
    assert document.status is DocumentStatus.APPROVED
    assert "final_approved" in [entry.action.value for entry in document.timeline]


async def test_a_decision_after_withdrawal_is_overruled(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead"), stage("head"))
    await harness.service.use_cases.withdraw(STAFF, document_id)
    withdrawn_cancel = (await harness.events("approval.tasks_cancelled"))[-1]
    assert withdrawn_cancel.data["reason"] == "withdrawn"
    assert withdrawn_cancel.data["approvers"] is None

    before = len(await harness.events())
    await harness.decide(document_id, "lead")
    assert await types_after(harness, before) == ["approval.tasks_cancelled"]
    overruled = (await harness.events())[-1]
    assert overruled.data == {
        "approval_id": document_id,
        "version": 1,
        "stage_index": 0,
        "approvers": ["lead"],
        "reason": "overruled",
    }
    document = await load(harness, document_id)
    assert document.status is DocumentStatus.WITHDRAWN


async def test_a_decision_out_of_turn_is_overruled(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead"), stage("head"))
    await harness.decide(document_id, "head", stage_index=1)
    (overruled,) = await harness.events("approval.tasks_cancelled")
    assert overruled.data["reason"] == "overruled"
    assert (await load(harness, document_id)).current_stage == 0


async def test_the_same_decision_delivered_twice_has_one_effect(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead", "peer"), stage("head"))
    decision = await harness.decide(document_id, "lead")
    revision = (await load(harness, document_id)).revision
    count = len(await harness.events())

    await harness.publish_result(decision)
    # processing may also publish the same decision again under a new event id
    again = Event(
        type=decision.type,
        aggregate_id=decision.aggregate_id,
        data=decision.data,
        occurred_at=decision.occurred_at,
    )
    await harness.publish_result(again)

    assert len(await harness.events()) == count
    document = await load(harness, document_id)
    assert document.revision == revision
    assert document.line is not None
    assert document.line.stages[0].approvals() == 1


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


async def test_an_unusable_result_goes_to_the_dead_letters(harness: Harness) -> None:
    bad = Event(
        type="approval.decided",
        aggregate_id="no-such-document",
        occurred_at=harness.clock.now(),
        data={"approval_id": "no-such-document"},
    )
    await harness.publish_result(bad)
    subscription = await harness.bus.subscribe("inspector", ["approval-results.dlq"])
    records = await subscription.fetch(10, timeout=0)
    await subscription.close()
    assert len(records) == 1
    assert json.loads(records[0].value)["group"] == "approval"


async def test_other_result_types_are_ignored(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead"))
    count = len(await harness.events())
    await harness.publish_result(
        Event(
            type="approval.something_new",
            aggregate_id=document_id,
            occurred_at=harness.clock.now(),
            data={},
        )
    )
    assert len(await harness.events()) == count


def overdue(
    harness: Harness,
    document_id: str,
    tasks: list[tuple[str, str]],
    *,
    version: int = 1,
    stage_index: int = 0,
    waited: timedelta = timedelta(hours=26),
) -> Event:
    """`approval.tasks_overdue` for (approver, holder) pairs that have waited `waited`."""
    now = harness.clock.now()
    return Event(
        type="approval.tasks_overdue",
        aggregate_id=document_id,
        occurred_at=now,
        data={
            "approval_id": document_id,
            "version": version,
            "stage_index": stage_index,
            "tasks": [
                {
                    "task_id": f"task-{approver}",
                    "approver_id": approver,
                    "assignee_id": holder,
                    "on_behalf_of": None if holder == approver else approver,
                    "waiting_since": (now - waited).isoformat(),
                }
                for approver, holder in tasks
            ],
        },
    )


async def test_overdue_tasks_of_the_active_stage_ask_for_a_reminder(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead", "peer", kind="agreement"), stage("head"))
    await harness.assign(document_id, 1, 0, [("lead", "lead"), ("peer", "junior")])
    await harness.decide(document_id, "lead")  # the stage needs both: peer's task still waits
    revision = (await load(harness, document_id)).revision

    await harness.publish_result(
        overdue(harness, document_id, [("lead", "lead"), ("peer", "junior")])
    )

    (reminder,) = await harness.events("approval.reminder")
    assert reminder.data["recipients"] == ["junior"]  # lead has decided since
    assert reminder.data["stage_index"] == 0
    assert reminder.data["kind"] == "agreement"
    assert reminder.data["waiting_since"] == (harness.clock.now() - timedelta(hours=26)).isoformat()
    assert reminder.data["requester"] == {"id": "staff", "name": "사원 김"}
    document = await load(harness, document_id)
    assert document.revision == revision + 1  # saved with its event, but nothing else changed
    assert document.task_holders() == ["junior"]


async def test_overdue_tasks_that_no_longer_wait_ask_for_nothing(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead"), stage("head"))
    await harness.assign(document_id, 1, 0, [("lead", "lead")])
    await harness.decide(document_id, "lead")  # stage 0 is done: stage 1 is active
    await harness.publish_result(overdue(harness, document_id, [("lead", "lead")]))
    await harness.publish_result(overdue(harness, document_id, [("head", "head")], version=2))

    withdrawn_id = await submit(harness, stage("lead"))
    await harness.assign(withdrawn_id, 1, 0, [("lead", "lead")])
    await harness.service.use_cases.withdraw(STAFF, withdrawn_id)
    await harness.publish_result(overdue(harness, withdrawn_id, [("lead", "lead")]))

    assert await harness.events("approval.reminder") == []
