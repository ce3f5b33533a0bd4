"""`/api/notifications` over HTTP: only the caller's own, newest first, read state."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import text

from dojang.kernel.clock import FixedClock
from dojang.kernel.web.pagination import decode_cursor, encode_cursor
from tests.unit.notification.approval_events import approval_event, your_turn

from .conftest import KIM, LEE, PARK, Harness, bearer

PROBLEM = "application/problem+json"


async def three_for_lee(harness: Harness, clock: FixedClock) -> list[dict[str, Any]]:
    """Three of Lee's notifications a minute apart (one for Park too); Lee's list, newest first."""
    for number in (1, 2, 3):
        recipients = (LEE.user_id, PARK.user_id) if number == 2 else (LEE.user_id,)
        await harness.deliver(
            your_turn(*recipients, approval_id=f"apr-{number}", title=f"Document {number}")
        )
        clock.advance(minutes=1)
    answer = await harness.client.get("/api/notifications", headers=bearer(LEE))
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/notifications"),
        ("GET", "/api/notifications/unread-count"),
        ("POST", "/api/notifications/read-all"),
        ("POST", "/api/notifications/n-1/read"),
    ],
)
async def test_every_route_needs_a_token(harness: Harness, method: str, path: str) -> None:
    answer = await harness.client.request(method, path)
    assert answer.status_code == 401
    assert answer.headers["content-type"] == PROBLEM
    bad = await harness.client.request(method, path, headers={"Authorization": "Bearer forged"})
    assert bad.status_code == 401


async def test_the_list_holds_the_callers_own_newest_first(
    harness: Harness, clock: FixedClock
) -> None:
    items = await three_for_lee(harness, clock)
    assert [i["title"] for i in items] == ["Document 3", "Document 2", "Document 1"]
    assert items[0] == {
        "id": items[0]["id"],
        "sequence": 3,
        "type": "approval.your_turn",
        "approval_id": "apr-3",
        "title": "Document 3",
        "message": "Kim Dojang asked for your approval: Document 3",
        "created_at": "2026-03-02T09:02:00Z",
        "read_at": None,
    }
    park = await harness.client.get("/api/notifications", headers=bearer(PARK))
    assert [i["approval_id"] for i in park.json()["items"]] == ["apr-2"]
    kim = await harness.client.get("/api/notifications", headers=bearer(KIM))
    assert kim.json() == {"items": [], "next_cursor": None}


async def test_the_list_pages_with_a_cursor(harness: Harness, clock: FixedClock) -> None:
    await three_for_lee(harness, clock)
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        answer = await harness.client.get("/api/notifications", params=params, headers=bearer(LEE))
        page = answer.json()
        seen.extend(i["title"] for i in page["items"])
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == ["Document 3", "Document 2", "Document 1"]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        encode_cursor("2026-03-02T09:00:00+00:00"),
        encode_cursor("not a time", "n-1"),
        encode_cursor("2026-03-02T09:00:00", "n-1"),
        encode_cursor("2026-03-02T09:00:00+00:00", 7),
        encode_cursor("9999-12-31T23:59:59-23:59", "n-1"),  # no such time in UTC
        encode_cursor("0001-01-01T00:00:00+01:00", "n-1"),
    ],
)
async def test_a_foreign_cursor_is_refused(harness: Harness, cursor: str) -> None:
    answer = await harness.client.get(
        "/api/notifications", params={"cursor": cursor}, headers=bearer(LEE)
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "cursor"


async def test_limit_is_bounded(harness: Harness) -> None:
    answer = await harness.client.get(
        "/api/notifications", params={"limit": 201}, headers=bearer(LEE)
    )
    assert answer.status_code == 422


async def test_reading_one_changes_the_unread_filter_and_count(
    harness: Harness, clock: FixedClock
) -> None:
    items = await three_for_lee(harness, clock)
    count = await harness.client.get("/api/notifications/unread-count", headers=bearer(LEE))
    assert count.json() == {"count": 3}

    read = await harness.client.post(
        f"/api/notifications/{items[1]['id']}/read", headers=bearer(LEE)
    )
    assert read.status_code == 200
    assert read.json()["read_at"] == "2026-03-02T09:03:00Z"

    unread = await harness.client.get(
        "/api/notifications", params={"unread": "true"}, headers=bearer(LEE)
    )
    assert [i["title"] for i in unread.json()["items"]] == ["Document 3", "Document 1"]
    done = await harness.client.get(
        "/api/notifications", params={"unread": "false"}, headers=bearer(LEE)
    )
    assert [i["title"] for i in done.json()["items"]] == ["Document 2"]
    count = await harness.client.get("/api/notifications/unread-count", headers=bearer(LEE))
    assert count.json() == {"count": 2}


async def test_reading_again_keeps_the_first_read_time(harness: Harness, clock: FixedClock) -> None:
    items = await three_for_lee(harness, clock)
    path = f"/api/notifications/{items[0]['id']}/read"
    first = await harness.client.post(path, headers=bearer(LEE))
    clock.advance(hours=1)
    again = await harness.client.post(path, headers=bearer(LEE))
    assert again.status_code == 200
    assert again.json() == first.json()


async def test_another_users_notification_cannot_be_read(
    harness: Harness, clock: FixedClock
) -> None:
    items = await three_for_lee(harness, clock)
    answer = await harness.client.post(
        f"/api/notifications/{items[0]['id']}/read", headers=bearer(PARK)
    )
    assert answer.status_code == 404
    assert answer.headers["content-type"] == PROBLEM
    count = await harness.client.get("/api/notifications/unread-count", headers=bearer(LEE))
    assert count.json() == {"count": 3}


async def test_an_unknown_notification_is_not_found(harness: Harness) -> None:
    answer = await harness.client.post("/api/notifications/nope/read", headers=bearer(LEE))
    assert answer.status_code == 404


async def test_read_all_marks_only_the_callers_unread_ones(
    harness: Harness, clock: FixedClock
) -> None:
    items = await three_for_lee(harness, clock)
    await harness.client.post(f"/api/notifications/{items[0]['id']}/read", headers=bearer(LEE))

    answer = await harness.client.post("/api/notifications/read-all", headers=bearer(LEE))
    assert answer.json() == {"updated": 2}
    again = await harness.client.post("/api/notifications/read-all", headers=bearer(LEE))
    assert again.json() == {"updated": 0}

    lee = await harness.client.get("/api/notifications/unread-count", headers=bearer(LEE))
    park = await harness.client.get("/api/notifications/unread-count", headers=bearer(PARK))
    assert lee.json() == {"count": 0}
    assert park.json() == {"count": 1}


async def test_outcomes_reach_the_requester_and_cc_members(harness: Harness) -> None:
    await harness.deliver(
        approval_event(
            "approval.approved",
            number="EXPENSE-2026-000042",
            cc=[PARK.user_id],
            completed_at="2026-03-02T10:00:00Z",
        )
    )
    kim = (await harness.client.get("/api/notifications", headers=bearer(KIM))).json()
    park = (await harness.client.get("/api/notifications", headers=bearer(PARK))).json()
    lee = (await harness.client.get("/api/notifications", headers=bearer(LEE))).json()
    assert [i["type"] for i in kim["items"]] == ["approval.approved"]
    assert [i["type"] for i in park["items"]] == ["approval.cc"]
    assert lee["items"] == []


async def test_a_cursor_in_another_time_zone_pages_the_same(
    harness: Harness, clock: FixedClock
) -> None:
    await three_for_lee(harness, clock)
    first = await harness.client.get("/api/notifications", params={"limit": 1}, headers=bearer(LEE))
    at, notification_id = decode_cursor(first.json()["next_cursor"], 2)
    seoul = datetime.fromisoformat(at).astimezone(timezone(timedelta(hours=9)))
    answer = await harness.client.get(
        "/api/notifications",
        params={"limit": 1, "cursor": encode_cursor(seoul.isoformat(), notification_id)},
        headers=bearer(LEE),
    )
    assert [i["title"] for i in answer.json()["items"]] == ["Document 2"]


async def test_the_unread_count_is_a_counter_kept_with_each_write(
    harness: Harness, clock: FixedClock
) -> None:
    """The count is the stored counter: a notification row removed behind its back (as
    retention never does with an unread one) does not change it."""
    items = await three_for_lee(harness, clock)
    await harness.client.post("/api/notifications/read-all", headers=bearer(LEE))
    await harness.deliver(your_turn(LEE.user_id, approval_id="apr-4", title="Document 4"))
    count = await harness.client.get("/api/notifications/unread-count", headers=bearer(LEE))
    assert count.json() == {"count": 1}
    database = harness.service.module.database
    assert database is not None
    async with database.engine.begin() as conn:
        await conn.execute(text("DELETE FROM notifications WHERE read_at IS NULL"))
    count = await harness.client.get("/api/notifications/unread-count", headers=bearer(LEE))
    assert count.json() == {"count": 1}
    assert len(items) == 3


async def test_read_notifications_past_their_retention_are_deleted(
    harness: Harness, clock: FixedClock
) -> None:
    items = await three_for_lee(harness, clock)
    await harness.client.post(f"/api/notifications/{items[0]['id']}/read", headers=bearer(LEE))
    clock.advance(days=89)
    (prune,) = harness.service.pruners
    assert await prune() == 0
    clock.advance(days=2)
    assert await prune() == 1
    left = await harness.client.get("/api/notifications", headers=bearer(LEE))
    assert [item["id"] for item in left.json()["items"]] == [items[1]["id"], items[2]["id"]]
    count = await harness.client.get("/api/notifications/unread-count", headers=bearer(LEE))
    assert count.json() == {"count": 2}
