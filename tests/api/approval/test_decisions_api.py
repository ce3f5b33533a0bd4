"""`POST /api/approvals/{id}/approve|reject`: answered with the document as decided."""

from __future__ import annotations

import pytest

from tests.unit.approval.fakes import stage

from .conftest import Api, assert_problem, auth


async def test_an_approval_answers_200_with_the_decision_on_the_line(api: Api) -> None:
    document = await api.create(line=[stage("lead"), stage("head")])
    answer = await api.post(
        "lead", f"/api/approvals/{document['id']}/approve", {"comment": " 좋습니다 "}
    )
    assert answer.status_code == 200, answer.text
    decided = answer.json()
    assert decided["current_stage"] == 1
    slot = decided["line"][0]["approvers"][0]
    assert (slot["decision"], slot["decided_by"], slot["comment"]) == (
        "approved",
        "lead",
        "좋습니다",
    )
    assert decided == await api.document(document["id"], "lead")


async def test_an_approval_needs_no_body_at_all(api: Api) -> None:
    document = await api.create(line=[stage("lead")])
    answer = await api.post("lead", f"/api/approvals/{document['id']}/approve")
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "approved"


async def test_a_rejection_answers_200_with_the_document_rejected(api: Api) -> None:
    document = await api.create(line=[stage("lead"), stage("head")])
    answer = await api.post(
        "lead", f"/api/approvals/{document['id']}/reject", {"reason": "예산 초과"}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "rejected"
    assert [s["status"] for s in answer.json()["line"]] == ["rejected", "skipped"]


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": None}])
async def test_a_rejection_without_a_reason_is_invalid(api: Api, body: dict[str, object]) -> None:
    document = await api.create(line=[stage("lead")])
    assert_problem(
        await api.post("lead", f"/api/approvals/{document['id']}/reject", body), 422, "reason"
    )
    assert (await api.document(document["id"]))["status"] == "in_progress"


async def test_who_holds_no_open_slot_hears_403_and_a_repeat_409(api: Api) -> None:
    document = await api.create(line=[stage("lead"), stage("head")])
    path = f"/api/approvals/{document['id']}/approve"
    for user in ("outsider", "staff", "head"):
        assert_problem(await api.post(user, path), 403)
    assert_problem(await api.post("lead", "/api/approvals/no-such-document/approve"), 403)
    assert (await api.post("lead", path)).status_code == 200
    assert_problem(await api.post("lead", path), 409)
    assert_problem(await api.post(None, path), 401)


async def test_an_idempotency_key_answers_a_retry_with_the_first_answer(api: Api) -> None:
    document = await api.create(line=[stage("lead", "peer")])
    path = f"/api/approvals/{document['id']}/approve"
    headers = {"Idempotency-Key": "approve-1"}
    first = await api.client.post(path, headers={**auth("lead"), **headers})
    again = await api.client.post(path, headers={**auth("lead"), **headers})
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert_problem(await api.post("lead", path), 409)  # without the key: a repeat
