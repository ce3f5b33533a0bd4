"""An approver's task (결재 건): opened for a stage, held by someone, decided or cancelled."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from dojang.kernel.errors import InvalidInput
from dojang.processing.domain.delegations import Delegation
from dojang.processing.domain.errors import TaskNotPending

MAX_TITLE_LENGTH = 300
MAX_COMMENT_LENGTH = 2_000


class TaskStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class Decision(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Person:
    """Someone named on a document: `{id, name}`."""

    id: str
    name: str


def reminder_wait(every: timedelta, sent: int) -> timedelta:
    """How long a task waits for its next reminder after `sent` of them: `every`, then
    twice that, four times, and so on."""
    return every * float(2**sent)


@dataclass
class Task:
    """One approver's part in one stage of one version of a document.

    `approver_id` is the line member; `assignee_id` is who holds the task now: the approver,
    a delegate under a 대결 (`delegation_id` names it), or a manager after a deactivation.
    `on_behalf_of` is the approver whenever someone else holds or decided the task.
    """

    id: str
    approval_id: str
    version: int
    stage_index: int
    kind: str
    title: str
    form: str
    requester: Person
    approver_id: str
    assignee_id: str
    on_behalf_of: str | None
    final_authority: bool
    status: TaskStatus
    created_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    comment: str | None = None
    delegation_id: str | None = None
    reminded_at: datetime | None = None
    reminders_sent: int = 0
    # the stored revision this task was read at; every write compares and sets it
    revision: int = 1

    @classmethod
    def open(
        cls,
        *,
        task_id: str,
        approval_id: str,
        version: int,
        stage_index: int,
        kind: str,
        title: str,
        form: str,
        requester: Person,
        approver_id: str,
        final_authority: bool,
        holder_id: str,
        delegation: Delegation | None,
        at: datetime,
    ) -> Task:
        """A pending task for `approver_id`, held by `holder_id` or by their active delegate."""
        task = cls(
            id=task_id,
            approval_id=approval_id,
            version=version,
            stage_index=stage_index,
            kind=kind,
            title=title,
            form=form,
            requester=requester,
            approver_id=approver_id,
            assignee_id=holder_id,
            on_behalf_of=None,
            final_authority=final_authority,
            status=TaskStatus.PENDING,
            created_at=at,
        )
        task._hold(holder_id, delegation, at)
        return task

    def reopen(self, *, holder_id: str, delegation: Delegation | None, at: datetime) -> bool:
        """Make a decided or cancelled task pending again, held as a newly opened one is: the
        line, which approval-request owns, says its slot is still open. False if pending."""
        if self.is_pending:
            return False
        self.status = TaskStatus.PENDING
        self.decided_by = None
        self.decided_at = None
        self.comment = None
        self._hold(holder_id, delegation, at)
        return True

    def _hold(self, holder_id: str, delegation: Delegation | None, at: datetime) -> None:
        """Put the task in `holder_id`'s hands, or their delegate's under `delegation`."""
        self.hand_to(holder_id)
        if delegation is not None and self.may_be_delegated(delegation, at):
            self.hand_to(delegation.delegate_id, delegation_id=delegation.id)

    @property
    def is_pending(self) -> bool:
        """Whether the task still waits for a decision."""
        return self.status is TaskStatus.PENDING

    def holder(self, delegation: Delegation | None, at: datetime) -> str:
        """Who holds the task at `at`, given the delegation it was handed over under.

        A task handed to a delegate goes back to the delegator as soon as the delegation is
        no longer active, even before the change is stored.
        """
        if (
            self.delegation_id is not None
            and delegation is not None
            and delegation.id == self.delegation_id
            and not delegation.is_active(at)
        ):
            return delegation.delegator_id
        return self.assignee_id

    def reminder_due(self, at: datetime, *, every: timedelta, most: int) -> bool:
        """Whether the holder of this pending task is to be reminded of it at `at`.

        A task is due once it has waited `every` since it was opened; each later reminder
        waits twice as long after the one before (`reminder_wait`), and after `most`
        reminders there are none.
        """
        if not self.is_pending or self.reminders_sent >= most:
            return False
        last = self.reminded_at or self.created_at
        return at - last >= reminder_wait(every, self.reminders_sent)

    def remind(self, at: datetime) -> None:
        """Record that the holder was reminded at `at`."""
        self.reminded_at = at
        self.reminders_sent += 1

    def may_be_delegated(self, delegation: Delegation, at: datetime) -> bool:
        """Whether this pending task, held outright by the delegator, goes to the delegate.

        Never to the requester: nobody decides their own document, not even as a delegate.
        """
        return (
            self.is_pending
            and self.delegation_id is None
            and delegation.is_active(at)
            and delegation.delegator_id == self.assignee_id
            and delegation.delegate_id != self.requester.id
        )

    def hand_to(self, assignee_id: str, *, delegation_id: str | None = None) -> None:
        """Make `assignee_id` the holder, under a delegation or outright."""
        self.assignee_id = assignee_id
        self.delegation_id = delegation_id
        self.on_behalf_of = self.approver_id if assignee_id != self.approver_id else None

    def may_be_held_by(self, employee_id: str) -> bool:
        """Whether `employee_id` may hold this task: anyone but the document's requester,
        since nobody decides their own document."""
        return employee_id != self.requester.id

    def reassign(self, assignee_id: str) -> bool:
        """Hand this pending task to `assignee_id` outright, as an administrator does with a
        task left with someone who cannot decide it; False if they hold it so already.

        `TaskNotPending` (409) once decided or cancelled; `InvalidInput` (422) for the
        document's requester.
        """
        if not self.is_pending:
            raise TaskNotPending(self.id, self.status.value)
        if not self.may_be_held_by(assignee_id):
            raise InvalidInput.field(
                "assignee_id", "the document's requester cannot hold a task of it"
            )
        if self.assignee_id == assignee_id and self.delegation_id is None:
            return False
        self.hand_to(assignee_id)
        return True

    def successor_after_departure(self, manager_id: str | None) -> str | None:
        """Who takes the task over when its holder leaves: their manager, if they may."""
        if manager_id is None or not self.may_be_held_by(manager_id):
            return None
        return manager_id

    def record_decision(
        self, decision: Decision, *, by: str, at: datetime, comment: str | None
    ) -> bool:
        """Record the decision the approval-request service took on this task's slot, made
        by `by` (the approver or the holder in their place); False if it was not pending."""
        if not self.is_pending:
            return False
        self.status = TaskStatus(decision.value)
        self.decided_by = by
        self.decided_at = at
        self.comment = comment
        self.on_behalf_of = self.approver_id if by != self.approver_id else None
        return True

    def cancel(self) -> bool:
        """Close a pending task without a decision; False if it was not pending."""
        if not self.is_pending:
            return False
        self.status = TaskStatus.CANCELLED
        return True

    def on_behalf_of_for(self, viewer_id: str) -> str | None:
        """Whose task this is, as `viewer_id` sees it: None when it is their own."""
        return None if viewer_id == self.approver_id else self.approver_id


def successor(employee_id: str, departed: Mapping[str, str | None]) -> str | None:
    """Who holds work meant for `employee_id`: themselves, or after they left, their manager.

    A manager who left as well passes it on to theirs. None when the chain of leavers ends
    without a manager, or loops.
    """
    current: str | None = employee_id
    seen: set[str] = set()
    while current is not None and current in departed:
        if current in seen:
            return None
        seen.add(current)
        current = departed[current]
    return current
