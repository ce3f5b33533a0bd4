"""Reconciling: the pending tasks become those of the open slots approval-request announces,
and every version with pending tasks is reported."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, update

from dojang.processing.adapters.tables import tasks
from dojang.processing.domain.tasks import TaskStatus
from tests.unit.processing.builders import REQUESTER, decided, event, tasks_opened
from tests.unit.processing.harness import Harness, running_processing


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_processing(tmp_path) as running:
        yield running


def slots_announced(
    approvers: list[str],
    *,
    approval_id: str = "doc-1",
    version: int = 1,
    stage_index: int = 0,
    final_authority: list[str] | None = None,
) -> Any:
    """`approval.slots_announced` as `dojang reconcile` makes approval-request send it."""
    return event(
        "approval.slots_announced",
        approval_id,
        {
            "approval_id": approval_id,
            "version": version,
            "stage_index": stage_index,
            "kind": "approval",
            "title": "휴가 신청",
            "form": "leave",
            "requester": {"id": REQUESTER.id, "name": REQUESTER.name},
            "approvers": approvers,
            "final_authority": final_authority or [],
        },
    )


async def _edit_tasks(harness: Harness, statement: Any) -> None:
    """Change task rows by hand, as a broken store or an operator's mistake would."""
    database = harness.service.module.database
    assert database is not None
    async with database.engine.begin() as conn:
        await conn.execute(statement)


def _states(found: list[Any]) -> list[tuple[int, int, str, str]]:
    return sorted((t.version, t.stage_index, t.approver_id, t.status.value) for t in found)


async def test_slots_that_agree_with_the_tasks_change_nothing(harness: Harness) -> None:
    await harness.deliver(tasks_opened(["emp-kim", "emp-lee"]))
    before = await harness.tasks()
    await harness.results()
    await harness.deliver(slots_announced(["emp-kim", "emp-lee"]))
    assert await harness.tasks() == before
    assert await harness.results() == []
    assert await harness.dead_letters() == []


async def test_a_missing_task_of_an_open_slot_is_opened_and_announced(harness: Harness) -> None:
    await harness.deliver(tasks_opened(["emp-kim", "emp-lee"], final_authority=["emp-lee"]))
    await harness.results()
    await _edit_tasks(harness, delete(tasks).where(tasks.c.approver_id == "emp-lee"))
    await harness.deliver(slots_announced(["emp-kim", "emp-lee"], final_authority=["emp-lee"]))
    found = await harness.tasks()
    assert _states(found) == [(1, 0, "emp-kim", "pending"), (1, 0, "emp-lee", "pending")]
    [lee] = [t for t in found if t.approver_id == "emp-lee"]
    assert lee.final_authority
    [assigned] = await harness.results()
    assert assigned.type == "approval.tasks_assigned"
    assert [t["task_id"] for t in assigned.data["tasks"]] == [lee.id]


async def test_a_closed_task_of_an_open_slot_is_reopened_with_a_new_revision(
    harness: Harness,
) -> None:
    await harness.deliver(tasks_opened(["emp-kim"]))
    await harness.results()
    await _edit_tasks(
        harness,
        update(tasks).values(status=TaskStatus.CANCELLED.value, revision=tasks.c.revision + 1),
    )
    await harness.deliver(slots_announced(["emp-kim"]))
    [task] = await harness.tasks()
    assert (task.status, task.assignee_id, task.revision) == (TaskStatus.PENDING, "emp-kim", 3)
    [assigned] = await harness.results()
    assert assigned.data["tasks"][0]["revision"] == 3


async def test_pending_tasks_outside_the_open_slots_are_cancelled(harness: Harness) -> None:
    await harness.deliver(tasks_opened(["emp-kim", "emp-lee"]))
    await harness.deliver(tasks_opened(["emp-park"], stage_index=1))  # should not be open
    await harness.deliver(tasks_opened(["emp-choi"], version=2))  # not the current version
    await harness.results()
    await harness.deliver(slots_announced(["emp-kim"], version=1))  # emp-lee decided meanwhile
    assert _states(await harness.tasks()) == [
        (1, 0, "emp-kim", "pending"),
        (1, 0, "emp-lee", "cancelled"),
        (1, 1, "emp-park", "cancelled"),
        (2, 0, "emp-choi", "cancelled"),
    ]
    assert await harness.results() == []


async def test_a_decided_task_is_left_alone_when_its_slot_is_not_announced(
    harness: Harness,
) -> None:
    await harness.deliver(tasks_opened(["emp-kim", "emp-lee"]))
    await harness.deliver(decided("emp-lee"))
    await harness.deliver(slots_announced(["emp-kim"]))
    assert _states(await harness.tasks()) == [
        (1, 0, "emp-kim", "pending"),
        (1, 0, "emp-lee", "approved"),
    ]


async def test_every_version_with_pending_tasks_is_reported_once(harness: Harness) -> None:
    await harness.deliver(tasks_opened(["emp-kim", "emp-lee"]))
    await harness.deliver(tasks_opened(["emp-kim"], version=2))
    await harness.deliver(tasks_opened(["emp-lee"], approval_id="doc-2"))
    await harness.deliver(decided("emp-lee", approval_id="doc-2"))
    await harness.results()
    assert await harness.service.pending_report.report_all() == 2
    reported = await harness.results()
    assert [(e.type, e.aggregate_id, e.data) for e in reported] == [
        ("approval.tasks_pending", "doc-1", {"approval_id": "doc-1", "version": 1}),
        ("approval.tasks_pending", "doc-1", {"approval_id": "doc-1", "version": 2}),
    ]
