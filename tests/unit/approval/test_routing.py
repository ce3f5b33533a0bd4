"""Default approval lines: manager, department head, director, and the edges."""

from __future__ import annotations

import pytest

from dojang.approval.domain.forms import FormCode
from dojang.approval.domain.routing import (
    NoDefaultLine,
    OrgMember,
    PassedOver,
    PassReason,
    Route,
    RouteReason,
    default_approvers,
    default_route,
)

LEAD = OrgMember("lead", "manager")
HEAD = OrgMember("head", "general_manager")
DIRECTOR = OrgMember("director", "director")
CEO = OrgMember("ceo", "ceo")
CHAIN = [LEAD, HEAD, DIRECTOR, CEO]


def line(
    form: FormCode,
    chain: list[OrgMember] = CHAIN,
    head: OrgMember | None = HEAD,
    *,
    requester: str = "staff",
    needs_director: bool = False,
) -> list[str]:
    return default_approvers(form, requester, chain, head, needs_director=needs_director)


def test_general_goes_to_the_manager_then_the_department_head() -> None:
    assert line(FormCode.GENERAL) == ["lead", "head"]


def test_a_manager_who_heads_the_department_appears_once() -> None:
    assert line(FormCode.GENERAL, [HEAD, DIRECTOR, CEO]) == ["head"]


def test_without_a_department_head_only_the_manager_approves() -> None:
    assert line(FormCode.GENERAL, head=None) == ["lead"]


def test_a_department_head_requester_goes_to_their_own_manager() -> None:
    assert line(FormCode.GENERAL, [DIRECTOR, CEO], HEAD, requester="head") == ["director"]
    assert line(FormCode.LEAVE, [DIRECTOR, CEO], HEAD, requester="head") == ["director"]


def test_an_expense_over_the_threshold_adds_the_nearest_director() -> None:
    assert line(FormCode.EXPENSE, needs_director=True) == ["lead", "head", "director"]
    assert line(FormCode.EXPENSE) == ["lead", "head"]


def test_the_ceo_counts_as_a_director_when_there_is_none_below() -> None:
    assert line(FormCode.EXPENSE, [LEAD, HEAD, CEO], needs_director=True) == [
        "lead",
        "head",
        "ceo",
    ]


def test_a_director_already_in_the_line_is_not_added_again() -> None:
    head_director = OrgMember("head", "director")
    chain = [LEAD, head_director, CEO]
    assert line(FormCode.EXPENSE, chain, head_director, needs_director=True) == ["lead", "head"]


def test_only_expenses_add_a_director() -> None:
    assert line(FormCode.GENERAL, needs_director=True) == ["lead", "head"]


def test_leave_climbs_the_chain_up_to_the_department_head() -> None:
    assistant_chain = [OrgMember("staff", "staff"), *CHAIN]
    assert line(FormCode.LEAVE, assistant_chain, requester="assistant") == [
        "staff",
        "lead",
        "head",
    ]


def test_leave_whose_head_is_outside_the_chain_goes_to_manager_then_head() -> None:
    outside_head = OrgMember("other-head", "general_manager")
    assert line(FormCode.LEAVE, head=outside_head) == ["lead", "other-head"]


def test_deactivated_managers_are_passed_over() -> None:
    gone = OrgMember("lead", "manager", active=False)
    assert line(FormCode.GENERAL, [gone, HEAD, DIRECTOR, CEO]) == ["head"]
    gone_head = OrgMember("head", "general_manager", active=False)
    assert line(FormCode.GENERAL, [LEAD, gone_head, DIRECTOR], gone_head) == ["lead"]


@pytest.mark.parametrize("form", list(FormCode))
def test_the_ceo_has_no_default_line(form: FormCode) -> None:
    with pytest.raises(NoDefaultLine) as caught:
        line(form, [], CEO, requester="ceo", needs_director=True)
    assert [e.field for e in caught.value.errors] == ["line"]
    assert caught.value.status == 422


def route(
    form: FormCode,
    chain: list[OrgMember] = CHAIN,
    head: OrgMember | None = HEAD,
    *,
    requester: str = "staff",
    needs_director: bool = False,
) -> Route:
    return default_route(form, requester, chain, head, needs_director=needs_director)


def test_each_default_approver_carries_the_rules_that_picked_them() -> None:
    picked = route(FormCode.EXPENSE, needs_director=True)
    assert [(a.id, a.reasons) for a in picked.approvers] == [
        ("lead", (RouteReason.NEAREST_MANAGER,)),
        ("head", (RouteReason.DEPARTMENT_HEAD,)),
        ("director", (RouteReason.DIRECTOR_FOR_LARGE_EXPENSE,)),
    ]
    assert picked.passed_over == ()


def test_a_manager_who_is_also_the_head_carries_both_reasons() -> None:
    picked = route(FormCode.GENERAL, [HEAD, DIRECTOR, CEO])
    assert [(a.id, a.reasons) for a in picked.approvers] == [
        ("head", (RouteReason.NEAREST_MANAGER, RouteReason.DEPARTMENT_HEAD))
    ]


def test_leave_names_the_managers_below_the_head() -> None:
    senior = OrgMember("senior", "deputy_general_manager")
    picked = route(FormCode.LEAVE, [LEAD, senior, HEAD, DIRECTOR])
    assert [(a.id, a.reasons) for a in picked.approvers] == [
        ("lead", (RouteReason.NEAREST_MANAGER,)),
        ("senior", (RouteReason.MANAGER_BELOW_HEAD,)),
        ("head", (RouteReason.DEPARTMENT_HEAD,)),
    ]


def test_a_deactivated_nearest_manager_is_named_as_passed_over() -> None:
    gone = OrgMember("lead", "manager", active=False)
    picked = route(FormCode.GENERAL, [gone, HEAD, OrgMember("x", "director", active=False)])
    assert picked.approver_ids == ["head"]
    assert picked.passed_over == (PassedOver(PassReason.DEACTIVATED, "lead"),)


def test_a_head_who_is_the_requester_or_deactivated_is_named_as_passed_over() -> None:
    assert route(FormCode.GENERAL, [DIRECTOR], HEAD, requester="head").passed_over == (
        PassedOver(PassReason.IS_REQUESTER, "head"),
    )
    gone_head = OrgMember("head", "general_manager", active=False)
    assert route(FormCode.GENERAL, [LEAD], gone_head).passed_over == (
        PassedOver(PassReason.DEACTIVATED, "head"),
    )


def test_a_large_expense_without_a_director_above_says_so() -> None:
    picked = route(FormCode.EXPENSE, [LEAD, HEAD], needs_director=True)
    assert picked.approver_ids == ["lead", "head"]
    assert picked.passed_over == (PassedOver(PassReason.NO_DIRECTOR),)
