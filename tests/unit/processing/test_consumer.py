"""The `processing` consumer over a real bus and database: tasks open, close and move."""

from __future__ import annotations

from datetime import timedelta

from dojang.processing.domain.tasks import TaskStatus

from .builders import NOW, deactivated, decided, event, tasks_cancelled, tasks_opened
from .harness import Harness


async def test_opened_tasks_are_created_once_per_approver_and_announced(harness: Harness) -> None:
    await harness.deliver(tasks_opened(["emp-kim", "emp-lee"], final_authority=["emp-lee"]))
    kim, lee = sorted(await harness.tasks(), key=lambda t: t.approver_id)
    assert (kim.approver_id, kim.assignee_id, kim.status) == ("emp-kim", "emp-kim", "pending")
    assert (kim.final_authority, lee.final_authority) == (False, True)
    assert kim.requester.name == "김요청"
    [assigned] = await harness.results()
    assert (assigned.type, assigned.aggregate_id) == ("approval.tasks_assigned", "doc-1")
    assert assigned.data == {
        "approval_id": "doc-1",
        "version": 1,
        "stage_index": 0,
        "tasks": [
            {
                "task_id": kim.id,
                "approver_id": "emp-kim",
                "assignee_id": "emp-kim",
                "on_behalf_of": None,
                "revision": 1,
            },
            {
                "task_id": lee.id,
                "approver_id": "emp-lee",
                "assignee_id": "emp-lee",
                "on_behalf_of": None,
                "revision": 1,
            },
        ],
    }


async def test_a_redelivered_event_creates_nothing_more(harness: Harness) -> None:
    opened = tasks_opened(["emp-kim"], event_id="0195a1b2-0000-7000-8000-000000000001")
    await harness.deliver(opened)
    await harness.deliver(opened)
    assert len(await harness.tasks()) == 1
    assert len(await harness.results()) == 1


async def test_the_same_stage_opened_again_creates_nothing_more(harness: Harness) -> None:
    await harness.deliver(tasks_opened(["emp-kim"]), tasks_opened(["emp-kim"]))
    assert len(await harness.tasks()) == 1
    assert len(await harness.results()) == 1


async def test_an_active_delegation_applies_when_the_task_is_created(harness: Harness) -> None:
    await harness.service.delegations.grant(
        "emp-kim", delegate_id="emp-lee", starts_at=NOW, ends_at=NOW + timedelta(days=2)
    )
    await harness.deliver(tasks_opened(["emp-kim", "emp-park"]))
    kim, park = sorted(await harness.tasks(), key=lambda t: t.approver_id)
    assert (kim.assignee_id, kim.on_behalf_of) == ("emp-lee", "emp-kim")
    assert (park.assignee_id, park.on_behalf_of) == ("emp-park", None)
    granted, assigned = await harness.results()
    assert granted.type == "delegation.granted"
    assert assigned.data["tasks"][0] == {
        "task_id": kim.id,
        "approver_id": "emp-kim",
        "assignee_id": "emp-lee",
        "on_behalf_of": "emp-kim",
        "revision": 1,
    }


async def test_a_cancelled_stage_closes_only_the_named_open_tasks(harness: Harness) -> None:
    await harness.deliver(tasks_opened(["emp-kim", "emp-lee", "emp-park"]))
    await harness.deliver(decided("emp-kim"))
    await harness.deliver(
        tasks_cancelled(stage_index=0, approvers=["emp-kim", "emp-lee"], reason="stage_completed")
    )
    statuses = {t.approver_id: t.status for t in await harness.tasks()}
    assert statuses == {
        "emp-kim": TaskStatus.APPROVED,
        "emp-lee": TaskStatus.CANCELLED,
        "emp-park": TaskStatus.PENDING,
    }


async def test_a_withdrawal_cancels_every_open_task_of_the_document(harness: Harness) -> None:
    await harness.deliver(
        tasks_opened(["emp-kim", "emp-lee"]),
        tasks_opened(["emp-kim"], approval_id="doc-2"),
        tasks_cancelled(reason="withdrawn"),
    )
    assert {t.status for t in await harness.tasks("doc-1")} == {TaskStatus.CANCELLED}
    assert {t.status for t in await harness.tasks("doc-2")} == {TaskStatus.PENDING}


async def test_a_cancellation_of_an_earlier_version_leaves_the_new_one_open(
    harness: Harness,
) -> None:
    await harness.deliver(
        tasks_opened(["emp-kim"]),
        tasks_cancelled(reason="rejected"),
        tasks_opened(["emp-kim"], version=2),
        tasks_cancelled(version=1, stage_index=0, approvers=["emp-kim"], reason="rejected"),
    )
    old, new = await harness.tasks()
    assert (old.version, old.status) == (1, TaskStatus.CANCELLED)
    assert (new.version, new.status) == (2, TaskStatus.PENDING)


async def test_a_decision_taken_on_the_line_closes_its_task(harness: Harness) -> None:
    await harness.deliver(tasks_opened(["emp-kim", "emp-lee"]))
    await harness.deliver(decided("emp-kim", "rejected", decided_by="emp-boss", comment="반려"))
    await harness.deliver(decided("emp-kim"))  # a second decision on a closed task: nothing
    tasks = {t.approver_id: t for t in await harness.tasks()}
    kim = tasks["emp-kim"]
    assert (kim.status, kim.decided_by, kim.on_behalf_of, kim.comment) == (
        TaskStatus.REJECTED,
        "emp-boss",
        "emp-kim",
        "반려",
    )
    assert tasks["emp-lee"].is_pending


async def test_a_deactivation_moves_held_tasks_to_the_manager(harness: Harness) -> None:
    await harness.deliver(
        tasks_opened(["emp-kim", "emp-lee"]),
        tasks_opened(["emp-kim"], approval_id="doc-2"),
    )
    await harness.results()
    await harness.deliver(deactivated("emp-kim", "emp-boss"))
    moved = await harness.tasks("doc-1") + await harness.tasks("doc-2")
    holders = {(t.approval_id, t.approver_id): (t.assignee_id, t.on_behalf_of) for t in moved}
    assert holders == {
        ("doc-1", "emp-kim"): ("emp-boss", "emp-kim"),
        ("doc-1", "emp-lee"): ("emp-lee", None),
        ("doc-2", "emp-kim"): ("emp-boss", "emp-kim"),
    }
    assigned = sorted(await harness.results(), key=lambda e: e.aggregate_id)
    assert [(e.type, e.aggregate_id) for e in assigned] == [
        ("approval.tasks_assigned", "doc-1"),
        ("approval.tasks_assigned", "doc-2"),
    ]
    assert [t["assignee_id"] for t in assigned[0].data["tasks"]] == ["emp-boss"]


async def test_other_employee_events_are_ignored(harness: Harness) -> None:
    await harness.deliver(tasks_opened(["emp-kim"]))
    updated = event("employee.updated", "emp-kim", {"employee": {"id": "emp-kim"}})
    await harness.deliver(updated)
    [kept] = await harness.tasks()
    assert kept.assignee_id == "emp-kim"
    assert await harness.dead_letters("employee-events") == []


async def test_an_unusable_request_goes_to_the_dead_letters(harness: Harness) -> None:
    await harness.deliver(event("approval.tasks_opened", "doc-1", {"approval_id": "doc-1"}))
    mismatched = tasks_opened(["emp-kim"], approval_id="doc-2")
    await harness.deliver(event(mismatched.type, "doc-1", mismatched.data))
    first, second = await harness.dead_letters()
    assert first["group"] == "processing"
    assert "unusable payload" in first["error"]
    assert "is about doc-2" in second["error"]
    assert await harness.tasks() == []


async def test_a_cancellation_that_names_no_version_or_reason_cancels_nothing(
    harness: Harness,
) -> None:
    await harness.deliver(
        tasks_opened(["emp-kim"]),
        event("approval.tasks_cancelled", "doc-1", {"approval_id": "doc-1"}),
        event(
            "approval.tasks_cancelled",
            "doc-1",
            {"approval_id": "doc-1", "version": 1, "stage_index": None, "approvers": None},
        ),
    )
    [kept] = await harness.tasks()
    assert kept.status == TaskStatus.PENDING
    no_version, no_reason = await harness.dead_letters()
    assert "version" in no_version["error"]
    assert "reason" in no_reason["error"]


async def test_a_task_write_from_a_stale_read_is_refused(harness: Harness) -> None:
    # Two replicas read the same task; the first to store a change moves its revision on,
    # so the second's change, made on what it read before, does not overwrite it.
    await harness.deliver(tasks_opened(["emp-kim"]))
    [mine] = await harness.tasks()
    [theirs] = await harness.tasks()
    mine.hand_to("emp-boss")
    async with harness.service.unit_of_work() as uow:
        assert await uow.tasks.save(mine, was=TaskStatus.PENDING)
        await uow.commit()
    theirs.hand_to("emp-park")
    async with harness.service.unit_of_work() as uow:
        assert not await uow.tasks.save(theirs, was=TaskStatus.PENDING)
        await uow.commit()
    [stored] = await harness.tasks()
    assert (stored.assignee_id, stored.revision) == ("emp-boss", 2)
