"""The `OrgChart` port: employees by id, the manager chain, and department heads."""

from __future__ import annotations

from dojang.employee.service.commands import EmployeeChanges
from dojang.kernel.auth.principal import Principal
from dojang.kernel.ports import EmployeeView, OrgChart

from .conftest import Running


def ids(chain: list[EmployeeView]) -> list[str]:
    return [view.id for view in chain]


async def test_the_service_offers_the_org_chart_port(running: Running) -> None:
    org: OrgChart = running.service.org_chart
    assert org is running.service.directory


async def test_the_manager_chain_runs_nearest_first_up_to_the_top(running: Running) -> None:
    ceo = await running.hire("CEO", position="ceo")
    director = await running.hire("Director", manager=ceo, position="director")
    lead = await running.hire("Lead", manager=director, position="manager")
    staff = await running.hire("Staff", manager=lead)
    chain = await running.service.org_chart.manager_chain(staff.id)
    assert ids(chain) == [lead.id, director.id, ceo.id]
    assert chain[0].name == "Lead"
    assert chain[0].department is not None
    assert chain[0].department.name == "Engineering"
    assert await running.service.org_chart.manager_chain(ceo.id) == []


async def test_the_manager_chain_of_an_unknown_employee_is_empty(running: Running) -> None:
    assert await running.service.org_chart.manager_chain("nobody") == []


async def test_a_corrupt_cycle_ends_the_chain_before_the_first_repeat(running: Running) -> None:
    a = await running.hire("A")
    b = await running.hire("B", manager=a)
    c = await running.hire("C", manager=b)
    await running.force_manager(a.id, c.id)  # A -> C -> B -> A
    assert ids(await running.service.org_chart.manager_chain(c.id)) == [b.id, a.id]
    assert ids(await running.service.org_chart.manager_chain(a.id)) == [c.id, b.id]


async def test_an_employee_who_manages_themself_has_no_chain(running: Running) -> None:
    a = await running.hire("A")
    await running.force_manager(a.id, a.id)
    assert await running.service.org_chart.manager_chain(a.id) == []


async def test_a_cycle_above_the_employee_is_walked_once(running: Running) -> None:
    a = await running.hire("A")
    b = await running.hire("B", manager=a)
    staff = await running.hire("Staff", manager=b)
    await running.force_manager(a.id, b.id)  # A <-> B, Staff below B
    assert ids(await running.service.org_chart.manager_chain(staff.id)) == [b.id, a.id]


async def test_the_department_head_is_found(running: Running) -> None:
    head = await running.hire("Head", department="Platform", position="general_manager")
    assert head.department is not None
    assert await running.service.org_chart.department_head(head.department.id) is None
    await running.service.use_cases.set_department_head(head.department.id, head.id)
    found = await running.service.org_chart.department_head(head.department.id)
    assert found is not None
    assert found.id == head.id
    assert found.position == "general_manager"


async def test_an_unknown_department_has_no_head(running: Running) -> None:
    assert await running.service.org_chart.department_head("nowhere") is None


async def test_employees_are_fetched_by_id_skipping_unknown_ones(running: Running) -> None:
    a = await running.hire("A")
    b = await running.hire("B")
    found = await running.service.org_chart.get_employees([a.id, "nobody", b.id, a.id])
    assert set(found) == {a.id, b.id}
    assert found[b.id] == b
    assert await running.service.org_chart.get_employees([]) == {}


async def test_the_org_chart_is_read_once_until_the_organisation_changes(
    running: Running,
) -> None:
    ceo = await running.hire("CEO", position="ceo")
    lead = await running.hire("Lead", manager=ceo, position="manager")
    staff = await running.hire("Staff", manager=lead)
    directory = running.service.directory
    first = await directory.snapshot()
    assert await directory.snapshot() is first
    assert ids(await directory.manager_chain(staff.id)) == [lead.id, ceo.id]
    assert lead.department is not None
    await running.service.use_cases.set_department_head(lead.department.id, lead.id)
    assert await directory.snapshot() is not first
    head = await directory.department_head(lead.department.id)
    assert head is not None
    assert head.id == lead.id


async def test_a_new_manager_shows_in_the_next_chain(running: Running) -> None:
    ceo = await running.hire("CEO", position="ceo")
    lead = await running.hire("Lead", manager=ceo, position="manager")
    staff = await running.hire("Staff", manager=ceo)
    assert ids(await running.service.org_chart.manager_chain(staff.id)) == [ceo.id]
    admin = Principal(user_id=ceo.id, roles=frozenset({"employee", "admin"}))
    await running.service.use_cases.employees.update(
        admin, staff.id, EmployeeChanges(manager_id=lead.id)
    )
    assert ids(await running.service.org_chart.manager_chain(staff.id)) == [lead.id, ceo.id]
