"""`/api/delegations`: granting, listing and revoking 대결."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.unit.processing.builders import NOW

from .conftest import Api


def window(start: timedelta = timedelta(0), end: timedelta = timedelta(days=3)) -> dict[str, str]:
    return {"starts_at": (NOW + start).isoformat(), "ends_at": (NOW + end).isoformat()}


async def grant(api: Api, delegator: str, delegate: str, **times: Any) -> dict[str, Any]:
    answer = await api.post(
        delegator, "/api/delegations", {"delegate_id": delegate, **window(**times)}
    )
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_delegations_need_a_token(api: Api) -> None:
    assert (await api.get(None, "/api/delegations")).status_code == 401
    assert (await api.post(None, "/api/delegations", {})).status_code == 401
    assert (await api.delete(None, "/api/delegations/dlg-1")).status_code == 401


async def test_a_granted_delegation_is_answered_in_full(api: Api) -> None:
    answer = await api.post(
        "emp-kim",
        "/api/delegations",
        {
            "delegate_id": "emp-lee",
            "starts_at": "2026-03-03T09:00:00+09:00",
            "ends_at": "2026-03-06T18:00:00+09:00",
            "reason": "business_trip",
            "reason_note": "  부산 지사\n  출장 ",
        },
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (await api.get("emp-kim", "/api/delegations")).json()["items"] == [body]
    assert body == {
        "id": body["id"],
        "delegator_id": "emp-kim",
        "delegate_id": "emp-lee",
        "starts_at": "2026-03-03T00:00:00Z",
        "ends_at": "2026-03-06T09:00:00Z",
        "created_at": "2026-03-02T00:30:00Z",
        "revoked_at": None,
        "reason": "business_trip",
        "reason_note": "부산 지사 출장",
    }


async def test_a_reason_is_optional_and_other_needs_its_note(api: Api) -> None:
    plain = await grant(api, "emp-kim", "emp-lee", end=timedelta(days=1))
    assert (plain["reason"], plain["reason_note"]) == (None, None)
    answer = await api.post(
        "emp-park", "/api/delegations", {"delegate_id": "emp-lee", "reason": "other", **window()}
    )
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == ["reason_note"]
    answer = await api.post(
        "emp-park",
        "/api/delegations",
        {"delegate_id": "emp-lee", "reason": "other", "reason_note": "워크숍", **window()},
    )
    assert answer.status_code == 201, answer.text
    assert (answer.json()["reason"], answer.json()["reason_note"]) == ("other", "워크숍")


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"reason": "holiday"}, "reason"),
        ({"reason": "vacation", "reason_note": "x" * 201}, "reason_note"),
        ({"reason": "sick_leave", "reason_note": 3}, "reason_note"),
    ],
)
async def test_bad_reasons_are_refused(api: Api, extra: dict[str, object], field: str) -> None:
    answer = await api.post(
        "emp-kim", "/api/delegations", {"delegate_id": "emp-lee", **window(), **extra}
    )
    assert answer.status_code == 422, answer.text
    assert field in [e["field"] for e in answer.json()["errors"]]
    assert (await api.get("emp-kim", "/api/delegations")).json()["items"] == []


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "starts_utc", "ends_utc"),
    [
        ("2026-03-03", "2026-03-06", "2026-03-02T15:00:00Z", "2026-03-06T15:00:00Z"),
        ("2026-03-02", "2026-03-02", "2026-03-01T15:00:00Z", "2026-03-02T15:00:00Z"),
        ("2026-03-03", "2026-03-04T12:00:00+09:00", "2026-03-02T15:00:00Z", "2026-03-04T03:00:00Z"),
    ],
)
async def test_dates_alone_are_whole_days_in_the_company_time_zone(
    api: Api, starts_at: str, ends_at: str, starts_utc: str, ends_utc: str
) -> None:
    answer = await api.post(
        "emp-kim",
        "/api/delegations",
        {"delegate_id": "emp-lee", "starts_at": starts_at, "ends_at": ends_at},
    )
    assert answer.status_code == 201, answer.text
    assert (answer.json()["starts_at"], answer.json()["ends_at"]) == (starts_utc, ends_utc)


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        ("2026-03-06", "2026-03-05"),  # the end day before the start day
        ("2026-02-27", "2026-03-01"),  # over already (it is 2 March in Seoul)
        ("2026-03-03", "9999-12-31"),  # a last day without a following one
        ("2026-03-03", "2026-03-32"),
    ],
)
async def test_bad_dates_are_refused_on_the_end(api: Api, starts_at: str, ends_at: str) -> None:
    answer = await api.post(
        "emp-kim",
        "/api/delegations",
        {"delegate_id": "emp-lee", "starts_at": starts_at, "ends_at": ends_at},
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert "ends_at" in [e["field"] for e in answer.json()["errors"]]
    assert (await api.get("emp-kim", "/api/delegations")).json()["items"] == []


async def test_both_sides_see_a_delegation_and_others_do_not(api: Api) -> None:
    given = await grant(api, "emp-kim", "emp-lee")
    api.harness.clock.advance(minutes=1)
    received = await grant(api, "emp-park", "emp-kim")
    kims = (await api.get("emp-kim", "/api/delegations")).json()
    assert [d["id"] for d in kims["items"]] == [received["id"], given["id"]]
    assert kims["next_cursor"] is None
    assert [d["id"] for d in (await api.get("emp-lee", "/api/delegations")).json()["items"]] == [
        given["id"]
    ]
    assert (await api.get("emp-choi", "/api/delegations")).json()["items"] == []
    first = (await api.get("emp-kim", "/api/delegations", limit=1)).json()
    rest = (
        await api.get("emp-kim", "/api/delegations", limit=1, cursor=first["next_cursor"])
    ).json()
    assert [d["id"] for d in first["items"] + rest["items"]] == [received["id"], given["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"delegate_id": "emp-kim", **window()}, "delegate_id"),
        ({"delegate_id": "emp-nobody", **window()}, "delegate_id"),
        ({"delegate_id": "emp-gone", **window()}, "delegate_id"),
        ({"delegate_id": "emp-lee", **window(timedelta(days=2), timedelta(days=1))}, "ends_at"),
        ({"delegate_id": "emp-lee", **window(timedelta(days=1), timedelta(days=1))}, "ends_at"),
        (
            {"delegate_id": "emp-lee", **window(-timedelta(days=3), -timedelta(days=1))},
            "ends_at",
        ),
        (
            {
                "delegate_id": "emp-lee",
                "starts_at": "2026-03-03T09:00:00",
                "ends_at": "2026-03-05T09:00:00+09:00",
            },
            "starts_at",
        ),
        (
            {
                "delegate_id": "emp-lee",
                "starts_at": "2026-03-03T09:00:00+09:00",
                "ends_at": "2026-03-05T09:00:00",
            },
            "ends_at",
        ),
        ({"delegate_id": "emp-lee", "starts_at": "tomorrow", "ends_at": "later"}, "starts_at"),
        (  # times that have no UTC reading
            {
                "delegate_id": "emp-lee",
                "starts_at": "0001-01-01T00:00:00+23:00",
                "ends_at": "2026-03-05T09:00:00+09:00",
            },
            "starts_at",
        ),
        (
            {
                "delegate_id": "emp-lee",
                "starts_at": "2026-03-03T09:00:00+09:00",
                "ends_at": "9999-12-31T20:00:00-23:00",
            },
            "ends_at",
        ),
        ({**window()}, "delegate_id"),
        ({"delegate_id": "emp-lee", "delegator_id": "emp-park", **window()}, "delegator_id"),
    ],
)
async def test_invalid_delegations_are_refused(
    api: Api, body: dict[str, object], field: str
) -> None:
    answer = await api.post("emp-kim", "/api/delegations", body)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in answer.json()["errors"]]
    assert (await api.get("emp-kim", "/api/delegations")).json()["items"] == []


async def test_an_overlapping_delegation_is_a_conflict(api: Api) -> None:
    await grant(api, "emp-kim", "emp-lee", end=timedelta(days=3))
    overlapping = await api.post(
        "emp-kim",
        "/api/delegations",
        {"delegate_id": "emp-park", **window(timedelta(days=2), timedelta(days=5))},
    )
    assert overlapping.status_code == 409
    await grant(api, "emp-kim", "emp-park", start=timedelta(days=3), end=timedelta(days=5))
    await grant(api, "emp-lee", "emp-park")


async def test_a_revoked_delegation_no_longer_blocks_a_new_one(api: Api) -> None:
    first = await grant(api, "emp-kim", "emp-lee")
    assert (await api.delete("emp-kim", f"/api/delegations/{first['id']}")).status_code == 204
    await grant(api, "emp-kim", "emp-park")


async def test_the_delegator_revokes(api: Api) -> None:
    granted = await grant(api, "emp-kim", "emp-lee")
    api.harness.clock.advance(hours=1)
    answer = await api.delete("emp-kim", f"/api/delegations/{granted['id']}")
    assert answer.status_code == 204
    assert answer.content == b""
    [listed] = (await api.get("emp-kim", "/api/delegations")).json()["items"]
    assert datetime.fromisoformat(listed["revoked_at"]) == NOW + timedelta(hours=1)
    again = await api.delete("emp-kim", f"/api/delegations/{granted['id']}")
    assert again.status_code == 204


async def test_an_administrator_revokes(api: Api) -> None:
    granted = await grant(api, "emp-kim", "emp-lee")
    assert (await api.delete("emp-admin", f"/api/delegations/{granted['id']}")).status_code == 204


async def test_others_cannot_revoke_and_learn_nothing(api: Api) -> None:
    granted = await grant(api, "emp-kim", "emp-lee")
    delegate = await api.delete("emp-lee", f"/api/delegations/{granted['id']}")
    stranger = await api.delete("emp-park", f"/api/delegations/{granted['id']}")
    unknown = await api.delete("emp-kim", "/api/delegations/dlg-unknown")
    assert [delegate.status_code, stranger.status_code, unknown.status_code] == [404, 404, 404]
    [listed] = (await api.get("emp-kim", "/api/delegations")).json()["items"]
    assert listed["revoked_at"] is None


async def test_the_sweeper_is_due_when_the_next_window_starts_or_ends(api: Api) -> None:
    delegations = api.harness.service.delegations
    assert await delegations.seconds_to_next_window_change() is None
    await grant(api, "emp-kim", "emp-lee", start=timedelta(hours=2), end=timedelta(hours=5))
    assert await delegations.seconds_to_next_window_change() == 2 * 3600
    api.harness.clock.advance(hours=3)  # started: the end is next
    assert await delegations.seconds_to_next_window_change() == 2 * 3600
    api.harness.clock.advance(hours=2)
    assert await delegations.seconds_to_next_window_change() is None
