"""The approval policies of the built-in forms until an admin edits them.

Written as the same JSON an admin edits, so the defaults go through the one reader and
validator (`Policy.from_data`). A stored policy of a form replaces its default whole.
"""

from __future__ import annotations

from typing import Any

from dojang.approval.domain.forms import FormCode
from dojang.approval.domain.policies import Policy

# the department whose head answers the finance agreement (합의): matched by id or by name
FINANCE_DEPARTMENT = "재무팀"

_DEFAULTS: dict[str, dict[str, Any]] = {
    FormCode.EXPENSE.value: {
        "rules": [
            {"name": "부서장 결재", "stages": [{"role": "department_head"}]},
            {
                "name": "재무 합의 (100만 원 이상)",
                "when": {"amount_from": 1_000_000},
                "stages": [
                    {"role": "department", "kind": "agreement", "value": FINANCE_DEPARTMENT}
                ],
            },
            {
                "name": "본부장 결재 (300만 원 이상)",
                "when": {"amount_from": 3_000_000},
                "stages": [{"role": "director"}],
            },
            {
                "name": "대표이사 결재 (1,000만 원 이상)",
                "when": {"amount_from": 10_000_000},
                "stages": [{"role": "ceo"}],
            },
        ],
        "final_authority": [
            {"role": "department_head", "when": {"amount_below": 1_000_000}},
        ],
    },
    FormCode.LEAVE.value: {
        "rules": [{"name": "팀장 결재", "stages": [{"role": "manager"}]}],
    },
    FormCode.GENERAL.value: {
        "rules": [{"name": "팀장 결재", "stages": [{"role": "manager"}]}],
    },
}


def default_policy(form: str) -> Policy | None:
    """The built-in policy of a form (revision 0: not stored yet), if it has one."""
    data = _DEFAULTS.get(form)
    return None if data is None else Policy.from_data(form, data)


def default_forms() -> list[str]:
    """The form codes with a built-in policy."""
    return sorted(_DEFAULTS)
