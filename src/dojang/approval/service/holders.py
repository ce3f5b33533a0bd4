"""Who holds each slot of a stage the moment it opens: the approver, their successor after a
departure, or whoever stands in for them under an active 대결.

Approval-processing owns who holds each slot and reports every change (`tasks_assigned`).
This is only the first record, made in the same transaction that opens the stage, from the
read models this service keeps: so the people the document shows as active can decide at
once, and they are told it is their turn without waiting for a round trip.
"""

from __future__ import annotations

from datetime import datetime

from dojang.approval.domain.document import ApprovalDocument, Person, TaskHolder
from dojang.approval.domain.line import Transition
from dojang.approval.service import events
from dojang.approval.service.unit_of_work import ApprovalUnitOfWork, Outgoing
from dojang.kernel.ports import OrgChart


class SlotHolders:
    """Finds and records the holders of newly opened slots."""

    def __init__(self, org: OrgChart) -> None:
        self._org = org

    async def person(self, employee_id: str) -> Person:
        """The employee as notices name them; the id stands in for an unknown name."""
        found = await self._org.get_employees([employee_id])
        view = found.get(employee_id)
        return Person(employee_id, view.name if view is not None else employee_id)

    async def open_stage(
        self,
        uow: ApprovalUnitOfWork,
        document: ApprovalDocument,
        transition: Transition,
        *,
        at: datetime,
    ) -> list[Outgoing]:
        """Record the holders of the slots `transition` opened; the `your_turn` to send them."""
        if not transition.opened:
            return []
        requester = document.requester.id
        approvers = [task.employee_id for task in transition.opened]
        people = await self._org.get_employees(approvers)
        holders: dict[str, str] = {}
        for approver in approvers:
            view = people.get(approver)
            holders[approver] = approver
            if view is not None and not view.active:
                holders[approver] = await self._successor(approver, requester)
        delegations = await uow.delegations.active_of(set(holders.values()), at)
        found: list[TaskHolder] = []
        for approver, holder in holders.items():
            delegation = delegations.get(holder)
            if delegation is not None and delegation.delegate_id != requester:
                holder = delegation.delegate_id
            found.append(TaskHolder.of(approver, holder))
        document.hold_slots(found)
        stage_index = transition.opened[0].stage_index
        recipients = list(dict.fromkeys(holder.assignee_id for holder in found))
        return [events.your_turn(document, stage_index, recipients, at=at)]

    async def _successor(self, approver: str, requester: str) -> str:
        """The first active manager above a departed approver; the approver if none may."""
        for manager in await self._org.manager_chain(approver):
            if manager.active:
                return approver if manager.id == requester else manager.id
        return approver
