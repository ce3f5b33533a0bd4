"""`approval-requests`: the approval-request service opens, decides and cancels tasks, and
announces the open slots of a document when reconciling."""

from __future__ import annotations

from datetime import datetime

import structlog

from dojang.contracts.approval_requests import (
    Decided,
    SlotsAnnounced,
    TasksCancelled,
    TasksOpened,
)
from dojang.kernel.bus.envelope import Event
from dojang.kernel.clock import Clock
from dojang.kernel.ids import new_id
from dojang.processing.domain.tasks import (
    MAX_TITLE_LENGTH,
    Decision,
    Person,
    Task,
    TaskStatus,
    successor,
)
from dojang.processing.service import events
from dojang.processing.service.payloads import parse
from dojang.processing.service.unit_of_work import ProcessingUnitOfWork

log = structlog.get_logger(__name__)


class ApprovalRequestHandler:
    """Opens and cancels tasks as the approval-request service asks."""

    def __init__(self, *, clock: Clock) -> None:
        self._clock = clock

    async def tasks_opened(self, event: Event, uow: ProcessingUnitOfWork) -> None:
        """One pending task per approver of the newly active stage, and who holds each."""
        data = parse(TasksOpened, event)
        now = self._clock.now()
        existing = await uow.tasks.approvers_with_tasks(
            data.approval_id, data.version, data.stage_index
        )
        approvers = [a for a in dict.fromkeys(data.approvers) if a not in existing]
        if not approvers:
            log.info("tasks_already_open", approval_id=data.approval_id, version=data.version)
            return
        opened = await self._open(uow, data, approvers, at=now)
        for assigned in events.tasks_assigned(opened, at=now):
            uow.emit(events.RESULTS_TOPIC, assigned)

    async def slots_announced(self, event: Event, uow: ProcessingUnitOfWork) -> None:
        """Make the document's pending tasks those of its open slots, as approval-request
        announces them: cancel the others (other versions and stages included), open the
        missing ones and reopen those closed meanwhile. Nothing changes when they agree."""
        data = parse(SlotsAnnounced, event)
        now = self._clock.now()
        slots = list(dict.fromkeys(data.approvers))
        cancelled = 0
        for task in await uow.tasks.matching(data.approval_id, statuses=[TaskStatus.PENDING]):
            in_slot = (task.version, task.stage_index) == (data.version, data.stage_index)
            if not (in_slot and task.approver_id in slots):
                task.cancel()
                cancelled += await uow.tasks.save(task, was=TaskStatus.PENDING)
        stage_tasks = {
            task.approver_id: task
            for task in await uow.tasks.matching(
                data.approval_id,
                statuses=list(TaskStatus),
                version=data.version,
                stage_index=data.stage_index,
            )
        }
        missing = [a for a in slots if a not in stage_tasks]
        opened = await self._open(uow, data, missing, at=now) if missing else []
        closed = [stage_tasks[a] for a in slots if a in stage_tasks]
        reopened = [t for t in closed if not t.is_pending and await self._reopen(uow, t, now)]
        for announcement in events.tasks_assigned(opened + reopened, at=now):
            uow.emit(events.RESULTS_TOPIC, announcement)
        if cancelled or opened or reopened:
            log.warning(
                "tasks_reconciled",
                approval_id=data.approval_id,
                version=data.version,
                stage_index=data.stage_index,
                cancelled=cancelled,
                opened=len(opened),
                reopened=len(reopened),
            )

    async def _reopen(self, uow: ProcessingUnitOfWork, task: Task, at: datetime) -> bool:
        """Make a closed task of an open slot pending again, in the hands a new one would be;
        False if it moved meanwhile."""
        was = task.status
        holder = await self._holder(uow, task.approver_id, task.requester)
        active = await uow.delegations.active_of({holder}, at)
        task.reopen(holder_id=holder, delegation=active[0] if active else None, at=at)
        return await uow.tasks.save(task, was=was)

    async def _open(
        self,
        uow: ProcessingUnitOfWork,
        data: TasksOpened | SlotsAnnounced,
        approvers: list[str],
        *,
        at: datetime,
    ) -> list[Task]:
        """Store a pending task for each of these approvers of the stage `data` names."""
        requester = Person(id=data.requester.id, name=data.requester.name)
        holders = {a: await self._holder(uow, a, requester) for a in approvers}
        delegations = {
            d.delegator_id: d for d in await uow.delegations.active_of(set(holders.values()), at)
        }
        final_authority = set(data.final_authority)
        opened = [
            Task.open(
                task_id=new_id(),
                approval_id=data.approval_id,
                version=data.version,
                stage_index=data.stage_index,
                kind=data.kind,
                # a title longer than this service stores must not cost anyone their task
                title=data.title[:MAX_TITLE_LENGTH],
                form=data.form,
                requester=requester,
                approver_id=approver,
                final_authority=approver in final_authority,
                holder_id=holders[approver],
                delegation=delegations.get(holders[approver]),
                at=at,
            )
            for approver in approvers
        ]
        await uow.tasks.add(opened)
        return opened

    @staticmethod
    async def _holder(uow: ProcessingUnitOfWork, approver_id: str, requester: Person) -> str:
        """The approver, or after they left, the manager their work went to."""
        chain = await uow.departures.chain_from(approver_id)
        if not chain:
            return approver_id
        holder = successor(approver_id, chain)
        if holder is None or holder == requester.id:
            log.warning("task_for_departed_approver_without_successor", approver_id=approver_id)
            return approver_id
        return holder

    async def tasks_cancelled(self, event: Event, uow: ProcessingUnitOfWork) -> None:
        """Close open tasks without a decision."""
        data = parse(TasksCancelled, event)
        cancelled = 0
        for task in await uow.tasks.matching(
            data.approval_id,
            statuses=[TaskStatus.PENDING],
            version=data.version,
            stage_index=data.stage_index,
            approvers=data.approvers,
        ):
            task.cancel()
            cancelled += await uow.tasks.save(task, was=TaskStatus.PENDING)
        log.info(
            "tasks_cancelled",
            approval_id=data.approval_id,
            reason=data.reason,
            cancelled=cancelled,
        )

    async def decided(self, event: Event, uow: ProcessingUnitOfWork) -> None:
        """The approval-request service took a decision on a slot: its task is decided."""
        data = parse(Decided, event)
        for task in await uow.tasks.matching(
            data.approval_id,
            statuses=[TaskStatus.PENDING],
            version=data.version,
            stage_index=data.stage_index,
            approvers=[data.approver_id],
        ):
            task.record_decision(
                Decision(data.decision),
                by=data.decided_by,
                at=data.decided_at,
                comment=data.comment,
            )
            if await uow.tasks.save(task, was=TaskStatus.PENDING):
                log.info(
                    "task_decided",
                    task_id=task.id,
                    approval_id=task.approval_id,
                    decision=data.decision,
                    decided_by=data.decided_by,
                )
