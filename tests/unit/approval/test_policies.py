"""결재 규정 as data: reading and checking a policy, its trace, its defaults, and its store
with the revision check on every store of the approval service."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from dojang.approval.domain.line import StageKind
from dojang.approval.domain.policies import (
    ApproverRole,
    Facts,
    Policy,
    PolicyRevisionConflict,
)
from dojang.approval.domain.policy_defaults import FINANCE_DEPARTMENT, default_policy
from dojang.approval.service.policies import PolicyService
from dojang.kernel.errors import InvalidInput, NotFound
from tests.unit.approval.fakes import Harness

AT = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def _expense() -> Policy:
    policy = default_policy("expense")
    assert policy is not None
    return policy


def _roles(policy: Policy, amount: int) -> list[tuple[ApproverRole, StageKind, str | None]]:
    found = policy.evaluate(Facts(amount=Decimal(amount), category="supplies"))
    return [(stage.role, stage.kind, stage.value) for _, stage in found.stages]


HEAD = (ApproverRole.DEPARTMENT_HEAD, StageKind.APPROVAL, None)
FINANCE = (ApproverRole.DEPARTMENT, StageKind.AGREEMENT, FINANCE_DEPARTMENT)
DIRECTOR = (ApproverRole.DIRECTOR, StageKind.APPROVAL, None)
CEO = (ApproverRole.CEO, StageKind.APPROVAL, None)


@pytest.mark.parametrize(
    ("amount", "stages"),
    [
        (999_999, [HEAD]),
        (1_000_000, [HEAD, FINANCE]),
        (2_999_999, [HEAD, FINANCE]),
        (3_000_000, [HEAD, FINANCE, DIRECTOR]),
        (5_000_000, [HEAD, FINANCE, DIRECTOR]),
        (10_000_000, [HEAD, FINANCE, DIRECTOR, CEO]),
    ],
)
def test_the_default_expense_policy_selects_its_stages_by_amount_band(
    amount: int, stages: list[tuple[ApproverRole, StageKind, str | None]]
) -> None:
    assert _roles(_expense(), amount) == stages


def test_the_department_head_holds_final_authority_only_below_one_million() -> None:
    below = _expense().evaluate(Facts(amount=Decimal(999_999)))
    at = _expense().evaluate(Facts(amount=Decimal(1_000_000)))
    assert [band.role for band in below.final_authority] == [ApproverRole.DEPARTMENT_HEAD]
    assert at.final_authority == ()


def test_leave_and_general_need_the_manager() -> None:
    for form in ("leave", "general"):
        policy = default_policy(form)
        assert policy is not None
        stages = policy.evaluate(Facts()).stages
        assert [stage.role for _, stage in stages] == [ApproverRole.MANAGER]


def test_the_trace_names_every_rule_and_says_why_in_korean() -> None:
    trace = _expense().evaluate(Facts(amount=Decimal(5_000_000))).trace
    assert [(verdict.name, verdict.matched) for verdict in trace] == [
        ("부서장 결재", True),
        ("재무 합의 (100만 원 이상)", True),
        ("본부장 결재 (300만 원 이상)", True),
        ("대표이사 결재 (1,000만 원 이상)", False),
    ]
    assert trace[3].reasons[0].render("ko") == (
        "금액 5000000이(가) 10000000 이상 - 미만 구간에 해당하지 않습니다."
    )
    assert trace[0].reasons[0].render("en") == "the rule always applies"


def test_conditions_on_category_and_department_must_all_hold() -> None:
    policy = Policy.from_data(
        "expense",
        {
            "rules": [
                {
                    "name": "장비",
                    "when": {"categories": ["equipment"], "departments": ["dept-dev"]},
                    "stages": [{"role": "position", "value": "CTO"}],
                }
            ]
        },
    )
    assert policy.evaluate(Facts(category="equipment", department_id="dept-dev")).stages
    assert not policy.evaluate(Facts(category="equipment", department_id="dept-sales")).stages
    assert not policy.evaluate(Facts(category="meals", department_id="dept-dev")).stages


def test_a_policy_reads_back_what_it_writes() -> None:
    policy = _expense()
    again = Policy.from_data("expense", policy.to_data(), revision=policy.revision)
    assert again == policy


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"rules": []}, "rules"),
        ({"rules": [{"name": "", "stages": [{"role": "manager"}]}]}, "rules[0].name"),
        ({"rules": [{"name": "a", "stages": []}]}, "rules[0].stages"),
        ({"rules": [{"name": "a", "stages": [{"role": "boss"}]}]}, "rules[0].stages[0].role"),
        (
            {"rules": [{"name": "a", "stages": [{"role": "manager", "kind": "x"}]}]},
            "rules[0].stages[0].kind",
        ),
        ({"rules": [{"name": "a", "stages": [{"role": "person"}]}]}, "rules[0].stages[0].value"),
        (
            {"rules": [{"name": "a", "stages": [{"role": "ceo", "value": "x"}]}]},
            "rules[0].stages[0].value",
        ),
        (
            {
                "rules": [
                    {"name": "a", "stages": [{"role": "ceo"}]},
                    {"name": "a", "stages": [{"role": "ceo"}]},
                ]
            },
            "rules[1].name",
        ),
        (
            {
                "rules": [
                    {
                        "name": "a",
                        "when": {"amount_from": 5, "amount_below": 5},
                        "stages": [{"role": "ceo"}],
                    }
                ]
            },
            "rules[0].when.amount_below",
        ),
        (
            {"rules": [{"name": "a", "when": {"colour": 1}, "stages": [{"role": "ceo"}]}]},
            "rules[0].when.colour",
        ),
        (
            {"rules": [{"name": "a", "when": {"amount_from": -1}, "stages": [{"role": "ceo"}]}]},
            "rules[0].when.amount_from",
        ),
        (
            {"rules": [{"name": "a", "stages": [{"role": "ceo"}]}], "final_authority": {}},
            "final_authority",
        ),
    ],
)
def test_a_bad_policy_is_refused_naming_the_field(data: dict[str, Any], path: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        Policy.from_data("expense", data)
    assert path in [error.field for error in refused.value.errors]


def _policies(harness: Harness) -> PolicyService:
    assert harness.service.policies is not None
    return harness.service.policies


def _one_rule(name: str) -> dict[str, Any]:
    return {"rules": [{"name": name, "stages": [{"role": "manager"}]}]}


async def test_a_form_has_its_default_policy_until_an_edit_is_stored(harness: Harness) -> None:
    policies = _policies(harness)
    assert await policies.policy("expense") == _expense()
    saved = await policies.edit("expense", _one_rule("첫 수정"), revision=0, by="admin", at=AT)
    assert saved.revision == 1
    again = await policies.policy("expense")
    assert again.revision == 1
    assert [rule.name for rule in again.rules] == ["첫 수정"]
    second = await policies.edit("expense", _one_rule("둘째"), revision=1, by="admin", at=AT)
    assert second.revision == 2
    assert (await policies.policy("expense")).rules[0].name == "둘째"


async def test_an_edit_of_an_old_revision_is_refused_and_changes_nothing(
    harness: Harness,
) -> None:
    policies = _policies(harness)
    await policies.edit("general", _one_rule("먼저"), revision=0, by="admin", at=AT)
    await policies.edit("general", _one_rule("다음"), revision=1, by="admin", at=AT)
    for stale in (0, 1, 7):
        with pytest.raises(PolicyRevisionConflict):
            await policies.edit("general", _one_rule("늦게"), revision=stale, by="b", at=AT)
    stored = await policies.policy("general")
    assert (stored.revision, stored.rules[0].name) == (2, "다음")


async def test_of_two_edits_of_one_revision_at_once_one_wins(harness: Harness) -> None:
    policies = _policies(harness)
    await policies.edit("leave", _one_rule("기준"), revision=0, by="admin", at=AT)
    for revision in (1, 2):
        outcomes = await asyncio.gather(
            policies.edit("leave", _one_rule("가"), revision=revision, by="a", at=AT),
            policies.edit("leave", _one_rule("나"), revision=revision, by="b", at=AT),
            return_exceptions=True,
        )
        won = [outcome for outcome in outcomes if isinstance(outcome, Policy)]
        lost = [o for o in outcomes if isinstance(o, PolicyRevisionConflict)]
        assert len(won) == 1
        assert len(lost) == 1
        stored = await policies.policy("leave")
        assert stored == won[0]


async def test_two_first_edits_at_once_store_one(harness: Harness) -> None:
    policies = _policies(harness)
    outcomes = await asyncio.gather(
        policies.edit("expense", _one_rule("가"), revision=0, by="a", at=AT),
        policies.edit("expense", _one_rule("나"), revision=0, by="b", at=AT),
        return_exceptions=True,
    )
    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "Policy",
        "PolicyRevisionConflict",
    ]


async def test_an_unknown_form_has_no_policy(harness: Harness) -> None:
    with pytest.raises(NotFound):
        await _policies(harness).policy("travel")
    with pytest.raises(NotFound):
        await _policies(harness).edit("travel", _one_rule("x"), revision=0, by="a", at=AT)
