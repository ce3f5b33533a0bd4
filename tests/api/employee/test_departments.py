"""`/api/departments`: reading the tree, and shaping it as an administrator."""

from __future__ import annotations

import httpx2

from .conftest import Org, Person, assert_problem


async def create(client: httpx2.AsyncClient, admin: Person, **body: object) -> dict[str, object]:
    answer = await client.post("/api/departments", json=body, headers=admin.headers)
    assert answer.status_code == 201, answer.text
    created: dict[str, object] = answer.json()
    return created


async def test_departments_need_a_token(client: httpx2.AsyncClient) -> None:
    assert_problem(await client.get("/api/departments"), 401)
    assert_problem(await client.post("/api/departments", json={"name": "X"}), 401)


async def test_an_admin_builds_a_tree_and_everyone_reads_it_with_paths(
    client: httpx2.AsyncClient, org: Org, admin: Person
) -> None:
    hq = await create(client, admin, name="본사")
    eng = await create(client, admin, name="개발본부", parent_id=hq["id"], head_id=admin.id)
    assert eng == {
        "id": eng["id"],
        "name": "개발본부",
        "parent_id": hq["id"],
        "head_id": admin.id,
        "path": "본사 / 개발본부",
    }
    staff = await org.person(department=None)
    answer = await client.get("/api/departments", headers=staff.headers)
    assert answer.status_code == 200
    paths = [d["path"] for d in answer.json()["items"]]
    assert paths == ["People", "본사", "본사 / 개발본부"]
    one = await client.get(f"/api/departments/{eng['id']}", headers=staff.headers)
    assert one.json() == eng


async def test_creating_a_department_publishes_department_created(
    client: httpx2.AsyncClient, org: Org, admin: Person
) -> None:
    created = await create(client, admin, name="Finance")
    [event] = [e for e in await org.events("department.created") if e.aggregate_id == created["id"]]
    assert event.data == {
        "department": {"id": created["id"], "name": "Finance", "parent_id": None, "head_id": None}
    }


async def test_only_admins_create_departments(
    client: httpx2.AsyncClient, org: Org, admin: Person
) -> None:
    manager = await org.person(roles=("employee", "manager"))
    answer = await client.post("/api/departments", json={"name": "X"}, headers=manager.headers)
    assert_problem(answer, 403)


async def test_bad_department_fields_are_named(client: httpx2.AsyncClient, admin: Person) -> None:
    blank = await client.post("/api/departments", json={"name": "  "}, headers=admin.headers)
    assert_problem(blank, 422, "name")
    orphan = await client.post(
        "/api/departments", json={"name": "X", "parent_id": "nope"}, headers=admin.headers
    )
    assert_problem(orphan, 422, "parent_id")
    headless = await client.post(
        "/api/departments", json={"name": "X", "head_id": "nobody"}, headers=admin.headers
    )
    assert_problem(headless, 422, "head_id")
    unknown = await client.post(
        "/api/departments", json={"name": "X", "colour": "red"}, headers=admin.headers
    )
    assert_problem(unknown, 422, "colour")


async def test_a_duplicate_department_name_is_a_conflict(
    client: httpx2.AsyncClient, admin: Person
) -> None:
    await create(client, admin, name="Sales")
    answer = await client.post("/api/departments", json={"name": "sales"}, headers=admin.headers)
    assert_problem(answer, 409)


async def test_an_unknown_department_is_not_found(
    client: httpx2.AsyncClient, admin: Person
) -> None:
    assert_problem(await client.get("/api/departments/nope", headers=admin.headers), 404)
    patch = await client.patch("/api/departments/nope", json={"name": "X"}, headers=admin.headers)
    assert_problem(patch, 404)


async def test_moving_a_department_below_itself_is_refused(
    client: httpx2.AsyncClient, admin: Person
) -> None:
    hq = await create(client, admin, name="HQ")
    eng = await create(client, admin, name="Eng", parent_id=hq["id"])
    team = await create(client, admin, name="Team", parent_id=eng["id"])
    answer = await client.patch(
        f"/api/departments/{hq['id']}", json={"parent_id": team["id"]}, headers=admin.headers
    )
    assert_problem(answer, 422, "parent_id")


async def test_an_admin_renames_moves_and_changes_the_head_of_a_department(
    client: httpx2.AsyncClient, org: Org, admin: Person
) -> None:
    hq = await create(client, admin, name="HQ")
    eng = await create(client, admin, name="Eng", parent_id=hq["id"], head_id=admin.id)
    answer = await client.patch(
        f"/api/departments/{eng['id']}",
        json={"name": "Engineering", "parent_id": None, "head_id": None},
        headers=admin.headers,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "id": eng["id"],
        "name": "Engineering",
        "parent_id": None,
        "head_id": None,
        "path": "Engineering",
    }
    [event] = await org.events("department.updated")
    assert event.aggregate_id == eng["id"]
    assert event.data["department"]["name"] == "Engineering"
    assert sorted(event.data["changed"]) == ["head_id", "name", "parent_id"]


async def test_a_patch_that_changes_nothing_publishes_nothing(
    client: httpx2.AsyncClient, org: Org, admin: Person
) -> None:
    hq = await create(client, admin, name="HQ")
    answer = await client.patch(
        f"/api/departments/{hq['id']}", json={"name": "HQ"}, headers=admin.headers
    )
    assert answer.status_code == 200
    assert await org.events("department.updated") == []


async def test_a_department_name_cannot_be_set_to_null(
    client: httpx2.AsyncClient, admin: Person
) -> None:
    hq = await create(client, admin, name="HQ")
    answer = await client.patch(
        f"/api/departments/{hq['id']}", json={"name": None}, headers=admin.headers
    )
    assert_problem(answer, 422, "name")


async def test_non_admins_cannot_change_departments(
    client: httpx2.AsyncClient, org: Org, admin: Person
) -> None:
    hq = await create(client, admin, name="HQ")
    staff = await org.person()
    answer = await client.patch(
        f"/api/departments/{hq['id']}", json={"name": "Mine"}, headers=staff.headers
    )
    assert_problem(answer, 403)


async def test_departments_are_paged_in_path_order(
    client: httpx2.AsyncClient, admin: Person
) -> None:
    for name in ["C", "A", "B"]:
        await create(client, admin, name=name)
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/departments", params=params, headers=admin.headers)).json()
        seen += [d["name"] for d in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["A", "B", "C", "People"]
    bad = await client.get("/api/departments", params={"cursor": "xyz"}, headers=admin.headers)
    assert_problem(bad, 422, "cursor")
