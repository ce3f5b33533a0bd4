"""Default approval lines: who approves a document when the requester names nobody.

Pure rules over a snapshot of the organisation (the requester's manager chain and their
department's head), so that they can be tested without one. Every default stage is a 결재
stage of one approver with the rule `all`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dojang.approval.domain.forms import FormCode
from dojang.kernel.errors import FieldError, InvalidInput

# Positions that count as "a director" for large expenses: 이사 and 대표.
DIRECTOR_POSITIONS = frozenset({"director", "ceo"})


@dataclass(frozen=True)
class OrgMember:
    """What the rules need to know about one employee."""

    id: str
    position: str
    active: bool = True


class NoDefaultLine(InvalidInput):
    """Nobody above the requester can approve: they must name their own line."""

    def __init__(self) -> None:
        message = (
            "nobody in the organisation can approve this by default (the requester has no "
            "manager or department head); send a `line` naming the approvers"
        )
        super().__init__(message, errors=[FieldError("line", message)])


def default_approvers(
    form: FormCode,
    requester_id: str,
    chain: Sequence[OrgMember],
    department_head: OrgMember | None,
    *,
    needs_director: bool = False,
) -> list[str]:
    """The approvers of the default line, one per stage in order; `NoDefaultLine` if none.

    `chain` is the requester's managers, nearest first. Deactivated employees and the
    requester are passed over; nobody appears twice.
    - general, expense: the nearest manager, then the department head; an expense that
      `needs_director` adds the nearest director (or higher) of the chain at the end.
    - leave: the managers up to and including the department head; when the head is not in
      the chain, the nearest manager and then the head.
    """
    managers = [member for member in chain if member.active and member.id != requester_id]
    head = (
        department_head
        if department_head is not None
        and department_head.active
        and department_head.id != requester_id
        else None
    )
    picked: list[OrgMember] = managers[:1]
    manager_ids = [member.id for member in managers]
    if form is FormCode.LEAVE and head is not None and head.id in manager_ids:
        picked = managers[: manager_ids.index(head.id) + 1]
    elif head is not None:
        picked.append(head)
    if form is FormCode.EXPENSE and needs_director:
        director = next((m for m in managers if m.position in DIRECTOR_POSITIONS), None)
        if director is not None:
            picked.append(director)
    approvers = list(dict.fromkeys(member.id for member in picked))
    if not approvers:
        raise NoDefaultLine()
    return approvers


def single_approver_stages(approvers: Sequence[str]) -> list[dict[str, object]]:
    """A requested line (API shape) with one 결재 stage per approver."""
    return [{"kind": "approval", "approvers": [approver], "rule": "all"} for approver in approvers]
