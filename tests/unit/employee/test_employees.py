"""Employees: field rules, roles, the manager chain and deactivation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dojang.employee.domain.employees import (
    Employee,
    clean_email,
    clean_name,
    clean_roles,
    managers_above,
)
from dojang.employee.domain.errors import (
    CannotDeactivateSelf,
    CannotDropOwnAdminRole,
    ManagementCycle,
)
from dojang.employee.domain.positions import Position
from dojang.kernel.errors import InvalidInput

HIRED_AT = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)


def hire(employee_id: str, manager_id: str | None = None, **overrides: object) -> Employee:
    fields: dict[str, object] = {
        "employee_id": employee_id,
        "name": f"Employee {employee_id}",
        "email": f"{employee_id}@dojang.example",
        "department_id": None,
        "position": "staff",
        "manager_id": manager_id,
        "roles": ("employee",),
        "at": HIRED_AT,
    }
    fields.update(overrides)
    return Employee.hire(**fields)  # type: ignore[arg-type]


class FakeOrgChart:
    """Who reports to whom, as the repository would load it."""

    def __init__(self, *employees: Employee) -> None:
        self.manager_of: dict[str, str | None] = {e.id: e.manager_id for e in employees}


def field_of(error: InvalidInput) -> list[str]:
    return [e.field for e in error.errors]


# ---- field rules


def test_names_are_trimmed_and_inner_whitespace_collapsed() -> None:
    assert clean_name("  김  도장 \n") == "김 도장"


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "tab\x00name"])
def test_unusable_names_are_refused_on_the_name_field(name: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        clean_name(name)
    assert field_of(refused.value) == ["name"]


def test_emails_are_stored_in_lower_case() -> None:
    assert clean_email("  Kim.DoJang@Example.COM ") == "kim.dojang@example.com"


@pytest.mark.parametrize(
    "email", ["kim", "kim@", "@example.com", "kim@example", "kim @example.com", "a@b@c.com"]
)
def test_malformed_emails_are_refused_on_the_email_field(email: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        clean_email(email)
    assert field_of(refused.value) == ["email"]


def test_every_employee_has_the_employee_role_and_roles_come_in_canonical_order() -> None:
    assert clean_roles(["admin", "manager"]) == ("employee", "manager", "admin")
    assert clean_roles([]) == ("employee",)
    assert clean_roles(["admin", "admin"]) == ("employee", "admin")


def test_unknown_roles_are_refused_on_the_roles_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        clean_roles(["employee", "superuser"])
    assert field_of(refused.value) == ["roles"]
    assert "superuser" in refused.value.render("en")


def test_hiring_validates_every_field() -> None:
    employee = hire("e1", name=" 박서연 ", email="SEOYEON@dojang.example", position="manager")
    assert employee.name == "박서연"
    assert employee.email == "seoyeon@dojang.example"
    assert employee.position is Position.MANAGER
    assert employee.active
    with pytest.raises(InvalidInput) as refused:
        hire("e2", position="intern")
    assert field_of(refused.value) == ["position"]


# ---- the manager chain


def test_managers_above_lists_the_chain_nearest_first() -> None:
    ceo = hire("ceo")
    head = hire("head", "ceo")
    staff = hire("staff", "head")
    chart = FakeOrgChart(ceo, head, staff)
    assert managers_above("staff", chart.manager_of) == ["head", "ceo"]
    assert managers_above("ceo", chart.manager_of) == []


def test_managers_above_refuses_a_chain_that_comes_back() -> None:
    with pytest.raises(ManagementCycle):
        managers_above("a", {"a": "b", "b": "c", "c": "a"})


def test_an_employee_cannot_manage_themself() -> None:
    employee = hire("e1")
    with pytest.raises(ManagementCycle) as refused:
        employee.report_to("e1", {})
    assert field_of(refused.value) == ["manager_id"]
    assert employee.manager_id is None


def test_a_manager_cannot_report_to_their_own_report() -> None:
    boss = hire("boss")
    report = hire("report", "boss")
    chart = FakeOrgChart(boss, report)
    with pytest.raises(ManagementCycle):
        boss.report_to("report", chart.manager_of)
    assert boss.manager_id is None


def test_a_manager_cannot_report_to_someone_further_down_their_chain() -> None:
    ceo = hire("ceo")
    director = hire("director", "ceo")
    manager = hire("manager", "director")
    staff = hire("staff", "manager")
    chart = FakeOrgChart(ceo, director, manager, staff)
    with pytest.raises(ManagementCycle) as refused:
        ceo.report_to("staff", chart.manager_of)
    assert "ceo → staff → manager → director → ceo" in refused.value.render("en")


def test_moving_an_employee_to_another_branch_is_allowed() -> None:
    ceo = hire("ceo")
    sales = hire("sales", "ceo")
    engineering = hire("engineering", "ceo")
    seller = hire("seller", "sales")
    chart = FakeOrgChart(ceo, sales, engineering, seller)
    seller.report_to("engineering", chart.manager_of)
    assert seller.manager_id == "engineering"


def test_removing_the_manager_is_always_allowed() -> None:
    staff = hire("staff", "boss")
    staff.report_to(None, {})
    assert staff.manager_id is None


@given(st.lists(st.integers(min_value=0, max_value=7), min_size=1, max_size=8))
def test_no_sequence_of_accepted_manager_changes_makes_a_cycle(targets: list[int]) -> None:
    people = [hire(f"p{i}") for i in range(8)]
    chart = FakeOrgChart(*people)
    for who, target in enumerate(targets):
        employee = people[who % len(people)]
        try:
            employee.report_to(f"p{target}", chart.manager_of)
        except ManagementCycle:
            continue
        chart.manager_of[employee.id] = employee.manager_id
    for person in people:
        managers_above(person.id, chart.manager_of)  # raises on a cycle


# ---- roles and deactivation


def test_an_admin_cannot_drop_their_own_admin_role() -> None:
    admin = hire("admin", roles=("employee", "admin"))
    with pytest.raises(CannotDropOwnAdminRole):
        admin.grant_roles(["employee"], by="admin")
    assert admin.is_admin


def test_another_admin_can_drop_an_admin_role() -> None:
    admin = hire("admin", roles=("employee", "admin"))
    admin.grant_roles(["manager"], by="other-admin")
    assert admin.roles == ("employee", "manager")


def test_nobody_deactivates_themself() -> None:
    employee = hire("e1")
    with pytest.raises(CannotDeactivateSelf):
        employee.deactivate(by="e1")
    assert employee.active


def test_deactivating_twice_changes_nothing_the_second_time() -> None:
    employee = hire("e1")
    assert employee.deactivate(by="admin") is True
    assert employee.deactivate(by="admin") is False
    assert not employee.active
