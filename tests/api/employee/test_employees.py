"""`/api/employees`: hiring, finding, changing and deactivating employees."""

from __future__ import annotations

from typing import Any, NoReturn

import httpx2
import pytest

from dojang.employee.adapters.unit_of_work import SqlEmployeeUnitOfWork
from dojang.kernel.errors import Conflict, InvalidInput
from tests.conftest import login

from .conftest import PASSWORD, Org, Person, assert_problem


async def department_id(client: httpx2.AsyncClient, admin: Person, name: str) -> str:
    answer = await client.post("/api/departments", json={"name": name}, headers=admin.headers)
    assert answer.status_code == 201, answer.text
    created: str = answer.json()["id"]
    return created


async def hire(client: httpx2.AsyncClient, admin: Person, **fields: Any) -> httpx2.Response:
    return await client.post("/api/employees", json=fields, headers=admin.headers)


@pytest.fixture
async def engineering(client: httpx2.AsyncClient, admin: Person) -> str:
    return await department_id(client, admin, "Engineering")


# ---- authentication and authorisation


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/employees"),
        ("POST", "/api/employees"),
        ("GET", "/api/employees/x"),
        ("PATCH", "/api/employees/x"),
        ("DELETE", "/api/employees/x"),
    ],
)
async def test_every_employee_route_needs_a_token(
    client: httpx2.AsyncClient, method: str, path: str
) -> None:
    answer = await client.request(method, path, json={} if method in {"POST", "PATCH"} else None)
    assert_problem(answer, 401)
    assert answer.headers["www-authenticate"] == "Bearer"


async def test_a_bad_token_is_refused(client: httpx2.AsyncClient) -> None:
    answer = await client.get("/api/employees", headers={"Authorization": "Bearer not-a-jwt"})
    assert_problem(answer, 401)


async def test_only_admins_hire(client: httpx2.AsyncClient, org: Org, engineering: str) -> None:
    manager = await org.person(roles=("employee", "manager"))
    answer = await client.post(
        "/api/employees",
        json={
            "name": "X",
            "email": "x@dojang.example",
            "department_id": engineering,
            "position": "staff",
        },
        headers=manager.headers,
    )
    assert_problem(answer, 403)


# ---- hiring


async def test_an_admin_hires_an_employee_who_can_then_log_in(
    client: httpx2.AsyncClient, org: Org, admin: Person, engineering: str
) -> None:
    answer = await hire(
        client,
        admin,
        name="박서연",
        email="SeoYeon.Park@dojang.example",
        department_id=engineering,
        position="manager",
        manager_id=admin.id,
        roles=["manager"],
        password=PASSWORD,
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body == {
        "id": body["id"],
        "name": "박서연",
        "email": "seoyeon.park@dojang.example",
        "department": {"id": engineering, "name": "Engineering"},
        "position": "manager",
        "manager_id": admin.id,
        "roles": ["employee", "manager"],
        "active": True,
        "created_at": "2026-03-02T00:30:00Z",
    }
    await org.embedded.settle()  # identity creates the login from employee.created
    headers = await login(client, "seoyeon.park@dojang.example", PASSWORD)
    me = await client.get(f"/api/employees/{body['id']}", headers=headers)
    assert me.json() == body


async def test_hiring_publishes_employee_created_with_the_employee(
    client: httpx2.AsyncClient, org: Org, admin: Person, engineering: str
) -> None:
    answer = await hire(
        client,
        admin,
        name="Kim",
        email="kim@dojang.example",
        department_id=engineering,
        position="staff",
    )
    body = answer.json()
    [event] = [e for e in await org.events("employee.created") if e.aggregate_id == body["id"]]
    assert event.data == {"employee": body}


async def test_a_hire_without_a_password_gets_a_login_that_cannot_be_used_yet(
    client: httpx2.AsyncClient, admin: Person, engineering: str
) -> None:
    answer = await hire(
        client,
        admin,
        name="Kim",
        email="kim@dojang.example",
        department_id=engineering,
        position="staff",
    )
    assert answer.status_code == 201
    refused = await client.post(
        "/api/auth/login", json={"email": "kim@dojang.example", "password": PASSWORD}
    )
    assert refused.status_code == 401


async def test_a_duplicate_email_is_a_conflict_whatever_its_case(
    client: httpx2.AsyncClient, org: Org, admin: Person, engineering: str
) -> None:
    answer = await hire(
        client,
        admin,
        name="Again",
        email=admin.view.email.upper(),
        department_id=engineering,
        position="staff",
    )
    body = assert_problem(answer, 409)
    assert admin.view.email in body["detail"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"department_id": "nope"}, "department_id"),
        ({"manager_id": "nobody"}, "manager_id"),
        ({"position": "intern"}, "position"),
        ({"roles": ["employee", "root"]}, "roles.1"),
        ({"email": "not-an-email"}, "email"),
        ({"name": "   "}, "name"),
        ({"password": "short"}, "password"),
        ({"department_id": None}, "department_id"),
        ({"salary": 1}, "salary"),
    ],
)
async def test_bad_fields_of_a_hire_are_named(
    client: httpx2.AsyncClient,
    org: Org,
    admin: Person,
    engineering: str,
    fields: dict[str, Any],
    field: str,
) -> None:
    valid = {
        "name": "Kim",
        "email": "kim@dojang.example",
        "department_id": engineering,
        "position": "staff",
    }
    before = await org.count_employees()
    assert_problem(await hire(client, admin, **(valid | fields)), 422, field)
    assert await org.count_employees() == before


async def test_a_deactivated_manager_cannot_be_assigned(
    client: httpx2.AsyncClient, org: Org, admin: Person, engineering: str
) -> None:
    gone = await org.person()
    await client.delete(f"/api/employees/{gone.id}", headers=admin.headers)
    answer = await hire(
        client,
        admin,
        name="Kim",
        email="kim@dojang.example",
        department_id=engineering,
        position="staff",
        manager_id=gone.id,
    )
    assert_problem(answer, 422, "manager_id")


async def test_when_identity_refuses_the_login_neither_employee_nor_event_is_stored(
    client: httpx2.AsyncClient, org: Org, admin: Person, engineering: str
) -> None:
    before_rows, before_events = await org.count_employees(), len(await org.events())
    # long enough for the policy alone, but identity refuses a password equal to the email
    answer = await hire(
        client,
        admin,
        name="Kim",
        email="kimdojang.sales@dojang.example",
        department_id=engineering,
        position="staff",
        password="kimdojang.sales",
    )
    assert_problem(answer, 422, "password")
    assert await org.count_employees() == before_rows
    assert len(await org.events()) == before_events


async def test_add_user_finds_or_creates_the_department_by_name(org: Org) -> None:
    first = await org.person(department="Legal")
    second = await org.person(department="Legal")
    assert first.view.department is not None
    assert second.view.department == first.view.department
    assert len(await org.events("department.created")) == 1


async def test_add_user_checks_the_password_before_writing_anything(org: Org) -> None:
    with pytest.raises(InvalidInput) as refused:
        await org.embedded.employee.add_user(
            email="weak@dojang.example", name="Weak", password="123", department="Brand New"
        )
    assert [e.field for e in refused.value.errors] == ["password"]
    assert await org.count_employees() == 0
    assert await org.events() == []


async def test_add_user_refuses_a_taken_email_with_a_conflict(org: Org, admin: Person) -> None:
    with pytest.raises(Conflict, match=admin.view.email):
        await org.embedded.employee.add_user(email=admin.view.email, name="Twin", password=PASSWORD)


# ---- reading


async def test_an_unknown_employee_is_not_found(client: httpx2.AsyncClient, admin: Person) -> None:
    assert_problem(await client.get("/api/employees/nobody", headers=admin.headers), 404)


async def test_the_list_is_sorted_by_name_and_paged(
    client: httpx2.AsyncClient, org: Org, admin: Person
) -> None:
    for name in ["Charlie", "alpha", "Bravo", "Bravo"]:
        await org.person(name)
    seen: list[tuple[str, str]] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/employees", params=params, headers=admin.headers)).json()
        seen += [(e["name"], e["id"]) for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 5
    assert seen == sorted(seen)


async def test_the_list_filters_by_text_department_position_and_active(
    client: httpx2.AsyncClient, org: Org, admin: Person
) -> None:
    kim = await org.person("김도장", department="Sales", position="manager")
    await org.person("Lee Sales", department="Engineering", position="senior")
    gone = await org.person("Gone Kim", department="Sales")
    await client.delete(f"/api/employees/{gone.id}", headers=admin.headers)
    assert kim.view.department is not None

    async def names(**params: Any) -> list[str]:
        answer = await client.get("/api/employees", params=params, headers=kim.headers)
        assert answer.status_code == 200, answer.text
        return [e["name"] for e in answer.json()["items"]]

    assert await names(q="KIM") == ["Gone Kim"]
    assert await names(q="no such person") == []
    assert await names(q=kim.view.email.split("@")[0].upper()) == ["김도장"]
    assert await names(department_id=kim.view.department.id) == ["Gone Kim", "김도장"]
    assert await names(position="senior") == ["Lee Sales"]
    assert await names(active="false") == ["Gone Kim"]
    assert "Gone Kim" not in await names(active="true")
    assert await names(q="100%") == []


async def test_bad_list_filters_are_named(client: httpx2.AsyncClient, admin: Person) -> None:
    bad_position = await client.get(
        "/api/employees", params={"position": "boss"}, headers=admin.headers
    )
    assert_problem(bad_position, 422, "position")
    bad_limit = await client.get("/api/employees", params={"limit": 500}, headers=admin.headers)
    assert_problem(bad_limit, 422, "limit")
    bad_cursor = await client.get(
        "/api/employees", params={"cursor": "bm90LWEtY3Vyc29y"}, headers=admin.headers
    )
    assert_problem(bad_cursor, 422, "cursor")


# ---- changing


async def test_an_admin_changes_an_employee_and_employee_updated_says_what_changed(
    client: httpx2.AsyncClient, org: Org, admin: Person
) -> None:
    boss = await org.person("Boss")
    staff = await org.person("Staff")
    sales = await department_id(client, admin, "Sales")
    answer = await client.patch(
        f"/api/employees/{staff.id}",
        json={
            "position": "senior",
            "manager_id": boss.id,
            "department_id": sales,
            "roles": ["manager"],
            "email": "new.staff@dojang.example",
        },
        headers=admin.headers,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["position"] == "senior"
    assert body["manager_id"] == boss.id
    assert body["department"] == {"id": sales, "name": "Sales"}
    assert body["roles"] == ["employee", "manager"]
    assert body["email"] == "new.staff@dojang.example"
    [event] = await org.events("employee.updated")
    assert event.aggregate_id == staff.id
    assert event.data["employee"] == body
    assert sorted(event.data["changed"]) == [
        "department_id",
        "email",
        "manager_id",
        "position",
        "roles",
    ]


async def test_changed_roles_and_email_reach_the_login(
    client: httpx2.AsyncClient, org: Org, admin: Person
) -> None:
    staff = await org.person()
    await client.patch(
        f"/api/employees/{staff.id}",
        json={"roles": ["manager"], "email": "renamed@dojang.example"},
        headers=admin.headers,
    )
    await org.embedded.settle()
    headers = await login(client, "renamed@dojang.example", PASSWORD)
    me = await client.get("/api/auth/me", headers=headers)
    assert me.status_code == 200, me.text
    assert "manager" in me.json()["roles"]


async def test_an_employee_renames_themself(client: httpx2.AsyncClient, org: Org) -> None:
    staff = await org.person("Old Name")
    answer = await client.patch(
        f"/api/employees/{staff.id}", json={"name": "New Name"}, headers=staff.headers
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["name"] == "New Name"


async def test_an_employee_cannot_change_anything_else_of_their_own(
    client: httpx2.AsyncClient, org: Org
) -> None:
    staff = await org.person()
    answer = await client.patch(
        f"/api/employees/{staff.id}",
        json={"name": "Me", "position": "ceo", "roles": ["admin"]},
        headers=staff.headers,
    )
    body = assert_problem(answer, 403)
    assert "position" in body["detail"]
    assert "roles" in body["detail"]


async def test_an_employee_cannot_change_someone_else(client: httpx2.AsyncClient, org: Org) -> None:
    manager = await org.person(roles=("employee", "manager"))
    report = await org.person(manager=manager)
    answer = await client.patch(
        f"/api/employees/{report.id}", json={"name": "Renamed"}, headers=manager.headers
    )
    assert_problem(answer, 403)


async def test_changing_an_unknown_employee_is_not_found(
    client: httpx2.AsyncClient, admin: Person
) -> None:
    answer = await client.patch("/api/employees/nobody", json={"name": "X"}, headers=admin.headers)
    assert_problem(answer, 404)


async def test_a_management_cycle_is_refused_on_manager_id(
    client: httpx2.AsyncClient, org: Org, admin: Person
) -> None:
    top = await org.person("Top")
    middle = await org.person("Middle", manager=top)
    bottom = await org.person("Bottom", manager=middle)
    cycle = await client.patch(
        f"/api/employees/{top.id}", json={"manager_id": bottom.id}, headers=admin.headers
    )
    assert_problem(cycle, 422, "manager_id")
    itself = await client.patch(
        f"/api/employees/{top.id}", json={"manager_id": top.id}, headers=admin.headers
    )
    assert_problem(itself, 422, "manager_id")
    removed = await client.patch(
        f"/api/employees/{middle.id}", json={"manager_id": None}, headers=admin.headers
    )
    assert removed.json()["manager_id"] is None


async def test_changing_to_a_taken_email_is_a_conflict(
    client: httpx2.AsyncClient, org: Org, admin: Person
) -> None:
    staff = await org.person()
    answer = await client.patch(
        f"/api/employees/{staff.id}", json={"email": admin.view.email}, headers=admin.headers
    )
    assert_problem(answer, 409)


async def test_bad_fields_of_a_change_are_named(
    client: httpx2.AsyncClient, org: Org, admin: Person
) -> None:
    staff = await org.person()

    async def patch(body: dict[str, Any]) -> httpx2.Response:
        return await client.patch(f"/api/employees/{staff.id}", json=body, headers=admin.headers)

    assert_problem(await patch({"name": None}), 422, "name")
    assert_problem(await patch({"position": "boss"}), 422, "position")
    assert_problem(await patch({"department_id": "nope"}), 422, "department_id")
    assert_problem(await patch({"manager_id": "nobody"}), 422, "manager_id")
    assert_problem(await patch({"active": False}), 422, "active")


async def test_an_admin_cannot_drop_their_own_admin_role(
    client: httpx2.AsyncClient, admin: Person
) -> None:
    answer = await client.patch(
        f"/api/employees/{admin.id}", json={"roles": ["employee"]}, headers=admin.headers
    )
    assert_problem(answer, 409)


# ---- deactivating


async def test_deactivation_hands_reports_and_headships_to_the_manager(
    client: httpx2.AsyncClient, org: Org, admin: Person
) -> None:
    director = await org.person("Director")
    leaver = await org.person("Leaver", manager=director)
    report = await org.person("Report", manager=leaver)
    assert leaver.view.department is not None
    team = leaver.view.department.id
    await client.patch(
        f"/api/departments/{team}", json={"head_id": leaver.id}, headers=admin.headers
    )

    answer = await client.delete(f"/api/employees/{leaver.id}", headers=admin.headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["active"] is False

    [deactivated] = await org.events("employee.deactivated")
    assert deactivated.aggregate_id == leaver.id
    assert deactivated.data["manager_id"] == director.id
    assert deactivated.data["employee"] == answer.json()
    moved = await client.get(f"/api/employees/{report.id}", headers=admin.headers)
    assert moved.json()["manager_id"] == director.id
    [handover] = [e for e in await org.events("employee.updated") if e.aggregate_id == report.id]
    assert handover.data["changed"] == ["manager_id"]
    department = await client.get(f"/api/departments/{team}", headers=admin.headers)
    assert department.json()["head_id"] is None


async def test_a_deactivated_employee_can_no_longer_log_in(
    client: httpx2.AsyncClient, org: Org, admin: Person
) -> None:
    leaver = await org.person()
    await client.delete(f"/api/employees/{leaver.id}", headers=admin.headers)
    await org.embedded.settle()
    answer = await client.post(
        "/api/auth/login", json={"email": leaver.view.email, "password": PASSWORD}
    )
    assert answer.status_code == 401


async def test_deactivating_twice_is_idempotent_and_publishes_once(
    client: httpx2.AsyncClient, org: Org, admin: Person
) -> None:
    leaver = await org.person()
    first = await client.delete(f"/api/employees/{leaver.id}", headers=admin.headers)
    second = await client.delete(f"/api/employees/{leaver.id}", headers=admin.headers)
    assert second.status_code == 200
    assert second.json() == first.json()
    assert len(await org.events("employee.deactivated")) == 1


async def test_an_admin_cannot_deactivate_themself(
    client: httpx2.AsyncClient, admin: Person
) -> None:
    answer = await client.delete(f"/api/employees/{admin.id}", headers=admin.headers)
    assert_problem(answer, 409)


async def test_only_admins_deactivate(client: httpx2.AsyncClient, org: Org) -> None:
    manager = await org.person(roles=("employee", "manager"))
    report = await org.person(manager=manager)
    answer = await client.delete(f"/api/employees/{report.id}", headers=manager.headers)
    assert_problem(answer, 403)


async def test_deactivating_an_unknown_employee_is_not_found(
    client: httpx2.AsyncClient, admin: Person
) -> None:
    assert_problem(await client.delete("/api/employees/nobody", headers=admin.headers), 404)


async def test_a_hiring_whose_commit_failed_leaves_the_email_free_for_a_retry(
    client: httpx2.AsyncClient,
    org: Org,
    admin: Person,
    engineering: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def full_disk(self: SqlEmployeeUnitOfWork) -> NoReturn:
        raise OSError("No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(SqlEmployeeUnitOfWork, "commit", full_disk)
        with pytest.raises(OSError, match="No space left"):  # a 500 to the caller
            await hire(
                client,
                admin,
                name="박서연",
                email="seoyeon.park@dojang.example",
                password="first-passphrase-0",
                department_id=engineering,
                position="manager",
            )
    await org.embedded.settle()
    with pytest.raises(AssertionError):  # no login was made for the employee that never was
        await login(client, "seoyeon.park@dojang.example", "first-passphrase-0")

    again = await hire(
        client,
        admin,
        name="박서연",
        email="seoyeon.park@dojang.example",
        password=PASSWORD,
        department_id=engineering,
        position="manager",
    )
    assert again.status_code == 201, again.text
    await org.embedded.settle()
    headers = await login(client, "seoyeon.park@dojang.example", PASSWORD)
    me = await client.get("/api/auth/me", headers=headers)
    assert me.json()["employee"]["id"] == again.json()["id"]
