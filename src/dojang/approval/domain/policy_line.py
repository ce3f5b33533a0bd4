"""A line held against a policy: the policy's own line, and whether a requested line keeps
every mandatory approver.

The approval service resolves each mandatory stage of `Policy.evaluate` to an employee (a
`Mandatory`); this module is pure. A requested line keeps the policy when every mandatory
approver is in it, in a stage of the kind the rule asks for, and the mandatory approvers
come in the policy's order. Anything else the drafter may add: more approvers, more 합의,
stages between the mandatory ones. Removing or replacing a mandatory approver is refused,
naming the rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dojang.approval.domain.line import ApprovalLine, StageKind
from dojang.kernel.errors import FieldError
from dojang.kernel.i18n import msg


@dataclass(frozen=True)
class Mandatory:
    """One mandatory stage resolved: the rule that asks for it, its kind, its approver, and
    whether that approver holds 전결 in the document's band."""

    rule: str
    kind: StageKind
    approver_id: str
    final: bool = False


def policy_line(mandatory: Sequence[Mandatory]) -> list[dict[str, object]]:
    """The policy's own line (API shape): one stage per mandatory approver in order, with
    전결 for its holders. An approver asked for twice keeps their first stage."""
    stages: list[dict[str, object]] = []
    seen: set[str] = set()
    for stage in mandatory:
        if stage.approver_id in seen:
            continue
        seen.add(stage.approver_id)
        stages.append(
            {
                "kind": stage.kind.value,
                "approvers": [stage.approver_id],
                "rule": "all",
                "final_authority": [stage.approver_id] if stage.final else [],
            }
        )
    return stages


def policy_breaches(line: ApprovalLine, mandatory: Sequence[Mandatory]) -> list[FieldError]:
    """Every way `line` breaks the policy, each naming the rule; empty if it keeps it."""
    where: dict[str, tuple[int, StageKind]] = {}
    for index, step in enumerate(line.stages):
        for approver in step.approver_ids:
            where.setdefault(approver, (index, step.kind))
    errors: list[FieldError] = []
    last_index = -1
    last_rule = ""
    for need in mandatory:
        found = where.get(need.approver_id)
        if found is None:
            errors.append(
                FieldError.of(
                    "line",
                    msg(
                        "the rule {rule} requires {employee_id}; a mandatory approver may not "
                        "be removed or replaced",
                        rule=need.rule,
                        employee_id=need.approver_id,
                    ),
                )
            )
            continue
        index, kind = found
        if kind is not need.kind:
            errors.append(
                FieldError.of(
                    f"line[{index}].kind",
                    msg(
                        "the rule {rule} requires {employee_id} in a {kind} stage",
                        rule=need.rule,
                        employee_id=need.approver_id,
                        kind=need.kind.value,
                    ),
                )
            )
        if index < last_index:
            errors.append(
                FieldError.of(
                    f"line[{index}]",
                    msg(
                        "the rule {rule} comes after the rule {before}; mandatory stages "
                        "keep the policy's order",
                        rule=need.rule,
                        before=last_rule,
                    ),
                )
            )
        if index >= last_index:
            last_index, last_rule = index, need.rule
    return errors
