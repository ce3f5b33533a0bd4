"""Default approval lines: who approves a document when the requester names nobody.

Pure rules over a snapshot of the organisation (the requester's manager chain and their
department's head), so that they can be tested without one. Every default stage is a 결재
stage of one approver with the rule `all`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from dojang.approval.domain.forms import FormCode
from dojang.kernel.errors import FieldError, InvalidInput
from dojang.kernel.i18n import msg

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
        message = msg(
            "nobody in the organisation can approve this by default (the requester has no "
            "manager or department head); send a `line` naming the approvers"
        )
        super().__init__(message.template, errors=[FieldError.of("line", message)])


class RouteReason(StrEnum):
    """Why the default line has an approver."""

    NEAREST_MANAGER = "nearest_manager"
    MANAGER_BELOW_HEAD = "manager_below_head"
    DEPARTMENT_HEAD = "department_head"
    DIRECTOR_FOR_LARGE_EXPENSE = "director_for_large_expense"


class PassReason(StrEnum):
    """Why someone the rules would have picked is not on the default line."""

    DEACTIVATED = "deactivated"
    IS_REQUESTER = "is_requester"
    NO_DIRECTOR = "no_director"


@dataclass(frozen=True)
class RoutedApprover:
    """One approver of the default line and every rule that picked them."""

    id: str
    reasons: tuple[RouteReason, ...]


@dataclass(frozen=True)
class PassedOver:
    """Someone (or, for `NO_DIRECTOR`, a role) the rules could not use."""

    reason: PassReason
    id: str | None = None


@dataclass(frozen=True)
class Route:
    """The default line's approvers, one per stage in order, and who was passed over."""

    approvers: tuple[RoutedApprover, ...]
    passed_over: tuple[PassedOver, ...] = ()

    @property
    def approver_ids(self) -> list[str]:
        """The approvers' ids in order."""
        return [approver.id for approver in self.approvers]


def default_route(
    form: FormCode,
    requester_id: str,
    chain: Sequence[OrgMember],
    department_head: OrgMember | None,
    *,
    needs_director: bool = False,
) -> Route:
    """The default line and why each approver is on it; `NoDefaultLine` if nobody is.

    `chain` is the requester's managers, nearest first. Deactivated employees and the
    requester are passed over; nobody appears twice.
    - general, expense: the nearest manager, then the department head; an expense that
      `needs_director` adds the nearest director (or higher) of the chain at the end.
    - leave: the managers up to and including the department head; when the head is not in
      the chain, the nearest manager and then the head.
    """
    passed: list[PassedOver] = []
    managers = [member for member in chain if member.active and member.id != requester_id]
    head = department_head
    if head is not None and not head.active:
        if all(m.id != head.id for m in chain):
            passed.append(PassedOver(PassReason.DEACTIVATED, head.id))
        head = None
    elif head is not None and head.id == requester_id:
        passed.append(PassedOver(PassReason.IS_REQUESTER, head.id))
        head = None
    picked: list[tuple[str, RouteReason]] = []
    if managers:
        picked.append((managers[0].id, RouteReason.NEAREST_MANAGER))
    manager_ids = [member.id for member in managers]
    if form is FormCode.LEAVE and head is not None and head.id in manager_ids:
        below_head = manager_ids[1 : manager_ids.index(head.id)]
        picked.extend((member, RouteReason.MANAGER_BELOW_HEAD) for member in below_head)
    if head is not None:
        picked.append((head.id, RouteReason.DEPARTMENT_HEAD))
    if form is FormCode.EXPENSE and needs_director:
        director = next((m for m in managers if m.position in DIRECTOR_POSITIONS), None)
        if director is None:
            passed.append(PassedOver(PassReason.NO_DIRECTOR))
        else:
            picked.append((director.id, RouteReason.DIRECTOR_FOR_LARGE_EXPENSE))
    reasons: dict[str, list[RouteReason]] = {}
    for approver, reason in picked:
        reasons.setdefault(approver, []).append(reason)
    if not reasons:
        raise NoDefaultLine()
    # The deactivated managers the rules stepped over: nearer than the farthest one picked.
    chain_ids = [member.id for member in chain]
    reach = max((chain_ids.index(a) for a in reasons if a in chain_ids), default=len(chain))
    skipped = [PassedOver(PassReason.DEACTIVATED, m.id) for m in chain[:reach] if not m.active]
    return Route(
        approvers=tuple(RoutedApprover(a, tuple(why)) for a, why in reasons.items()),
        passed_over=(*skipped, *passed),
    )


def default_approvers(
    form: FormCode,
    requester_id: str,
    chain: Sequence[OrgMember],
    department_head: OrgMember | None,
    *,
    needs_director: bool = False,
) -> list[str]:
    """The approvers of the default line (`default_route`), one per stage in order."""
    route = default_route(form, requester_id, chain, department_head, needs_director=needs_director)
    return route.approver_ids


def single_approver_stages(approvers: Sequence[str]) -> list[dict[str, object]]:
    """A requested line (API shape) with one 결재 stage per approver."""
    return [{"kind": "approval", "approvers": [approver], "rule": "all"} for approver in approvers]
