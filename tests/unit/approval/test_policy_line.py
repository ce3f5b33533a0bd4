"""A requested line held against a policy's mandatory stages: additions pass, removing,
replacing, demoting or reordering a mandatory approver is refused naming the rule."""

from __future__ import annotations

from typing import Any

import pytest

from dojang.approval.domain.line import ApprovalLine, StageKind
from dojang.approval.domain.policy_line import Mandatory, policy_breaches, policy_line
from dojang.kernel.i18n import Message

HEAD = Mandatory("부서장 결재", StageKind.APPROVAL, "head")
FINANCE = Mandatory("재무 합의", StageKind.AGREEMENT, "fin_head")
DIRECTOR = Mandatory("본부장 결재", StageKind.APPROVAL, "director")
MANDATORY = [HEAD, FINANCE, DIRECTOR]


def _stage(kind: str, *approvers: str) -> dict[str, Any]:
    return {"kind": kind, "approvers": list(approvers), "rule": "all"}


def _breaches(*stages: dict[str, Any]) -> list[tuple[str, str]]:
    line = ApprovalLine.build("staff", list(stages))
    return [(e.field, e.message) for e in policy_breaches(line, MANDATORY)]


def test_the_policy_line_keeps_the_policy_and_carries_final_authority() -> None:
    stages = policy_line([Mandatory("부서장 결재", StageKind.APPROVAL, "head", final=True)])
    assert stages == [
        {"kind": "approval", "approvers": ["head"], "rule": "all", "final_authority": ["head"]}
    ]
    line = ApprovalLine.build("staff", policy_line(MANDATORY))
    assert policy_breaches(line, MANDATORY) == []
    assert [stage.kind for stage in line.stages] == [
        StageKind.APPROVAL,
        StageKind.AGREEMENT,
        StageKind.APPROVAL,
    ]


def test_an_approver_asked_for_by_two_rules_gets_one_stage() -> None:
    twice = [HEAD, Mandatory("다른 규칙", StageKind.APPROVAL, "head")]
    assert len(policy_line(twice)) == 1


def test_the_drafter_may_add_approvers_agreements_and_stages() -> None:
    assert (
        _breaches(
            _stage("approval", "manager"),
            _stage("approval", "head", "peer"),
            _stage("agreement", "fin_head", "legal"),
            _stage("agreement", "hr"),
            _stage("approval", "director"),
        )
        == []
    )


@pytest.mark.parametrize("cut", ["head", "fin_head", "director"])
def test_removing_any_mandatory_approver_is_refused_naming_its_rule(cut: str) -> None:
    stages = [
        _stage(kind, who)
        for kind, who in (("approval", "head"), ("agreement", "fin_head"), ("approval", "director"))
        if who != cut
    ]
    breaches = _breaches(*stages)
    rule = next(m.rule for m in MANDATORY if m.approver_id == cut)
    assert len(breaches) == 1
    assert breaches[0][0] == "line"
    assert rule in str(policy_breaches(ApprovalLine.build("staff", stages), MANDATORY)[0].params)


@pytest.mark.parametrize("replaced", ["head", "fin_head", "director"])
def test_replacing_a_mandatory_approver_is_refused(replaced: str) -> None:
    stages = [
        _stage(kind, "colleague" if who == replaced else who)
        for kind, who in (("approval", "head"), ("agreement", "fin_head"), ("approval", "director"))
    ]
    assert [field for field, _ in _breaches(*stages)] == ["line"]


def test_a_finance_agreement_made_an_approval_is_refused() -> None:
    breaches = _breaches(
        _stage("approval", "head"), _stage("approval", "fin_head"), _stage("approval", "director")
    )
    assert breaches == [
        ("line[1].kind", "the rule {rule} requires {employee_id} in a {kind} stage")
    ]


def test_mandatory_stages_keep_the_policy_order() -> None:
    breaches = _breaches(
        _stage("approval", "director"), _stage("agreement", "fin_head"), _stage("approval", "head")
    )
    assert [field for field, _ in breaches] == ["line[1]", "line[0]"]


def test_a_breach_reads_in_korean() -> None:
    line = ApprovalLine.build("staff", [_stage("approval", "head")])
    first = policy_breaches(line, MANDATORY)[0]
    text = Message(first.message, first.params).render("ko")
    assert text.startswith("재무 합의 규칙에 따라 fin_head")
