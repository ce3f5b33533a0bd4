"""Reminders of tasks left waiting: which tasks, how often, and what reaches approval-results."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from dojang.processing.bootstrap import build_processing
from dojang.processing.domain.tasks import TaskStatus
from dojang.processing.service import reminders
from dojang.processing.settings import ProcessingSettings

from .builders import NOW, decided, task, tasks_cancelled, tasks_opened
from .harness import TEST_SECRET, Harness


async def remind(harness: Harness, *, after_hours: float) -> list[dict[str, object]]:
    """Advance the clock, run the reminders once, and return the overdue events' data."""
    harness.clock.advance(hours=after_hours)
    job = harness.service.reminders
    assert job is not None
    await job.run_once()
    results = await harness.results()
    assert {event.type for event in results} <= {"approval.tasks_overdue"}
    return [event.data for event in results]


async def test_a_task_waiting_a_day_is_reminded_then_after_ever_longer_waits(
    harness: Harness,
) -> None:
    await harness.deliver(tasks_opened(["emp-kim"]))
    await harness.results()  # the assignment

    assert await remind(harness, after_hours=23.9) == []
    [due] = await remind(harness, after_hours=0.1)
    [kim] = await harness.tasks()
    assert due == {
        "approval_id": "doc-1",
        "version": 1,
        "stage_index": 0,
        "tasks": [
            {
                "task_id": kim.id,
                "approver_id": "emp-kim",
                "assignee_id": "emp-kim",
                "on_behalf_of": None,
                "revision": kim.revision,
                "waiting_since": NOW.isoformat(),
            }
        ],
    }
    assert kim.reminded_at == NOW + timedelta(hours=24)
    assert await remind(harness, after_hours=0) == []  # once is enough
    assert await remind(harness, after_hours=47) == []  # the second waits two days
    [again] = await remind(harness, after_hours=1)
    assert again["tasks"][0]["waiting_since"] == NOW.isoformat()  # type: ignore[index]
    assert await remind(harness, after_hours=95) == []  # the third waits four
    assert len(await remind(harness, after_hours=1)) == 1
    assert await remind(harness, after_hours=24 * 365) == []  # three at most, by default
    [kim] = await harness.tasks()
    assert kim.reminders_sent == 3


async def test_the_holder_is_reminded_not_the_absent_approver(harness: Harness) -> None:
    await harness.service.delegations.grant(
        "emp-kim", delegate_id="emp-lee", starts_at=NOW, ends_at=NOW + timedelta(days=5)
    )
    await harness.deliver(tasks_opened(["emp-kim"]))
    await harness.results()
    [due] = await remind(harness, after_hours=24)
    assert due["tasks"][0]["assignee_id"] == "emp-lee"  # type: ignore[index]
    assert due["tasks"][0]["on_behalf_of"] == "emp-kim"  # type: ignore[index]


async def test_decided_and_cancelled_tasks_are_never_reminded(harness: Harness) -> None:
    await harness.deliver(tasks_opened(["emp-kim", "emp-lee", "emp-park"]))
    await harness.deliver(decided("emp-kim"))
    await harness.deliver(
        tasks_cancelled(stage_index=0, approvers=["emp-lee"], reason="stage_completed")
    )
    await harness.results()
    [due] = await remind(harness, after_hours=30)
    assert [t["approver_id"] for t in due["tasks"]] == ["emp-park"]  # type: ignore[attr-defined]
    statuses = {t.approver_id: (t.status, t.reminded_at) for t in await harness.tasks()}
    assert statuses["emp-kim"] == (TaskStatus.APPROVED, None)
    assert statuses["emp-lee"] == (TaskStatus.CANCELLED, None)


async def test_one_event_per_document_and_stage(harness: Harness) -> None:
    await harness.deliver(
        tasks_opened(["emp-kim", "emp-lee"]),
        tasks_opened(["emp-park"], approval_id="doc-2"),
    )
    await harness.results()
    due = await remind(harness, after_hours=24)
    assert sorted((d["approval_id"], len(d["tasks"])) for d in due) == [  # type: ignore[arg-type]
        ("doc-1", 2),
        ("doc-2", 1),
    ]


async def test_a_backlog_is_reminded_batch_by_batch(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reminders, "BATCH", 2)
    await harness.deliver(*(tasks_opened(["emp-kim"], approval_id=f"doc-{n}") for n in range(5)))
    await harness.results()
    due = await remind(harness, after_hours=24)
    assert sorted(d["approval_id"] for d in due) == [f"doc-{n}" for n in range(5)]  # type: ignore[type-var]


async def test_a_reminder_recorded_meanwhile_is_not_recorded_again(harness: Harness) -> None:
    await harness.deliver(tasks_opened(["emp-kim"]))
    [kim] = await harness.tasks()
    kim.remind(NOW + timedelta(days=1))
    async with harness.service.unit_of_work() as uow:
        assert await uow.tasks.save_reminder(kim, was=None)
        assert not await uow.tasks.save_reminder(kim, was=None)  # someone else was first
        await uow.commit()


def test_the_due_time_counts_from_the_last_reminder_and_doubles() -> None:
    waiting = task(at=NOW)
    day = timedelta(days=1)
    assert not waiting.reminder_due(NOW + timedelta(hours=23), every=day, most=3)
    assert waiting.reminder_due(NOW + day, every=day, most=3)
    waiting.remind(NOW + day)
    assert not waiting.reminder_due(NOW + timedelta(hours=71), every=day, most=3)
    assert waiting.reminder_due(NOW + 3 * day, every=day, most=3)
    assert not waiting.reminder_due(NOW + 3 * day, every=day, most=1)
    waiting.cancel()
    assert not waiting.reminder_due(NOW + 10 * day, every=day, most=3)


def test_reminders_can_be_turned_off(harness: Harness, tmp_path: Path) -> None:
    settings = ProcessingSettings(
        environment="test", secret_key=TEST_SECRET, data_dir=tmp_path, reminder_after_hours=0
    )
    service = build_processing(
        settings, harness.bus, clock=harness.clock, directory=harness.directory
    )
    assert service.reminders is None
    assert len(service.module.on_start) == 1  # the delegation sweeper only
    assert harness.service.reminders is not None
    assert len(harness.service.module.on_start) == 2
