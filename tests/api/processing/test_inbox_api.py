"""`GET /api/inbox`: what waits for the caller, and what they decided."""

from __future__ import annotations

from datetime import timedelta

from dojang.kernel.web.pagination import encode_cursor
from tests.unit.processing.builders import NOW, REQUESTER, deactivated, tasks_cancelled

from .conftest import Api


async def test_the_inbox_needs_a_token(api: Api) -> None:
    assert (await api.get(None, "/api/inbox")).status_code == 401


async def test_pending_lists_the_callers_open_tasks(api: Api) -> None:
    await api.open_stage(["emp-kim", "emp-lee"], final_authority=["emp-kim"])
    answer = await api.get("emp-kim", "/api/inbox")
    assert answer.status_code == 200, answer.text
    [item] = answer.json()["items"]
    [task] = [t for t in await api.harness.tasks() if t.approver_id == "emp-kim"]
    assert item == {
        "id": task.id,
        "approval_id": "doc-1",
        "version": 1,
        "title": "휴가 신청",
        "form": "leave",
        "requester": {"id": REQUESTER.id, "name": REQUESTER.name},
        "stage_index": 0,
        "kind": "approval",
        "on_behalf_of": None,
        "created_at": "2026-03-02T00:30:00Z",
        "status": "pending",
        "decided_at": None,
    }
    assert answer.json()["next_cursor"] is None
    assert (await api.get("emp-park", "/api/inbox")).json()["items"] == []
    assert (await api.get("emp-requester", "/api/inbox")).json()["items"] == []


async def test_decided_and_cancelled_tasks_leave_pending(api: Api) -> None:
    await api.open_stage(["emp-kim"])
    await api.open_stage(["emp-kim"], approval_id="doc-2")
    await api.decide("emp-kim", "doc-1")
    await api.harness.deliver(tasks_cancelled(approval_id="doc-2"))
    assert (await api.get("emp-kim", "/api/inbox", status="pending")).json()["items"] == []


async def test_done_lists_what_the_caller_decided_latest_first(api: Api) -> None:
    await api.open_stage(["emp-kim"])
    await api.open_stage(["emp-kim"], approval_id="doc-2")
    await api.decide("emp-kim", "doc-1")
    later = NOW + timedelta(minutes=5)
    await api.decide("emp-kim", "doc-2", "rejected", comment="반려", at=later)
    items = (await api.get("emp-kim", "/api/inbox", status="done")).json()["items"]
    assert [(i["approval_id"], i["status"]) for i in items] == [
        ("doc-2", "rejected"),
        ("doc-1", "approved"),
    ]
    assert items[0]["decided_at"] == "2026-03-02T00:35:00Z"
    assert (await api.get("emp-lee", "/api/inbox", status="done")).json()["items"] == []


async def test_pending_is_newest_first_and_paginated(api: Api) -> None:
    for number in range(1, 4):
        await api.open_stage(["emp-kim"], approval_id=f"doc-{number}")
        api.harness.clock.advance(minutes=1)
    first = (await api.get("emp-kim", "/api/inbox", limit=2)).json()
    assert [i["approval_id"] for i in first["items"]] == ["doc-3", "doc-2"]
    assert first["next_cursor"] is not None
    second = (await api.get("emp-kim", "/api/inbox", limit=2, cursor=first["next_cursor"])).json()
    assert [i["approval_id"] for i in second["items"]] == ["doc-1"]
    assert second["next_cursor"] is None


async def test_a_delegate_sees_the_delegators_tasks_on_their_behalf(api: Api) -> None:
    await api.open_stage(["emp-kim"])
    await api.post(
        "emp-kim",
        "/api/delegations",
        {
            "delegate_id": "emp-lee",
            "starts_at": NOW.isoformat(),
            "ends_at": (NOW + timedelta(hours=1)).isoformat(),
        },
    )
    [item] = (await api.get("emp-lee", "/api/inbox")).json()["items"]
    assert (item["approval_id"], item["on_behalf_of"]) == ("doc-1", "emp-kim")
    assert (await api.get("emp-kim", "/api/inbox")).json()["items"] == []
    api.harness.clock.advance(hours=1)
    # the inbox shows the stored holder, as approval-request does, until the sweeper moves it
    [still] = (await api.get("emp-lee", "/api/inbox")).json()["items"]
    assert still["on_behalf_of"] == "emp-kim"
    await api.harness.service.delegations.follow_windows()
    assert (await api.get("emp-lee", "/api/inbox")).json()["items"] == []
    [back] = (await api.get("emp-kim", "/api/inbox")).json()["items"]
    assert back["on_behalf_of"] is None


async def test_a_delegate_sees_the_delegators_tasks_once_the_window_opens(api: Api) -> None:
    await api.open_stage(["emp-kim"])
    await api.post(
        "emp-kim",
        "/api/delegations",
        {
            "delegate_id": "emp-lee",
            "starts_at": (NOW + timedelta(hours=1)).isoformat(),
            "ends_at": (NOW + timedelta(hours=2)).isoformat(),
        },
    )
    assert (await api.get("emp-lee", "/api/inbox")).json()["items"] == []
    api.harness.clock.advance(hours=1)
    await api.harness.service.delegations.follow_windows()
    [item] = (await api.get("emp-lee", "/api/inbox")).json()["items"]
    assert item["on_behalf_of"] == "emp-kim"
    assert (await api.get("emp-kim", "/api/inbox")).json()["items"] == []


async def test_a_delegates_delegate_does_not_see_what_was_handed_over(api: Api) -> None:
    await api.open_stage(["emp-kim"])
    window = {"starts_at": NOW.isoformat(), "ends_at": (NOW + timedelta(hours=1)).isoformat()}
    await api.post("emp-kim", "/api/delegations", {"delegate_id": "emp-lee", **window})
    await api.post("emp-lee", "/api/delegations", {"delegate_id": "emp-park", **window})
    [item] = (await api.get("emp-lee", "/api/inbox")).json()["items"]
    assert item["on_behalf_of"] == "emp-kim"
    assert (await api.get("emp-park", "/api/inbox")).json()["items"] == []


async def test_a_done_task_decided_for_someone_else_says_so(api: Api) -> None:
    await api.open_stage(["emp-kim"])
    await api.harness.deliver(deactivated("emp-kim", "emp-boss"))
    [pending] = (await api.get("emp-boss", "/api/inbox")).json()["items"]
    assert pending["on_behalf_of"] == "emp-kim"
    await api.decide("emp-kim", decided_by="emp-boss")
    [done] = (await api.get("emp-boss", "/api/inbox", status="done")).json()["items"]
    assert (done["status"], done["on_behalf_of"]) == ("approved", "emp-kim")


async def test_bad_inbox_parameters_are_invalid(api: Api) -> None:
    assert (await api.get("emp-kim", "/api/inbox", status="all")).status_code == 422
    assert (await api.get("emp-kim", "/api/inbox", limit=0)).status_code == 422
    assert (await api.get("emp-kim", "/api/inbox", limit=201)).status_code == 422
    bad_cursor = await api.get("emp-kim", "/api/inbox", cursor="not-a-cursor")
    assert bad_cursor.status_code == 422
    assert bad_cursor.json()["errors"][0]["field"] == "cursor"
    beyond = encode_cursor("9999-12-31T23:59:59-23:59", "task-1")  # after year 9999 in UTC
    for path in ("/api/inbox", "/api/delegations"):
        answer = await api.get("emp-kim", path, cursor=beyond)
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["field"] == "cursor"
