"""Repairs across both services on one bus: what an administrator moves, and what reconciling
restores, the line and the tasks agree on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, update

from dojang.kernel.auth.principal import Principal
from dojang.processing.adapters.tables import tasks
from dojang.processing.domain.tasks import TaskStatus

from .builders import as_message, deactivated
from .test_with_approval import STAFF, Company, company, stage  # noqa: F401  (the fixture)

ADMIN = Principal(user_id="admin", roles=frozenset({"employee", "admin"}))


async def test_a_task_reassigned_from_a_leaver_is_decided_at_once_by_the_new_holder(
    company: Company,  # noqa: F811
) -> None:
    document_id = await company.submit(stage("lead"))
    await company.bus.publish("employee-events", [as_message(deactivated("lead", None))])
    await company.settle()
    administration = company.processing.administration
    [stranded] = await administration.pending(stranded=True, after=None, limit=50)
    assert (stranded.approval_id, stranded.assignee_id) == (document_id, "lead")

    await administration.reassign(ADMIN, stranded.id, assignee_id="peer", reason="퇴사자 인계")
    await company.settle()
    assert await company.inbox("peer") == [document_id]
    assert (await company.your_turn_recipients())[-1] == ["peer"]
    await company.decide("peer", document_id)
    line = await company.line(document_id)
    assert line["status"] == "approved"
    [slot] = line["stages"][0]["approvers"]
    assert (slot["decided_by"], slot["on_behalf_of"]) == ("peer", "lead")
    assert await administration.pending(stranded=True, after=None, limit=50) == []


async def _reconcile(services: Company) -> tuple[int, int]:
    """What `dojang reconcile` does: both halves announce, then the events travel."""
    announced = await services.approval.slot_announcements.announce_all()
    reported = await services.processing.pending_report.report_all()
    await services.settle()
    return announced, reported


async def _edit_tasks(services: Company, statement: Any) -> None:
    """Change processing's task rows by hand."""
    database = services.processing.module.database
    assert database is not None
    async with database.engine.begin() as conn:
        await conn.execute(statement)


async def _tasks(services: Company, document_id: str) -> list[tuple[int, int, str, str]]:
    async with services.processing.unit_of_work() as uow:
        found = await uow.tasks.of_document(document_id)
    return sorted((t.version, t.stage_index, t.approver_id, t.status.value) for t in found)


async def test_reconciling_agreeing_services_changes_nothing(
    company: Company,  # noqa: F811
) -> None:
    document_id = await company.submit(stage("lead", "head"))
    before = await _tasks(company, document_id)
    told = await company.your_turn_recipients()
    assert await _reconcile(company) == (1, 1)
    assert await _tasks(company, document_id) == before
    assert await company.your_turn_recipients() == told


async def test_a_task_lost_by_processing_is_opened_again_and_can_be_decided(
    company: Company,  # noqa: F811
) -> None:
    document_id = await company.submit(stage("lead", "head"), stage("director"))
    await company.decide("lead", document_id)
    await _edit_tasks(company, delete(tasks).where(tasks.c.approver_id == "head"))
    assert await company.inbox("head") == []

    await _reconcile(company)
    assert await _tasks(company, document_id) == [
        (1, 0, "head", "pending"),
        (1, 0, "lead", "approved"),
    ]
    assert await company.inbox("head") == [document_id]
    await company.decide("head", document_id)
    assert await _tasks(company, document_id) == [
        (1, 0, "head", "approved"),
        (1, 0, "lead", "approved"),
        (1, 1, "director", "pending"),
    ]


async def test_a_task_of_a_withdrawn_document_left_pending_is_cancelled(
    company: Company,  # noqa: F811
) -> None:
    document_id = await company.submit(stage("lead"))
    await company.approval.use_cases.withdraw(STAFF, document_id)
    await company.settle()
    await _edit_tasks(company, update(tasks).values(status=TaskStatus.PENDING.value))
    assert await company.inbox("lead") == [document_id]

    assert await _reconcile(company) == (0, 1)
    assert await _tasks(company, document_id) == [(1, 0, "lead", "cancelled")]
    assert await company.inbox("lead") == []
