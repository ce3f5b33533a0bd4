"""A document's life through the API: boxes, decisions, withdrawal, versions, comments, reads."""

from __future__ import annotations

import pytest

from dojang.approval.domain import document as document_module
from tests.unit.approval.fakes import stage

from .conftest import Api, assert_problem


async def test_the_inbox_holds_what_waits_for_the_caller_now(api: Api) -> None:
    document = await api.create(line=[stage("lead"), stage("head")])
    document_id = document["id"]
    # the slot is in the approver's hands the moment the stage opens
    assert await api.box("lead", "inbox") == [document_id]
    await api.harness.assign(document_id, 1, 0, [("lead", "lead")])
    assert await api.box("lead", "inbox") == [document_id]
    assert await api.box("head", "inbox") == []

    await api.harness.decide(document_id, "lead")
    assert await api.box("lead", "inbox") == []
    await api.harness.assign(document_id, 1, 1, [("head", "peer")])  # 대결
    assert await api.box("peer", "inbox") == [document_id]
    assert await api.box("head", "inbox") == []

    await api.harness.decide(document_id, "head", decided_by="peer")
    assert await api.box("peer", "inbox") == []
    finished = await api.document(document_id, "staff")
    assert finished["status"] == "approved"
    assert finished["number"] == "GENERAL-2026-000001"
    assert finished["current_stage"] is None
    assert finished["completed_at"] == "2026-03-02T00:30:00Z"
    slot = finished["line"][1]["approvers"][0]
    assert (slot["decided_by"], slot["on_behalf_of"]) == ("peer", "head")
    assert [entry["action"] for entry in finished["timeline"]][-3:] == [
        "approved",
        "stage_approved",
        "completed",
    ]
    for user in ("staff", "lead", "head", "peer"):
        assert await api.box(user, "completed") == [document_id], user
    assert await api.box("outsider", "completed") == []


async def test_rejected_documents_and_the_cc_box(api: Api) -> None:
    document = await api.create(line=[stage("lead"), stage("head")], cc=["junior"])
    await api.harness.decide(document["id"], "lead", "rejected", comment="다시 작성")
    rejected = await api.document(document["id"], "junior")
    assert rejected["status"] == "rejected"
    assert [s["status"] for s in rejected["line"]] == ["rejected", "skipped"]
    assert rejected["line"][0]["approvers"][0]["comment"] == "다시 작성"
    for user in ("staff", "lead", "head"):
        assert await api.box(user, "rejected") == [document["id"]], user
    assert await api.box("junior", "cc") == [document["id"]]
    assert await api.box("junior", "rejected") == []
    assert await api.box("staff", "completed") == []


async def test_boxes_filter_and_page(api: Api) -> None:
    draft = await api.create(title="초안", submit=False)
    general = await api.create(title="주간 보고")
    leave = await api.create(
        form="leave",
        title="연차 신청",
        fields={
            "start_date": "2026-03-16",
            "end_date": "2026-03-16",
            "days": 1,
            "leave_type": "annual",
        },
    )
    assert await api.box("staff", "submitted") == [leave["id"], general["id"]]
    assert await api.box("staff") == [leave["id"], general["id"], draft["id"]]
    assert await api.box("staff", "submitted", form="leave") == [leave["id"]]
    assert await api.box("staff", status="draft") == [draft["id"]]
    assert await api.box("staff", q="주간") == [general["id"]]
    assert await api.box("staff", q="100%") == []
    assert await api.box("lead") == [leave["id"], general["id"]]

    first = await api.get("staff", "/api/approvals", limit=2)
    page = first.json()
    assert [item["id"] for item in page["items"]] == [leave["id"], general["id"]]
    assert page["items"][0]["line"][0]["approvers"][0]["employee_id"] == "lead"
    second = await api.get("staff", "/api/approvals", limit=2, cursor=page["next_cursor"])
    assert [item["id"] for item in second.json()["items"]] == [draft["id"]]
    assert second.json()["next_cursor"] is None

    assert_problem(await api.get("staff", "/api/approvals", box="outbox"), 422, "box")
    assert_problem(await api.get("staff", "/api/approvals", cursor="garbage!"), 422, "cursor")
    assert_problem(await api.get("staff", "/api/approvals", limit=201), 422, "limit")


async def test_a_number_is_found_by_search(api: Api) -> None:
    document = await api.create(line=[stage("lead")])
    await api.harness.decide(document["id"], "lead")
    assert await api.box("staff", q="general-2026-000001") == [document["id"]]


async def test_withdrawal_cancels_the_open_tasks(api: Api) -> None:
    document = await api.create(line=[stage("lead", "peer"), stage("head")])
    await api.harness.assign(document["id"], 1, 0, [("lead", "lead"), ("peer", "junior")])
    answer = await api.post("staff", f"/api/approvals/{document['id']}/withdraw")
    assert answer.status_code == 200, answer.text
    withdrawn = answer.json()
    assert withdrawn["status"] == "withdrawn"
    assert [s["status"] for s in withdrawn["line"]] == ["skipped", "skipped"]
    assert withdrawn["timeline"][-1]["action"] == "withdrawn"
    assert await api.box("lead", "inbox") == []
    (event,) = await api.harness.events("approval.withdrawn")
    assert event.data["released"] == ["lead", "junior"]

    late = await api.post("lead", f"/api/approvals/{document['id']}/approve")
    assert_problem(late, 409)
    assert (await api.document(document["id"]))["status"] == "withdrawn"


async def test_resubmission_keeps_every_version_readable(api: Api) -> None:
    document = await api.create(title="1차 기안", line=[stage("lead")], cc=["junior"])
    path = f"/api/approvals/{document['id']}"
    await api.harness.decide(document["id"], "lead", "rejected", comment="보완 필요")

    answer = await api.post(
        "staff", f"{path}/resubmit", {"title": "2차 기안", "content": "보완했습니다"}
    )
    assert answer.status_code == 200, answer.text
    again = answer.json()
    assert (again["version"], again["status"], again["title"]) == (2, "in_progress", "2차 기안")
    assert again["line"][0]["approvers"][0]["decision"] is None
    assert again["cc"] == [{"employee_id": "junior", "read_at": None}]
    assert again["completed_at"] is None
    assert again["timeline"][-1]["action"] == "resubmitted"
    assert again["timeline"][-1]["version"] == 2

    versions = (await api.get("lead", f"{path}/versions")).json()["items"]
    assert [(v["version"], v["status"], v["title"]) for v in versions] == [
        (1, "rejected", "1차 기안"),
        (2, "in_progress", "2차 기안"),
    ]
    assert versions[0]["line"][0]["approvers"][0]["comment"] == "보완 필요"
    first = await api.get("staff", f"{path}/versions/1")
    assert first.json()["content"] == "본문"
    assert_problem(await api.get("staff", f"{path}/versions/3"), 404)

    await api.harness.decide(document["id"], "lead")
    assert (await api.document(document["id"]))["number"] == "GENERAL-2026-000001"


async def test_resubmission_checks_its_changes(api: Api) -> None:
    document = await api.create(line=[stage("lead")])
    path = f"/api/approvals/{document['id']}"
    await api.post("staff", f"{path}/withdraw")
    assert_problem(await api.post("staff", f"{path}/resubmit", {"cc": ["lead"]}), 422, "cc[0]")
    assert_problem(
        await api.post("staff", f"{path}/resubmit", {"line": [stage("ghost")]}),
        422,
        "line[0].approvers[0]",
    )
    answer = await api.post("staff", f"{path}/resubmit", {"line": None})
    assert answer.status_code == 200
    assert [s["approvers"][0]["employee_id"] for s in answer.json()["line"]] == ["lead", "head"]


async def test_resubmitting_without_a_body_keeps_everything(api: Api) -> None:
    document = await api.create(line=[stage("peer")])
    path = f"/api/approvals/{document['id']}"
    await api.post("staff", f"{path}/withdraw")
    answer = await api.post("staff", f"{path}/resubmit")
    assert answer.status_code == 200, answer.text
    assert answer.json()["title"] == document["title"]


async def test_leave_is_checked_again_on_resubmission(api: Api) -> None:
    fields = {
        "start_date": "2026-03-16",
        "end_date": "2026-03-18",
        "days": 3,
        "leave_type": "annual",
    }
    document = await api.create(form="leave", title="휴가", fields=fields)
    path = f"/api/approvals/{document['id']}"
    await api.post("staff", f"{path}/withdraw")
    api.harness.org.allowances[("staff", 2026)] = (15, 13)
    assert_problem(await api.post("staff", f"{path}/resubmit", {}), 422, "fields.days")
    answer = await api.post("staff", f"{path}/resubmit", {"fields": {**fields, "days": 2}})
    assert answer.status_code == 200, answer.text


async def test_comments_are_kept_and_announced(api: Api) -> None:
    document = await api.create(line=[stage("lead")])
    path = f"/api/approvals/{document['id']}"
    answer = await api.post("lead", f"{path}/comments", {"body": "금요일까지 검토하겠습니다"})
    assert answer.status_code == 201, answer.text
    comment = answer.json()
    assert set(comment) == {"id", "version", "author", "body", "created_at"}
    assert comment["author"] == {"id": "lead", "name": "과장 이"}
    assert comment["version"] == 1
    shown = await api.document(document["id"], "staff")
    assert shown["comments"] == [comment]
    assert shown["timeline"][-1]["action"] == "commented"
    assert shown["timeline"][-1]["detail"] == {"comment_id": comment["id"]}
    (event,) = await api.harness.events("approval.commented")
    assert event.data["author"] == {"id": "lead", "name": "과장 이"}

    assert_problem(await api.post("lead", f"{path}/comments", {"body": ""}), 422, "body")
    assert_problem(await api.post("lead", f"{path}/comments", {"body": "   "}), 422, "body")
    assert_problem(await api.post("lead", f"{path}/comments", {}), 422, "body")


async def test_a_cc_read_receipt_is_recorded_once(api: Api) -> None:
    document = await api.create(cc=["junior", "peer"])
    path = f"/api/approvals/{document['id']}/read"
    first = (await api.post("junior", path)).json()
    api.harness.clock.advance(hours=1)
    second = (await api.post("junior", path)).json()
    assert (
        first["cc"]
        == second["cc"]
        == [
            {"employee_id": "junior", "read_at": "2026-03-02T00:30:00Z"},
            {"employee_id": "peer", "read_at": None},
        ]
    )
    reads = [entry for entry in second["timeline"] if entry["action"] == "read"]
    assert [entry["actor_id"] for entry in reads] == ["junior"]


async def test_a_document_holds_a_bounded_number_of_comments(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(document_module, "MAX_COMMENTS", 3)
    document = await api.create(line=[stage("lead")])
    path = f"/api/approvals/{document['id']}/comments"
    for n in range(3):
        assert (await api.post("lead", path, {"body": f"의견 {n}"})).status_code == 201
    problem = assert_problem(await api.post("lead", path, {"body": "하나 더"}), 409)
    assert "3 comments" in problem["detail"]
    assert len((await api.document(document["id"], "staff"))["comments"]) == 3


async def test_rejection_reasons_and_comments_hold_no_hidden_controls(api: Api) -> None:
    document = await api.create(line=[stage("lead")])
    path = f"/api/approvals/{document['id']}"
    assert_problem(await api.post("lead", f"{path}/comments", {"body": "\u202e반려"}), 422, "body")
    assert_problem(await api.post("lead", f"{path}/reject", {"reason": "\u200b"}), 422, "reason")
    assert_problem(
        await api.post("lead", f"{path}/approve", {"comment": "좋습니다\x07"}), 422, "comment"
    )
    assert (await api.document(document["id"], "staff"))["status"] == "in_progress"
