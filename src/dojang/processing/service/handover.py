"""Moving pending tasks between holders as delegations start and end, and telling about it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import structlog

from dojang.processing.domain.delegations import Delegation
from dojang.processing.domain.tasks import Task, TaskStatus
from dojang.processing.service import events
from dojang.processing.service.unit_of_work import ProcessingUnitOfWork

log = structlog.get_logger(__name__)


async def store_moves(uow: ProcessingUnitOfWork, moved: Sequence[Task], *, at: datetime) -> int:
    """Store pending tasks that changed hands and announce their new holders.

    A task decided in the meantime keeps its decision and is left out of the announcement.
    """
    stored = [task for task in moved if await uow.tasks.save(task, was=TaskStatus.PENDING)]
    for event in events.tasks_assigned(stored, at=at):
        uow.emit(events.RESULTS_TOPIC, event)
    return len(stored)


async def hand_over(
    uow: ProcessingUnitOfWork, active: Sequence[Delegation], *, at: datetime
) -> int:
    """Give the delegates of these active delegations the tasks their delegators hold."""
    by_delegator = {d.delegator_id: d for d in active if d.is_active(at)}
    moved: list[Task] = []
    for task in await uow.tasks.pending_held_by(by_delegator):
        delegation = by_delegator[task.assignee_id]
        if task.may_be_delegated(delegation, at):
            task.hand_to(delegation.delegate_id, delegation_id=delegation.id)
            moved.append(task)
    return await store_moves(uow, moved, at=at)


async def handed_back(uow: ProcessingUnitOfWork, ended: Sequence[Delegation]) -> list[Task]:
    """The pending tasks handed over under these ended delegations, given back to their
    delegators in memory (the caller stores them)."""
    by_id = {d.id: d for d in ended}
    returned = await uow.tasks.pending_under(by_id)
    for task in returned:
        assert task.delegation_id is not None
        task.hand_to(by_id[task.delegation_id].delegator_id)
    return returned


async def give_back(uow: ProcessingUnitOfWork, ended: Sequence[Delegation], *, at: datetime) -> int:
    """Return the tasks handed over under these ended delegations to their delegators."""
    return await store_moves(uow, await handed_back(uow, ended), at=at)
