"""SQL repositories of tasks, delegations and departures, on one unit of work's session."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    Column,
    ColumnElement,
    CursorResult,
    Row,
    Select,
    and_,
    bindparam,
    exists,
    func,
    insert,
    not_,
    or_,
    select,
    update,
)

from dojang.kernel.sql import SqlSession
from dojang.processing.adapters.tables import delegations, departures, tasks
from dojang.processing.domain.delegations import Delegation, DelegationReason
from dojang.processing.domain.tasks import Person, Task, TaskStatus, reminder_wait
from dojang.processing.service.unit_of_work import TimeCursor


def _task(row: Row[Any]) -> Task:
    return Task(
        id=row.id,
        approval_id=row.approval_id,
        version=row.version,
        stage_index=row.stage_index,
        kind=row.kind,
        title=row.title,
        form=row.form,
        requester=Person(id=row.requester_id, name=row.requester_name),
        approver_id=row.approver_id,
        assignee_id=row.assignee_id,
        on_behalf_of=row.on_behalf_of,
        delegation_id=row.delegation_id,
        final_authority=row.final_authority,
        status=TaskStatus(row.status),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        comment=row.comment,
        created_at=row.created_at,
        reminded_at=row.reminded_at,
        reminders_sent=row.reminders_sent,
        revision=row.revision,
    )


def _changing_values(task: Task) -> dict[str, Any]:
    return {
        "assignee_id": task.assignee_id,
        "on_behalf_of": task.on_behalf_of,
        "delegation_id": task.delegation_id,
        "status": task.status.value,
        "decided_by": task.decided_by,
        "decided_at": task.decided_at,
        "comment": task.comment,
    }


def _newest_after(column: Any, id_column: Any, after: TimeCursor | None) -> list[Any]:
    """The condition of a newest-first page that follows the item `after` names."""
    if after is None:
        return []
    at, last_id = after
    return [or_(column < at, and_(column == at, id_column < last_id))]


def _oldest_after(column: Any, id_column: Any, after: TimeCursor | None) -> list[Any]:
    """The condition of an oldest-first page that follows the item `after` names."""
    if after is None:
        return []
    at, last_id = after
    return [or_(column > at, and_(column == at, id_column > last_id))]


def _is_active(at: datetime | ColumnElement[Any]) -> ColumnElement[bool]:
    return and_(
        delegations.c.revoked_at.is_(None),
        delegations.c.starts_at <= at,
        delegations.c.ends_at > at,
    )


# Statements of the path every submission takes, built once so that SQLAlchemy finds them
# in its compiled cache without rebuilding them per call.
_APPROVERS_WITH_TASKS = select(tasks.c.approver_id).where(
    tasks.c.approval_id == bindparam("approval_id"),
    tasks.c.version == bindparam("version"),
    tasks.c.stage_index == bindparam("stage_index"),
)


def _active_delegations_where(delegator: ColumnElement[bool]) -> Select[Any]:
    return (
        select(delegations)
        .where(delegator, _is_active(bindparam("at", type_=delegations.c.starts_at.type)))
        .order_by(delegations.c.starts_at, delegations.c.id)
    )


# one delegator (a stage of one approver, the usual case) is asked with `=`: an expanding
# `IN` is rewritten for every call, which cost more than the query
_ACTIVE_DELEGATIONS_OF = _active_delegations_where(
    delegations.c.delegator_id.in_(bindparam("delegator_ids", expanding=True))
)
_ACTIVE_DELEGATIONS_OF_ONE = _active_delegations_where(
    delegations.c.delegator_id == bindparam("delegator_id")
)
_MANAGER_OF_LEAVER = select(departures.c.manager_id).where(
    departures.c.employee_id == bindparam("employee_id")
)


class SqlTaskRepository:
    """Tasks in the `tasks` table."""

    def __init__(self, session: SqlSession) -> None:
        self._session = session

    async def _select(self, *conditions: Any) -> list[Task]:
        rows = await self._session.execute(
            select(tasks).where(*conditions).order_by(tasks.c.created_at, tasks.c.id)
        )
        return [_task(row) for row in rows]

    async def get(self, task_id: str) -> Task | None:
        """The task with this id, if any."""
        found = await self._select(tasks.c.id == task_id)
        return found[0] if found else None

    async def of_document(self, approval_id: str) -> list[Task]:
        """Every task of a document, of every version."""
        return await self._select(tasks.c.approval_id == approval_id)

    async def approvers_with_tasks(
        self, approval_id: str, version: int, stage_index: int
    ) -> set[str]:
        """The approvers who already have a task in this stage of this version."""
        found = await self._session.scalars(
            _APPROVERS_WITH_TASKS,
            {"approval_id": approval_id, "version": version, "stage_index": stage_index},
        )
        return set(found)

    async def add(self, new_tasks: Sequence[Task]) -> None:
        """Store new tasks."""
        if not new_tasks:
            return
        await self._session.execute(
            insert(tasks),
            [
                {
                    "id": task.id,
                    "approval_id": task.approval_id,
                    "version": task.version,
                    "stage_index": task.stage_index,
                    "kind": task.kind,
                    "title": task.title,
                    "form": task.form,
                    "requester_id": task.requester.id,
                    "requester_name": task.requester.name,
                    "approver_id": task.approver_id,
                    "final_authority": task.final_authority,
                    "created_at": task.created_at,
                    "revision": task.revision,
                    **_changing_values(task),
                }
                for task in new_tasks
            ],
        )

    async def save(self, task: Task, *, was: TaskStatus) -> bool:
        """Store a changed task if it still has status `was` and the revision it was read at;
        False if it moved meanwhile. The stored revision, and the task's, go up by one."""
        result = cast(
            CursorResult[Any],
            await self._session.execute(
                update(tasks)
                .where(
                    tasks.c.id == task.id,
                    tasks.c.status == was.value,
                    tasks.c.revision == task.revision,
                )
                .values(**_changing_values(task), revision=task.revision + 1)
            ),
        )
        if result.rowcount != 1:
            return False
        task.revision += 1
        return True

    async def matching(
        self,
        approval_id: str,
        *,
        statuses: Collection[TaskStatus],
        version: int | None = None,
        stage_index: int | None = None,
        approvers: Collection[str] | None = None,
    ) -> list[Task]:
        """A document's tasks in these statuses, narrowed by version, stage and approvers."""
        conditions = [
            tasks.c.approval_id == approval_id,
            tasks.c.status.in_([s.value for s in statuses]),
        ]
        if version is not None:
            conditions.append(tasks.c.version == version)
        if stage_index is not None:
            conditions.append(tasks.c.stage_index == stage_index)
        if approvers is not None:
            conditions.append(tasks.c.approver_id.in_(list(approvers)))
        return await self._select(*conditions)

    async def reminders_due(
        self, at: datetime, *, every: timedelta, most: int, limit: int
    ) -> list[Task]:
        """Up to `limit` pending tasks whose next reminder is due at `at`, oldest first."""
        due = [
            and_(
                tasks.c.reminders_sent == sent,
                (tasks.c.created_at if sent == 0 else tasks.c.reminded_at)
                <= at - reminder_wait(every, sent),
            )
            for sent in range(most)
        ]
        if not due:
            return []
        rows = await self._session.execute(
            select(tasks)
            .where(tasks.c.status == TaskStatus.PENDING.value, or_(*due))
            .order_by(tasks.c.created_at, tasks.c.id)
            .limit(limit)
        )
        return [_task(row) for row in rows]

    async def save_reminder(self, task: Task, *, was: datetime | None) -> bool:
        """Store a pending task's reminder time if it was still `was`; False if not."""
        last_reminder = tasks.c.reminded_at.is_(None) if was is None else tasks.c.reminded_at == was
        result = cast(
            CursorResult[Any],
            await self._session.execute(
                update(tasks)
                .where(
                    tasks.c.id == task.id,
                    tasks.c.status == TaskStatus.PENDING.value,
                    tasks.c.revision == task.revision,
                    last_reminder,
                )
                .values(
                    reminded_at=task.reminded_at,
                    reminders_sent=task.reminders_sent,
                    revision=task.revision + 1,
                )
            ),
        )
        if result.rowcount != 1:
            return False
        task.revision += 1
        return True

    async def pending_held_by(self, employee_ids: Collection[str]) -> list[Task]:
        """Pending tasks these employees hold, whether outright or as delegates."""
        if not employee_ids:
            return []
        return await self._select(
            tasks.c.status == TaskStatus.PENDING.value,
            tasks.c.assignee_id.in_(list(employee_ids)),
        )

    async def pending_under(self, delegation_ids: Collection[str]) -> list[Task]:
        """Pending tasks handed over under these delegations."""
        if not delegation_ids:
            return []
        return await self._select(
            tasks.c.status == TaskStatus.PENDING.value,
            tasks.c.delegation_id.in_(list(delegation_ids)),
        )

    async def pending_versions(self) -> list[tuple[str, int]]:
        """Every `(approval_id, version)` with a pending task, in that order."""
        rows = await self._session.execute(
            select(tasks.c.approval_id, tasks.c.version)
            .where(tasks.c.status == TaskStatus.PENDING.value)
            .distinct()
            .order_by(tasks.c.approval_id, tasks.c.version)
        )
        return [(row.approval_id, row.version) for row in rows]

    async def pending_oldest_first(
        self, *, held_by_leavers: bool, after: TimeCursor | None, limit: int
    ) -> list[Task]:
        """Pending tasks, oldest `created_at` first, after `(created, id)`; with
        `held_by_leavers`, only those whose holder has left."""
        conditions = [tasks.c.status == TaskStatus.PENDING.value]
        if held_by_leavers:
            conditions.append(
                exists().where(departures.c.employee_id == tasks.c.assignee_id),
            )
        rows = await self._session.execute(
            select(tasks)
            .where(*conditions, *_oldest_after(tasks.c.created_at, tasks.c.id, after))
            .order_by(tasks.c.created_at, tasks.c.id)
            .limit(limit)
        )
        return [_task(row) for row in rows]

    async def inbox_pending(
        self, employee_id: str, *, after: TimeCursor | None, limit: int
    ) -> list[Task]:
        """Pending tasks the employee holds (not of their own documents), newest first, after
        `(created, id)`."""
        rows = await self._session.execute(inbox_pending_page(employee_id, after, limit))
        return [_task(row) for row in rows]

    async def inbox_done(
        self, employee_id: str, *, after: TimeCursor | None, limit: int
    ) -> list[Task]:
        """Tasks the employee decided, latest decision first, after `(decided, id)`."""
        rows = await self._session.execute(inbox_done_page(employee_id, after, limit))
        return [_task(row) for row in rows]


def inbox_pending_page(employee_id: str, after: TimeCursor | None, limit: int) -> Select[Any]:
    """One page of the pending inbox: a walk of the assignee index, newest first."""
    return (
        select(tasks)
        .where(
            tasks.c.assignee_id == employee_id,
            tasks.c.status == TaskStatus.PENDING.value,
            tasks.c.requester_id != employee_id,
            *_newest_after(tasks.c.created_at, tasks.c.id, after),
        )
        .order_by(tasks.c.created_at.desc(), tasks.c.id.desc())
        .limit(limit)
    )


def inbox_done_page(employee_id: str, after: TimeCursor | None, limit: int) -> Select[Any]:
    """One page of the decided inbox: a walk of the decider index, latest first."""
    return (
        select(tasks)
        .where(
            tasks.c.decided_by == employee_id,
            *_newest_after(tasks.c.decided_at, tasks.c.id, after),
        )
        .order_by(tasks.c.decided_at.desc(), tasks.c.id.desc())
        .limit(limit)
    )


def _delegation(row: Row[Any]) -> Delegation:
    return Delegation(
        id=row.id,
        delegator_id=row.delegator_id,
        delegate_id=row.delegate_id,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        reason=None if row.reason is None else DelegationReason(row.reason),
        reason_note=row.reason_note,
    )


class SqlDelegationRepository:
    """Delegations in the `delegations` table."""

    def __init__(self, session: SqlSession) -> None:
        self._session = session

    async def _select(self, *conditions: Any) -> list[Delegation]:
        rows = await self._session.execute(
            select(delegations)
            .where(*conditions)
            .order_by(delegations.c.starts_at, delegations.c.id)
        )
        return [_delegation(row) for row in rows]

    async def get(self, delegation_id: str) -> Delegation | None:
        """The delegation with this id, if any."""
        found = await self._select(delegations.c.id == delegation_id)
        return found[0] if found else None

    async def get_many(self, delegation_ids: Collection[str]) -> dict[str, Delegation]:
        """The delegations with these ids that exist, by id."""
        if not delegation_ids:
            return {}
        found = await self._select(delegations.c.id.in_(list(delegation_ids)))
        return {d.id: d for d in found}

    async def add(self, delegation: Delegation) -> None:
        """Store a new delegation."""
        await self._session.execute(
            insert(delegations).values(
                id=delegation.id,
                delegator_id=delegation.delegator_id,
                delegate_id=delegation.delegate_id,
                starts_at=delegation.starts_at,
                ends_at=delegation.ends_at,
                created_at=delegation.created_at,
                revoked_at=delegation.revoked_at,
                reason=None if delegation.reason is None else delegation.reason.value,
                reason_note=delegation.reason_note,
            )
        )

    async def save(self, delegation: Delegation) -> None:
        """Store the revocation of a delegation."""
        await self._session.execute(
            update(delegations)
            .where(delegations.c.id == delegation.id)
            .values(revoked_at=delegation.revoked_at)
        )

    async def unrevoked_of(self, delegator_id: str) -> list[Delegation]:
        """The delegator's delegations that were not revoked, past ones included."""
        return await self._select(
            delegations.c.delegator_id == delegator_id, delegations.c.revoked_at.is_(None)
        )

    async def active_of(self, delegator_ids: Collection[str], at: datetime) -> list[Delegation]:
        """The delegations of these delegators that are active at `at`."""
        if not delegator_ids:
            return []
        if len(delegator_ids) == 1:
            (delegator_id,) = delegator_ids
            rows = await self._session.execute(
                _ACTIVE_DELEGATIONS_OF_ONE, {"delegator_id": delegator_id, "at": at}
            )
        else:
            rows = await self._session.execute(
                _ACTIVE_DELEGATIONS_OF, {"delegator_ids": list(delegator_ids), "at": at}
            )
        return [_delegation(row) for row in rows]

    async def active(self, at: datetime) -> list[Delegation]:
        """Every delegation active at `at`."""
        return await self._select(_is_active(at))

    async def lapsed_holding_tasks(self, at: datetime) -> list[Delegation]:
        """Delegations no longer active at `at` that pending tasks are still handed over under."""
        holding = exists().where(
            tasks.c.delegation_id == delegations.c.id,
            tasks.c.status == TaskStatus.PENDING.value,
        )
        return await self._select(not_(_is_active(at)), holding)

    async def next_boundary(self, at: datetime) -> datetime | None:
        """The first start or end of an unrevoked delegation after `at`, if any."""
        unrevoked = delegations.c.revoked_at.is_(None)
        starts = await self._session.scalar(
            select(func.min(delegations.c.starts_at)).where(unrevoked, delegations.c.starts_at > at)
        )
        ends = await self._session.scalar(
            select(func.min(delegations.c.ends_at)).where(unrevoked, delegations.c.ends_at > at)
        )
        found = [value for value in (starts, ends) if value is not None]
        return min(found, default=None)

    async def current_involving(self, employee_id: str, at: datetime) -> list[Delegation]:
        """Unrevoked delegations not yet over at `at` with the employee on either side."""
        return await self._select(
            or_(
                delegations.c.delegator_id == employee_id, delegations.c.delegate_id == employee_id
            ),
            delegations.c.revoked_at.is_(None),
            delegations.c.ends_at > at,
        )

    async def involving(
        self, employee_id: str, *, after: TimeCursor | None, limit: int
    ) -> list[Delegation]:
        """Delegations given or received by the employee, newest first, after `(created, id)`:
        the newest of two index walks, one per side, each stopping at `limit`."""
        found: dict[str, Delegation] = {}
        for side in (delegations.c.delegator_id, delegations.c.delegate_id):
            rows = await self._session.execute(delegations_page(side, employee_id, after, limit))
            found.update((row.id, _delegation(row)) for row in rows)
        newest = sorted(found.values(), key=lambda d: (d.created_at, d.id), reverse=True)
        return newest[:limit]


def delegations_page(
    side: Column[str], employee_id: str, after: TimeCursor | None, limit: int
) -> Select[Any]:
    """One page of the delegations with the employee on one `side`, newest first."""
    return (
        select(delegations)
        .where(
            side == employee_id, *_newest_after(delegations.c.created_at, delegations.c.id, after)
        )
        .order_by(delegations.c.created_at.desc(), delegations.c.id.desc())
        .limit(limit)
    )


class SqlDepartureRepository:
    """Leavers in the `departures` table."""

    def __init__(self, session: SqlSession) -> None:
        self._session = session

    async def record(self, employee_id: str, manager_id: str | None, at: datetime) -> None:
        """Remember that the employee left and whose their work became."""
        known = await self._session.scalar(
            select(departures.c.employee_id).where(departures.c.employee_id == employee_id)
        )
        if known is None:
            await self._session.execute(
                insert(departures).values(
                    employee_id=employee_id, manager_id=manager_id, departed_at=at
                )
            )
        else:
            await self._session.execute(
                update(departures)
                .where(departures.c.employee_id == employee_id)
                .values(manager_id=manager_id, departed_at=at)
            )

    async def chain_from(self, employee_id: str) -> dict[str, str | None]:
        """The leavers met walking up from `employee_id`, each with their manager."""
        chain: dict[str, str | None] = {}
        current: str | None = employee_id
        # one query per leaver on the way: chains of leavers are short, and a loop ends it
        while current is not None and current not in chain:
            row = (
                await self._session.execute(_MANAGER_OF_LEAVER, {"employee_id": current})
            ).first()
            if row is None:
                break
            chain[current] = row.manager_id
            current = row.manager_id
        return chain
