"""`POST /api/approvals`, drafts, `PATCH` and `/submit`: shapes and refusals."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.approval.fakes import stage

from .conftest import Api, assert_problem

DOCUMENT_KEYS = {
    "id",
    "number",
    "form",
    "title",
    "content",
    "fields",
    "requester",
    "status",
    "version",
    "current_stage",
    "line",
    "cc",
    "comments",
    "timeline",
    "created_at",
    "updated_at",
    "submitted_at",
    "completed_at",
}


def leave_fields(days: float = 1, **overrides: Any) -> dict[str, Any]:
    fields = {
        "start_date": "2026-03-16",
        "end_date": "2026-03-20",
        "days": days,
        "leave_type": "annual",
    }
    fields.update(overrides)
    return fields


async def test_a_submitted_document_has_the_documented_shape(api: Api) -> None:
    document = await api.create(cc=["junior"])
    assert set(document) == DOCUMENT_KEYS
    assert document["form"] == "general"
    assert document["status"] == "in_progress"
    assert document["version"] == 1
    assert document["number"] is None
    assert document["current_stage"] == 0
    assert document["requester"] == {"id": "staff", "name": "사원 김"}
    assert document["created_at"] == "2026-03-02T00:30:00Z"
    assert document["submitted_at"] == "2026-03-02T00:30:00Z"
    assert document["completed_at"] is None
    assert document["cc"] == [{"employee_id": "junior", "read_at": None}]
    assert document["comments"] == []
    first, second = document["line"]
    assert first == {
        "index": 0,
        "kind": "approval",
        "rule": "all",
        "status": "active",
        "final_authority": [],
        "approvers": [
            {
                "employee_id": "lead",
                "decision": None,
                "decided_by": None,
                "on_behalf_of": None,
                "decided_at": None,
                "comment": None,
            }
        ],
    }
    assert (second["status"], second["approvers"][0]["employee_id"]) == ("waiting", "head")
    assert [entry["action"] for entry in document["timeline"]] == ["created", "submitted"]
    assert document["timeline"][0] == {
        "at": "2026-03-02T00:30:00Z",
        "actor_id": "staff",
        "on_behalf_of": None,
        "action": "created",
        "detail": {},
        "version": 1,
    }


async def test_a_requested_line_keeps_its_kinds_and_rules(api: Api) -> None:
    line = [
        stage("peer", "junior", rule={"at_least": 1}, kind="agreement"),
        stage("lead", "head", rule="any", final_authority=["head"]),
    ]
    document = await api.create(line=line)
    assert [(s["kind"], s["rule"]) for s in document["line"]] == [
        ("agreement", {"at_least": 1}),
        ("approval", "any"),
    ]
    assert document["line"][1]["final_authority"] == ["head"]


async def test_a_leave_request_goes_up_to_the_department_head(api: Api) -> None:
    document = await api.create(form="leave", title="연차", fields=leave_fields(days=5))
    assert [s["approvers"][0]["employee_id"] for s in document["line"]] == ["lead", "head"]
    assert document["fields"] == leave_fields(days=5)


async def test_a_large_expense_adds_the_director(api: Api) -> None:
    fields = {"amount": 2_500_000, "currency": "KRW", "category": "equipment"}
    document = await api.create(form="expense", title="서버", fields=fields)
    assert [s["approvers"][0]["employee_id"] for s in document["line"]] == [
        "lead",
        "head",
        "director",
    ]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"line": []}, ["line"]),
        ({"line": [stage()]}, ["line[0].approvers"]),
        ({"line": [stage("ghost")]}, ["line[0].approvers[0]"]),
        ({"line": [stage("lead"), stage("retired")]}, ["line[1].approvers[0]"]),
        ({"line": [stage("lead", "staff")]}, ["line[0].approvers[1]"]),
        ({"line": [stage("lead", rule={"at_least": 2})]}, ["line[0].rule.at_least"]),
        ({"line": [stage("lead", kind="review")]}, ["line[0].kind"]),
        ({"line": [stage("lead", final_authority=["head"])]}, ["line[0].final_authority[0]"]),
        ({"cc": ["ghost"]}, ["cc[0]"]),
        ({"cc": ["staff"]}, ["cc[0]"]),
        ({"cc": ["lead"]}, ["cc[0]"]),
        ({"title": ""}, ["title"]),
        ({"title": "   "}, ["title"]),
        ({"title": "x" * 201}, ["title"]),
        ({"content": "x" * 20_001}, ["content"]),
        ({"title": "결재\x00요청"}, ["title"]),
        ({"title": "두 줄\n제목"}, ["title"]),
        ({"title": "견적서 \u202egnp.exe"}, ["title"]),
        ({"title": "\u200b\u200b \u2060"}, ["title"]),
        ({"content": "본문 \u2067숨김"}, ["content"]),
        ({"form": "holiday"}, ["form"]),
        ({"fields": {"colour": "red"}}, ["fields.colour"]),
        ({"fields": "none"}, ["fields"]),
        ({"unknown": 1}, ["unknown"]),
    ],
)
async def test_bad_input_is_refused_with_field_errors(
    api: Api, body: dict[str, Any], fields: list[str]
) -> None:
    payload = {"form": "general", "title": "제목", **body}
    answer = await api.post("staff", "/api/approvals", payload)
    assert_problem(answer, 422, *fields)
    assert await api.box("staff") == []


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (leave_fields(days=0), ["fields.days"]),
        (leave_fields(days=1.3), ["fields.days"]),
        (leave_fields(days=6), ["fields.days"]),
        (leave_fields(end_date="2026-03-13"), ["fields.end_date"]),
        (leave_fields(start_date="16/03/2026"), ["fields.start_date"]),
        (leave_fields(leave_type="holiday"), ["fields.leave_type"]),
        ({"days": 1}, ["fields.end_date", "fields.leave_type", "fields.start_date"]),
    ],
)
async def test_leave_fields_are_checked_on_submit(
    api: Api, fields: dict[str, Any], errors: list[str]
) -> None:
    answer = await api.post(
        "staff", "/api/approvals", {"form": "leave", "title": "휴가", "fields": fields}
    )
    assert_problem(answer, 422, *errors)


async def test_leave_over_the_balance_is_refused(api: Api) -> None:
    api.harness.org.allowances[("staff", 2026)] = (15, 12)
    await api.create(form="leave", title="휴가 1", fields=leave_fields(days=2))
    answer = await api.post(
        "staff",
        "/api/approvals",
        {"form": "leave", "title": "휴가 2", "fields": leave_fields(days=1.5)},
    )
    body = assert_problem(answer, 422, "fields.days")
    assert "only 1 days of leave are available in 2026" in body["errors"][0]["message"]


async def test_leave_is_503_when_the_ledger_cannot_be_reached(api: Api) -> None:
    api.harness.org.ledger_error = ConnectionError("connection refused")
    answer = await api.post(
        "staff", "/api/approvals", {"form": "leave", "title": "휴가", "fields": leave_fields()}
    )
    body = assert_problem(answer, 503)
    assert body["type"].endswith("/unavailable")
    assert "did not answer" in body["detail"]
    assert await api.harness.events() == []
    assert await api.box("staff", "submitted") == []


async def test_the_ceo_is_told_to_name_a_line(api: Api) -> None:
    answer = await api.post("ceo", "/api/approvals", {"form": "general", "title": "공지"})
    body = assert_problem(answer, 422, "line")
    assert "send a `line`" in body["detail"]


async def test_someone_outside_the_organisation_cannot_draft(api: Api) -> None:
    api.harness.org.deactivate("peer")
    answer = await api.post("peer", "/api/approvals", {"form": "general", "title": "x"})
    assert_problem(answer, 403)


async def test_a_draft_may_be_incomplete_and_is_the_requesters_alone(api: Api) -> None:
    draft = await api.create(
        form="leave", title="휴가 초안", fields={"days": 1}, line=[stage("lead")], submit=False
    )
    assert draft["status"] == "draft"
    assert draft["submitted_at"] is None
    assert draft["current_stage"] is None
    assert draft["line"][0]["status"] == "waiting"
    path = f"/api/approvals/{draft['id']}"
    assert_problem(await api.get("lead", path), 404)
    assert (await api.get("staff", path)).status_code == 200
    assert (await api.get("admin", path)).status_code == 200
    assert await api.box("staff", "drafts") == [draft["id"]]
    assert await api.box("staff", "submitted") == []
    assert await api.harness.events() == []


async def test_a_draft_without_a_line_shows_none(api: Api) -> None:
    draft = await api.create(submit=False)
    assert draft["line"] == []


async def test_a_draft_is_edited_then_submitted(api: Api) -> None:
    draft = await api.create(form="leave", title="휴가", fields={"days": 1}, submit=False)
    path = f"/api/approvals/{draft['id']}"

    assert_problem(await api.post("staff", f"{path}/submit"), 422)
    answer = await api.call(
        "staff",
        "PATCH",
        path,
        {"title": "여름 휴가", "fields": leave_fields(days=3), "cc": ["junior"]},
    )
    assert answer.status_code == 200, answer.text
    edited = answer.json()
    assert (edited["title"], edited["fields"]["days"]) == ("여름 휴가", 3)
    assert edited["timeline"][-1]["action"] == "updated"

    answer = await api.post("staff", f"{path}/submit")
    assert answer.status_code == 200, answer.text
    submitted = answer.json()
    assert submitted["status"] == "in_progress"
    assert submitted["cc"] == [{"employee_id": "junior", "read_at": None}]
    assert [s["approvers"][0]["employee_id"] for s in submitted["line"]] == ["lead", "head"]
    assert [e.type for e in await api.harness.events()] == [
        "approval.tasks_opened",
        "approval.your_turn",
        "approval.submitted",
    ]

    assert_problem(await api.post("staff", f"{path}/submit"), 409)
    assert_problem(await api.call("staff", "PATCH", path, {"title": "늦은 수정"}), 409)


async def test_patch_checks_what_it_changes(api: Api) -> None:
    draft = await api.create(submit=False)
    path = f"/api/approvals/{draft['id']}"
    answer = await api.call("staff", "PATCH", path, {"line": [stage("staff")]})
    assert_problem(answer, 422, "line[0].approvers[0]")
    answer = await api.call("staff", "PATCH", path, {"title": None, "line": [stage("peer")]})
    assert answer.status_code == 200
    assert answer.json()["title"] == draft["title"]
    answer = await api.call("staff", "PATCH", path, {"line": None})
    assert answer.json()["line"] == []


async def test_only_the_requester_submits_or_edits_a_draft(api: Api) -> None:
    draft = await api.create(submit=False)
    path = f"/api/approvals/{draft['id']}"
    assert_problem(await api.post("peer", f"{path}/submit"), 404)
    assert_problem(await api.post("admin", f"{path}/submit"), 403)
    assert_problem(await api.call("admin", "PATCH", path, {"title": "x"}), 403)


async def test_text_is_measured_after_it_is_trimmed(api: Api) -> None:
    title = "가" * 200
    created = await api.create(title=f"  {title}  ", content="\r\n 첫 줄\r\n둘째 줄 \n")
    assert created["title"] == title
    assert created["content"] == "첫 줄\n둘째 줄"
