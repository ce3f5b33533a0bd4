"""`POST /api/approvals/{id}/approve|reject`: who may decide, and what is published."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.unit.processing.builders import NOW, tasks_cancelled

from .conftest import Api


async def test_deciding_needs_a_token(api: Api) -> None:
    await api.open_stage(["emp-kim"])
    answer = await api.post(None, "/api/approvals/doc-1/approve", {})
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    bad = await api.client.post(
        "/api/approvals/doc-1/approve", json={}, headers={"Authorization": "Bearer nope"}
    )
    assert bad.status_code == 401


async def test_the_approver_approves_and_the_decision_is_published(api: Api) -> None:
    await api.open_stage(["emp-kim", "emp-lee"], version=2, stage_index=1)
    answer = await api.approve("emp-kim", comment="  좋습니다  ")
    assert answer.status_code == 202, answer.text
    [task] = [t for t in await api.harness.tasks() if t.approver_id == "emp-kim"]
    assert answer.json() == {"task_id": task.id, "decision": "approved"}
    [decided] = await api.harness.results()
    assert (decided.type, decided.aggregate_id) == ("approval.decided", "doc-1")
    assert decided.data == {
        "approval_id": "doc-1",
        "version": 2,
        "task_id": task.id,
        "stage_index": 1,
        "approver_id": "emp-kim",
        "decided_by": "emp-kim",
        "on_behalf_of": None,
        "decision": "approved",
        "comment": "좋습니다",
        "final": False,
        "decided_at": NOW.isoformat(),
    }
    assert datetime.fromisoformat(decided.data["decided_at"]) == NOW


async def test_an_approval_needs_no_body_at_all(api: Api) -> None:
    await api.open_stage(["emp-kim"])
    answer = await api.post("emp-kim", "/api/approvals/doc-1/approve")  # no body, no JSON
    assert answer.status_code == 202, answer.text
    [decided] = await api.harness.results()
    assert (decided.data["decision"], decided.data["comment"]) == ("approved", None)
    assert decided.data["final"] is False


async def test_the_approver_rejects_with_a_reason(api: Api) -> None:
    await api.open_stage(["emp-kim"])
    answer = await api.reject("emp-kim", reason="예산 초과")
    assert answer.status_code == 202, answer.text
    assert answer.json()["decision"] == "rejected"
    [decided] = await api.harness.results()
    assert (decided.data["decision"], decided.data["comment"]) == ("rejected", "예산 초과")
    assert decided.data["final"] is False


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": None}])
async def test_a_rejection_without_a_reason_is_invalid(api: Api, body: dict[str, object]) -> None:
    await api.open_stage(["emp-kim"])
    answer = await api.reject("emp-kim", **body)
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["reason"]
    assert all(t.is_pending for t in await api.harness.tasks())
    assert await api.harness.results() == []


async def test_overlong_comments_and_unknown_fields_are_invalid(api: Api) -> None:
    await api.open_stage(["emp-kim"])
    too_long = await api.approve("emp-kim", comment="가" * 2001)
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "comment"
    assert (await api.reject("emp-kim", reason="x" * 2001)).status_code == 422
    assert (await api.approve("emp-kim", decided_by="emp-boss")).status_code == 422


async def test_an_approver_of_a_later_stage_is_forbidden(api: Api) -> None:
    await api.open_stage(["emp-kim"], stage_index=0)
    answer = await api.approve("emp-park")
    assert answer.status_code == 403
    assert answer.json()["detail"] == "You have no task to decide on this document."


async def test_outsiders_and_the_requester_are_forbidden_alike(api: Api) -> None:
    await api.open_stage(["emp-kim"])
    outsider = await api.approve("emp-outsider")
    requester = await api.reject("emp-requester", reason="제가 올린 문서")
    unknown_document = await api.approve("emp-kim", "doc-unknown")
    assert [outsider.status_code, requester.status_code, unknown_document.status_code] == [
        403,
        403,
        403,
    ]
    assert outsider.json()["detail"] == unknown_document.json()["detail"]


async def test_deciding_twice_is_a_conflict(api: Api) -> None:
    await api.open_stage(["emp-kim"])
    assert (await api.approve("emp-kim")).status_code == 202
    again = await api.reject("emp-kim", reason="마음이 바뀜")
    assert again.status_code == 409
    assert len(await api.harness.results()) == 1


async def test_deciding_after_the_task_was_cancelled_is_a_conflict(api: Api) -> None:
    await api.open_stage(["emp-kim"])
    await api.harness.deliver(tasks_cancelled(reason="withdrawn"))
    assert (await api.approve("emp-kim")).status_code == 409
    assert await api.harness.results() == []


async def test_the_final_authority_approves_finally(api: Api) -> None:
    await api.open_stage(["emp-kim", "emp-lee"], final_authority=["emp-lee"])
    answer = await api.approve("emp-lee", final=True)
    assert answer.status_code == 202, answer.text
    [decided] = await api.harness.results()
    assert decided.data["final"] is True


async def test_others_may_not_approve_finally(api: Api) -> None:
    await api.open_stage(["emp-kim", "emp-lee"], final_authority=["emp-lee"])
    refused = await api.approve("emp-kim", final=True)
    assert refused.status_code == 403
    assert "final authority" in refused.json()["detail"]
    assert await api.harness.results() == []
    assert (await api.approve("emp-kim")).status_code == 202


async def test_a_delegate_decides_under_an_active_delegation(api: Api) -> None:
    granted = await api.post(
        "emp-kim",
        "/api/delegations",
        {
            "delegate_id": "emp-lee",
            "starts_at": NOW.isoformat(),
            "ends_at": (NOW + timedelta(days=3)).isoformat(),
        },
    )
    assert granted.status_code == 201, granted.text
    await api.open_stage(["emp-kim"], final_authority=["emp-kim"])
    assert (await api.approve("emp-kim")).status_code == 403
    answer = await api.approve("emp-lee", final=True, comment="대결합니다")
    assert answer.status_code == 202, answer.text
    [decided] = await api.harness.results()
    assert decided.data["approver_id"] == "emp-kim"
    assert decided.data["decided_by"] == "emp-lee"
    assert decided.data["on_behalf_of"] == "emp-kim"
    assert decided.data["final"] is True
    [task] = await api.harness.tasks()
    assert (task.decided_by, task.on_behalf_of) == ("emp-lee", "emp-kim")


async def test_a_delegation_that_starts_later_lets_the_delegate_decide_from_its_start(
    api: Api,
) -> None:
    await api.open_stage(["emp-kim"])
    granted = await api.post(
        "emp-kim",
        "/api/delegations",
        {
            "delegate_id": "emp-lee",
            "starts_at": (NOW + timedelta(days=1)).isoformat(),
            "ends_at": (NOW + timedelta(days=3)).isoformat(),
        },
    )
    assert granted.status_code == 201
    assert (await api.approve("emp-lee")).status_code == 403
    api.harness.clock.advance(days=1)
    # the sweeper has not run: who may decide does not wait for it
    answer = await api.reject("emp-lee", reason="대결: 반려")
    assert answer.status_code == 202, answer.text
    [decided] = await api.harness.results()
    assert (decided.data["decided_by"], decided.data["on_behalf_of"]) == ("emp-lee", "emp-kim")


async def test_after_a_revocation_the_task_is_the_approvers_again(api: Api) -> None:
    granted = await api.post(
        "emp-kim",
        "/api/delegations",
        {
            "delegate_id": "emp-lee",
            "starts_at": NOW.isoformat(),
            "ends_at": (NOW + timedelta(days=3)).isoformat(),
        },
    )
    await api.open_stage(["emp-kim"])
    revoked = await api.delete("emp-kim", f"/api/delegations/{granted.json()['id']}")
    assert revoked.status_code == 204
    [returned] = await api.harness.results()
    assert returned.data["tasks"][0]["assignee_id"] == "emp-kim"
    assert (await api.approve("emp-lee")).status_code == 403
    assert (await api.approve("emp-kim")).status_code == 202
    [decided] = await api.harness.results()
    assert (decided.data["decided_by"], decided.data["on_behalf_of"]) == ("emp-kim", None)
