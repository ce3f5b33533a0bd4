"""`POST /api/approvals/preview`: the line a submission would take, who is on it and why."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.approval.fakes import stage

from .conftest import Api, assert_problem

LARGE_EXPENSE = {"amount": 2_500_000, "currency": "KRW", "category": "equipment"}
LEAVE = {"start_date": "2026-03-16", "end_date": "2026-03-17", "days": 2, "leave_type": "annual"}
ENGINEERING = {"id": "eng", "name": "Engineering"}


async def preview(api: Api, user: str = "staff", **body: Any) -> dict[str, Any]:
    answer = await api.post(user, "/api/approvals/preview", body)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def approver_ids(line: list[dict[str, Any]], key: str) -> list[list[str]]:
    return [[approver[key] for approver in stage["approvers"]] for stage in line]


def codes(approver: dict[str, Any]) -> list[str]:
    return [note["code"] for note in approver["trace"]]


async def test_the_default_line_names_each_approver_and_why(api: Api) -> None:
    body = await preview(api, form="general", fields={})
    assert body["form"] == "general"
    assert body["source"] == "default"
    assert body["cc"] == []
    assert body["trace"] == []
    first, second = body["line"]
    assert (first["index"], first["kind"], first["rule"]) == (0, "approval", "all")
    assert first["final_authority"] == []
    assert first["approvers"] == [
        {
            "id": "lead",
            "name": "과장 이",
            "position": "manager",
            "department": ENGINEERING,
            "trace": [
                {
                    "code": "nearest_manager",
                    "text": "The requester's nearest manager",
                    "text_ko": "기안자의 직속 상사",
                    "employee_id": None,
                }
            ],
        }
    ]
    assert [a["id"] for a in second["approvers"]] == ["head"]
    assert codes(second["approvers"][0]) == ["department_head"]


async def test_a_large_expense_previews_the_director_with_the_threshold(api: Api) -> None:
    body = await preview(api, form="expense", fields=LARGE_EXPENSE)
    assert approver_ids(body["line"], "id") == [["lead"], ["head"], ["director"]]
    (director,) = body["line"][2]["approvers"]
    assert (director["name"], director["position"]) == ("이사 정", "director")
    assert director["department"] == {"id": "hq", "name": "본사"}
    (note,) = director["trace"]
    assert note["code"] == "director_for_large_expense"
    assert "1,000,000" in note["text"]
    assert "1,000,000" in note["text_ko"]


@pytest.mark.parametrize(
    ("form", "fields"),
    [
        ("general", {}),
        ("leave", LEAVE),
        ("expense", LARGE_EXPENSE),
        ("expense", {"amount": 1000, "currency": "KRW", "category": "meals"}),
    ],
)
async def test_the_preview_is_the_line_a_submission_then_takes(
    api: Api, form: str, fields: dict[str, Any]
) -> None:
    previewed = await preview(api, form=form, fields=fields)
    document = await api.create(form=form, title="미리보기 확인", fields=fields)
    assert approver_ids(previewed["line"], "id") == approver_ids(document["line"], "employee_id")
    assert [(s["kind"], s["rule"]) for s in previewed["line"]] == [
        (s["kind"], s["rule"]) for s in document["line"]
    ]


async def test_a_requested_line_is_previewed_as_named_with_final_authority_and_cc(
    api: Api,
) -> None:
    line = [
        stage("peer", "junior", rule="any", kind="agreement"),
        stage("head", final_authority=["head"]),
    ]
    body = await preview(api, form="general", fields={}, line=line, cc=["outsider"])
    assert body["source"] == "requested"
    agreement, approval = body["line"]
    assert (agreement["kind"], agreement["rule"]) == ("agreement", "any")
    assert [a["id"] for a in agreement["approvers"]] == ["peer", "junior"]
    assert codes(agreement["approvers"][0]) == ["requested_line"]
    assert approval["final_authority"] == ["head"]
    assert codes(approval["approvers"][0]) == ["requested_line", "final_authority"]
    assert body["cc"] == [
        {
            "id": "outsider",
            "name": "영업 강",
            "position": "staff",
            "department": {"id": "sales", "name": "Sales"},
        }
    ]


async def test_a_deactivated_manager_is_named_as_passed_over(api: Api) -> None:
    api.harness.org.hire("newbie", "신입 오", manager="retired")
    body = await preview(api, "newbie", form="general", fields={})
    assert approver_ids(body["line"], "id") == [["lead"], ["head"]]
    (note,) = body["trace"]
    assert (note["code"], note["employee_id"]) == ("deactivated", "retired")
    assert "퇴사자" in note["text"]
    assert "퇴사자" in note["text_ko"]


async def test_previewing_saves_nothing_and_tells_nobody(api: Api) -> None:
    await preview(api, form="expense", fields=LARGE_EXPENSE)
    assert await api.box("staff") == []
    assert await api.box("staff", "drafts") == []
    assert await api.harness.events() == []


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"form": "expense", "fields": {}}, ["fields.amount", "fields.category"]),
        ({"form": "leave", "fields": {**LEAVE, "days": -1}}, ["fields.days"]),
        ({"form": "memo", "fields": {}}, ["form"]),
        ({"form": "general", "fields": {}, "line": [stage("ghost")]}, ["line[0].approvers[0]"]),
        ({"form": "general", "fields": {}, "line": [stage("staff")]}, ["line[0].approvers[0]"]),
        ({"form": "general", "fields": {}, "line": [stage("retired")]}, ["line[0].approvers[0]"]),
        ({"form": "general", "fields": {}, "line": []}, ["line"]),
        ({"form": "general", "fields": {}, "cc": ["lead"]}, ["cc[0]"]),
        ({"form": "general", "fields": {}, "title": "x"}, ["title"]),
    ],
)
async def test_bad_input_is_refused_as_a_submission_would_be(
    api: Api, body: dict[str, Any], fields: list[str]
) -> None:
    assert_problem(await api.post("staff", "/api/approvals/preview", body), 422, *fields)


async def test_someone_nobody_can_approve_for_must_name_a_line(api: Api) -> None:
    answer = await api.post("ceo", "/api/approvals/preview", {"form": "general", "fields": {}})
    assert_problem(answer, 422, "line")


async def test_the_preview_needs_a_token(api: Api) -> None:
    answer = await api.post(None, "/api/approvals/preview", {"form": "general", "fields": {}})
    assert_problem(answer, 401)
