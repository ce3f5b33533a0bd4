"""The `approval` consumer: who holds each slot, reminders and delegations from processing."""

from __future__ import annotations

import json
from datetime import timedelta

from dojang.kernel.bus.envelope import Event

from .fakes import STAFF, Harness, load, stage, submit


async def test_tasks_assigned_tells_only_new_holders_it_is_their_turn(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead", "peer"), stage("head"))
    # peer is away: processing put their task with their delegate junior (대결)
    await harness.assign(document_id, 1, 0, [("lead", "lead"), ("peer", "junior")])

    at_submission, turn = await harness.events("approval.your_turn")
    assert at_submission.data["recipients"] == ["lead", "peer"]
    assert turn.data["recipients"] == ["junior"]  # lead was told already
    assert turn.data["stage_index"] == 0
    assert turn.data["kind"] == "approval"
    assert turn.data["requester"] == {"id": "staff", "name": "사원 김"}
    document = await load(harness, document_id)
    assert document.task_holders() == ["lead", "junior"]
    assert document.visible_to("junior")


async def test_assignments_of_another_version_or_stage_are_ignored(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead"), stage("head"))
    await harness.assign(document_id, 2, 0, [("lead", "peer")])
    await harness.assign(document_id, 1, 1, [("head", "peer")])
    assert len(await harness.events("approval.your_turn")) == 1  # the submission's
    assert (await load(harness, document_id)).task_holders() == ["lead"]


async def test_an_older_holder_report_delivered_late_changes_nothing(harness: Harness) -> None:
    document_id = await submit(harness, stage("lead"))
    await harness.assign(document_id, 1, 0, [("lead", "peer")], revision=3)
    await harness.assign(document_id, 1, 0, [("lead", "junior")], revision=2)
    assert (await load(harness, document_id)).task_holders() == ["peer"]
    await harness.assign(document_id, 1, 0, [("lead", "lead")], revision=4)
    assert (await load(harness, document_id)).task_holders() == ["lead"]


async def test_an_unusable_result_goes_to_the_dead_letters(harness: Harness) -> None:
    bad = Event(
        type="approval.tasks_assigned",
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


async def test_a_revocation_that_does_not_say_when_changes_no_holder(harness: Harness) -> None:
    granted = await harness.delegate("lead", "peer")
    revocation = granted.data["delegation"] | {"revoked_at": None}
    await harness.publish_result(
        Event(
            type="delegation.revoked",
            aggregate_id="lead",
            occurred_at=harness.clock.now(),
            data={"delegation": revocation},
        )
    )
    subscription = await harness.bus.subscribe("inspector", ["approval-results.dlq"])
    [letter] = await subscription.fetch(10, timeout=0)
    await subscription.close()
    assert "revoked_at" in json.loads(letter.value)["error"]
    document = await load(harness, await submit(harness, stage("lead")))
    assert document.holder_of("lead") == "peer"


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
