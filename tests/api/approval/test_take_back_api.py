"""`POST /api/approvals/{id}/take-back`: 결재 취소, answered with the document."""

from __future__ import annotations

from tests.unit.approval.fakes import stage

from .conftest import Api, assert_problem


async def test_a_take_back_answers_200_with_the_stage_open_again(api: Api) -> None:
    document = await api.create(line=[stage("lead"), stage("head")])
    base = f"/api/approvals/{document['id']}"
    assert (await api.post("lead", f"{base}/approve")).status_code == 200

    answer = await api.post("lead", f"{base}/take-back")

    assert answer.status_code == 200, answer.text
    taken = answer.json()
    assert taken["current_stage"] == 0
    assert [s["status"] for s in taken["line"]] == ["active", "waiting"]
    assert taken["line"][0]["approvers"][0]["decision"] is None
    assert taken == await api.document(document["id"], "lead")
    # the approver decides again, and the next stage opens again
    assert (await api.post("lead", f"{base}/approve", {})).status_code == 200
    assert (await api.post("head", f"{base}/approve")).json()["status"] == "approved"


async def test_who_made_no_approval_hears_403_and_nothing_changes(api: Api) -> None:
    document = await api.create(line=[stage("lead"), stage("head")])
    path = f"/api/approvals/{document['id']}/take-back"
    before = await api.document(document["id"])
    for user in ("outsider", "staff", "head", "lead"):
        assert_problem(await api.post(user, path, {}), 403)
    assert_problem(await api.post("lead", "/api/approvals/no-such-document/take-back"), 403)
    assert_problem(await api.post(None, path), 401)
    assert await api.document(document["id"]) == before


async def test_once_the_next_approver_acted_a_take_back_is_409(api: Api) -> None:
    document = await api.create(line=[stage("lead"), stage("head", "peer")])
    base = f"/api/approvals/{document['id']}"
    assert (await api.post("lead", f"{base}/approve")).status_code == 200
    assert (await api.post("head", f"{base}/approve")).status_code == 200
    before = await api.document(document["id"])

    refused = await api.post("lead", f"{base}/take-back")

    assert_problem(refused, 409)
    assert refused.json()["detail"] == (
        "The next approver has already acted, so the approval can no longer be taken back."
    )
    assert await api.document(document["id"]) == before


async def test_a_body_with_unknown_fields_is_invalid(api: Api) -> None:
    document = await api.create(line=[stage("lead"), stage("head")])
    base = f"/api/approvals/{document['id']}"
    assert (await api.post("lead", f"{base}/approve")).status_code == 200
    assert_problem(await api.post("lead", f"{base}/take-back", {"reason": "x"}), 422)
