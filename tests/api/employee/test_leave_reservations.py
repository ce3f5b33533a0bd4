"""Leave through the whole embedded app: the balance shown is the one that refuses a request.

A leave document's days are held by the employee service when it is submitted, released when
it is withdrawn or rejected, and used when it is approved.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import httpx2

from .conftest import Org, Person, assert_problem


def leave(days: float, start: str = "2026-03-09", end: str = "2026-03-31") -> dict[str, Any]:
    return {"start_date": start, "end_date": end, "days": days, "leave_type": "annual"}


# one employee's leave of two documents may not share a day: each request its own month
MONTHS = itertools.cycle(range(1, 13))


async def submit(org: Org, requester: Person, approver: Person, days: float) -> httpx2.Response:
    month = next(MONTHS)
    return await org.client.post(
        "/api/approvals",
        json={
            "form": "leave",
            "title": "휴가",
            "fields": leave(days, f"2026-{month:02d}-01", f"2026-{month:02d}-28"),
            "line": [{"kind": "approval", "approvers": [approver.id], "rule": "all"}],
        },
        headers=requester.headers,
    )


async def balance(org: Org, person: Person) -> dict[str, Any]:
    answer = await org.client.get("/api/leave/balance", headers=person.headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return {k: body[k] for k in ("granted", "used", "pending", "remaining", "available")}


async def people(org: Org) -> tuple[Person, Person]:
    lead = await org.person("Lead", position="manager")
    return await org.person("Kim", manager=lead), lead


async def test_a_second_leave_beyond_the_balance_is_refused_on_days(org: Org) -> None:
    kim, lead = await people(org)
    first = await submit(org, kim, lead, 10)
    assert first.status_code == 201, first.text
    body = assert_problem(await submit(org, kim, lead, 6), 422, "fields.days")
    assert body["errors"][0]["message"] == (
        "only 5 days of leave are available in 2026 (granted 15, used 0, pending 10); 6 requested"
    )
    assert await balance(org, kim) == {
        "granted": 15,
        "used": 0,
        "pending": 10,
        "remaining": 15,
        "available": 5,
    }
    assert (await submit(org, kim, lead, 5)).status_code == 201


async def test_withdrawing_releases_the_days(org: Org) -> None:
    kim, lead = await people(org)
    document = (await submit(org, kim, lead, 10)).json()
    answer = await org.client.post(f"/api/approvals/{document['id']}/withdraw", headers=kim.headers)
    assert answer.status_code == 200, answer.text
    await org.embedded.settle()
    assert (await balance(org, kim))["available"] == 15
    assert (await submit(org, kim, lead, 15)).status_code == 201


async def test_approval_consumes_the_days(org: Org) -> None:
    kim, lead = await people(org)
    document = (await submit(org, kim, lead, 10)).json()
    await org.embedded.settle()  # the approver's task is opened and its holder recorded
    answer = await org.client.post(
        f"/api/approvals/{document['id']}/approve", json={}, headers=lead.headers
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "approved"
    await org.embedded.settle()
    assert await balance(org, kim) == {
        "granted": 15,
        "used": 10,
        "pending": 0,
        "remaining": 5,
        "available": 5,
    }
    body = assert_problem(await submit(org, kim, lead, 6), 422, "fields.days")
    assert "(granted 15, used 10, pending 0)" in body["errors"][0]["message"]


async def test_concurrent_submissions_cannot_both_spend_the_last_days(org: Org) -> None:
    kim, lead = await people(org)
    answers = await asyncio.gather(submit(org, kim, lead, 10), submit(org, kim, lead, 10))
    assert sorted(answer.status_code for answer in answers) == [201, 422]
    assert (await balance(org, kim))["pending"] == 10
