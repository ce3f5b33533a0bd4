"""`/api/forms`: the forms, their fields and default line rules."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Api, assert_problem


async def test_forms_need_a_token(api: Api) -> None:
    assert_problem(await api.get(None, "/api/forms"), 401)
    assert_problem(await api.get("nobody", "/api/forms"), 401)


async def test_every_authenticated_caller_sees_the_three_forms(api: Api) -> None:
    answer = await api.get("staff", "/api/forms")
    assert answer.status_code == 200
    body = answer.json()
    assert body["next_cursor"] is None
    forms = {form["code"]: form for form in body["items"]}
    assert set(forms) == {"general", "leave", "expense"}
    assert forms["general"]["fields"] == []
    assert [f["name"] for f in forms["leave"]["fields"]] == [
        "start_date",
        "end_date",
        "days",
        "leave_type",
    ]
    expense = {f["name"]: f for f in forms["expense"]["fields"]}
    assert expense["currency"]["default"] == "KRW"
    assert expense["currency"]["required"] is False
    assert expense["category"]["choices"] == [
        "travel",
        "meals",
        "supplies",
        "equipment",
        "training",
        "other",
    ]
    assert forms["expense"]["line_rule"]["director_threshold"] == 1_000_000
    for form in forms.values():
        assert form["name"]
        assert form["name_ko"]
        assert form["line_rule"]["description"]


async def test_one_form_by_its_code(api: Api) -> None:
    answer = await api.get("staff", "/api/forms/leave")
    assert answer.status_code == 200
    assert answer.json()["name_ko"] == "휴가 신청서"
    assert_problem(await api.get("staff", "/api/forms/holiday"), 422, "code")


async def test_forms_are_listed_in_pages(api: Api) -> None:
    first = (await api.get("staff", "/api/forms", limit=2)).json()
    assert [form["code"] for form in first["items"]] == ["expense", "general"]
    assert first["next_cursor"]
    second = (await api.get("staff", "/api/forms", limit=2, cursor=first["next_cursor"])).json()
    assert [form["code"] for form in second["items"]] == ["leave"]
    assert second["next_cursor"] is None


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"cursor": "garbage"}])
async def test_bad_paging_of_forms_is_refused(api: Api, params: dict[str, Any]) -> None:
    assert_problem(await api.get("staff", "/api/forms", **params), 422)
