"""`/api/admin/tasks`: administrators find tasks left with leavers and hand them on."""

from __future__ import annotations

from typing import Any

from tests.unit.processing.builders import deactivated

from .conftest import Api


async def _strand(api: Api, approver: str, approval_id: str) -> None:
    """A stage of `approval_id` opens for `approver`, who then leaves without a manager."""
    await api.open_stage([approver], approval_id=approval_id)
    await api.harness.deliver(deactivated(approver, None))
    api.harness.directory.hire(approver, active=False)
    await api.harness.results()


async def _task_id(api: Api, approval_id: str = "doc-1") -> str:
    [task] = await api.harness.tasks(approval_id)
    return task.id


def _reassign(assignee_id: str, reason: str = "퇴사자 업무 인계") -> dict[str, Any]:
    return {"assignee_id": assignee_id, "reason": reason}


async def test_the_admin_routes_are_for_administrators(api: Api) -> None:
    await api.open_stage(["emp-kim"])
    task_id = await _task_id(api)
    assert (await api.get(None, "/api/admin/tasks")).status_code == 401
    assert (await api.get("emp-kim", "/api/admin/tasks")).status_code == 403
    answer = await api.post("emp-kim", f"/api/admin/tasks/{task_id}/reassign", _reassign("emp-lee"))
    assert answer.status_code == 403
    assert answer.headers["content-type"] == "application/problem+json"


async def test_stranded_lists_pending_tasks_held_by_leavers_oldest_first(api: Api) -> None:
    await _strand(api, "emp-kim", "doc-1")
    api.harness.clock.advance(minutes=1)
    await api.open_stage(["emp-lee"], approval_id="doc-2")
    api.harness.clock.advance(minutes=1)
    await _strand(api, "emp-park", "doc-3")
    api.harness.clock.advance(minutes=1)
    await _strand(api, "emp-choi", "doc-4")

    first = (await api.get("emp-admin", "/api/admin/tasks", stranded="true", limit=2)).json()
    assert [(t["approval_id"], t["assignee_id"]) for t in first["items"]] == [
        ("doc-1", "emp-kim"),
        ("doc-3", "emp-park"),
    ]
    assert first["items"][0]["status"] == "pending"
    second = (
        await api.get(
            "emp-admin", "/api/admin/tasks", stranded="true", limit=2, cursor=first["next_cursor"]
        )
    ).json()
    assert [t["approval_id"] for t in second["items"]] == ["doc-4"]
    assert second["next_cursor"] is None
    every = (await api.get("emp-admin", "/api/admin/tasks")).json()["items"]
    assert [t["approval_id"] for t in every] == ["doc-1", "doc-2", "doc-3", "doc-4"]


async def test_a_task_moved_to_the_manager_on_departure_is_not_stranded(api: Api) -> None:
    await api.open_stage(["emp-kim"])
    await api.harness.deliver(deactivated("emp-kim", "emp-boss"))
    stranded = await api.get("emp-admin", "/api/admin/tasks", stranded="true")
    assert stranded.json()["items"] == []


async def test_reassigning_hands_the_task_over_and_announces_it(api: Api) -> None:
    await _strand(api, "emp-kim", "doc-1")
    task_id = await _task_id(api)
    answer = await api.post(
        "emp-admin", f"/api/admin/tasks/{task_id}/reassign", _reassign("emp-lee")
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["id"], body["approver_id"], body["assignee_id"]) == (task_id, "emp-kim", "emp-lee")
    assert (body["on_behalf_of"], body["status"]) == ("emp-kim", "pending")
    [assigned] = await api.harness.results()
    assert assigned.type == "approval.tasks_assigned"
    assert assigned.aggregate_id == "doc-1"
    assert assigned.data == {
        "approval_id": "doc-1",
        "version": 1,
        "stage_index": 0,
        "tasks": [
            {
                "task_id": task_id,
                "approver_id": "emp-kim",
                "assignee_id": "emp-lee",
                "on_behalf_of": "emp-kim",
                "revision": body["revision"],
            }
        ],
    }
    [stored] = await api.harness.tasks()
    assert (stored.assignee_id, stored.revision) == ("emp-lee", body["revision"])
    [item] = (await api.get("emp-lee", "/api/inbox")).json()["items"]
    assert (item["id"], item["on_behalf_of"]) == (task_id, "emp-kim")
    assert (await api.get("emp-admin", "/api/admin/tasks", stranded="true")).json()["items"] == []


async def test_reassigning_to_the_holder_changes_and_announces_nothing(api: Api) -> None:
    await api.open_stage(["emp-kim"])
    task_id = await _task_id(api)
    answer = await api.post(
        "emp-admin", f"/api/admin/tasks/{task_id}/reassign", _reassign("emp-kim")
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["revision"] == 1
    assert await api.harness.results() == []


async def test_an_unknown_task_is_404_and_a_closed_one_409(api: Api) -> None:
    answer = await api.post("emp-admin", "/api/admin/tasks/nope/reassign", _reassign("emp-lee"))
    assert answer.status_code == 404
    await api.open_stage(["emp-kim"])
    task_id = await _task_id(api)
    await api.decide("emp-kim")
    closed = await api.post(
        "emp-admin", f"/api/admin/tasks/{task_id}/reassign", _reassign("emp-lee")
    )
    assert closed.status_code == 409
    assert "approved" in closed.json()["detail"]


async def test_the_assignee_must_be_a_known_active_employee_other_than_the_requester(
    api: Api,
) -> None:
    await _strand(api, "emp-kim", "doc-1")
    task_id = await _task_id(api)
    path = f"/api/admin/tasks/{task_id}/reassign"
    for assignee in ("emp-nobody", "emp-gone", "emp-requester", "emp-kim"):
        answer = await api.post("emp-admin", path, _reassign(assignee))
        assert answer.status_code == 422, (assignee, answer.text)
        assert [e["field"] for e in answer.json()["errors"]] == ["assignee_id"]
    blank = await api.post("emp-admin", path, _reassign("emp-lee", reason="  "))
    assert blank.status_code == 422
    assert [e["field"] for e in blank.json()["errors"]] == ["reason"]
    [stored] = await api.harness.tasks()
    assert (stored.assignee_id, stored.revision) == ("emp-kim", 1)
    assert await api.harness.results() == []
