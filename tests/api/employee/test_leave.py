"""`/api/leave/balance`: a year's leave, readable by the employee, their managers and admins."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx2

from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.port import Message

from .conftest import Org, Person, assert_problem


async def balance(org: Org, reader: Person, **params: str | int) -> httpx2.Response:
    return await org.client.get("/api/leave/balance", params=params, headers=reader.headers)


def fresh(employee: Person, year: int = 2026) -> dict[str, Any]:
    return {
        "employee_id": employee.id,
        "year": year,
        "granted": 15,
        "used": 0,
        "pending": 0,
        "remaining": 15,
        "available": 15,
    }


async def test_an_employee_reads_their_own_balance_of_this_year(org: Org) -> None:
    kim = await org.person("Kim")
    answer = await balance(org, kim)
    assert answer.status_code == 200, answer.text
    assert answer.json() == fresh(kim)


async def test_another_year_can_be_named(org: Org) -> None:
    kim = await org.person("Kim")
    answer = await balance(org, kim, employee_id=kim.id, year=2027)
    assert answer.json() == fresh(kim, 2027)


async def test_managers_up_the_chain_and_admins_may_read(org: Org, admin: Person) -> None:
    boss = await org.person("Boss", position="director")
    lead = await org.person("Lead", position="manager", manager=boss)
    kim = await org.person("Kim", manager=lead)
    for reader in (lead, boss, admin):
        answer = await balance(org, reader, employee_id=kim.id)
        assert answer.status_code == 200, (reader.view.name, answer.text)
        assert answer.json() == fresh(kim)


async def test_anyone_else_is_refused(org: Org) -> None:
    lead = await org.person("Lead", position="manager")
    kim = await org.person("Kim", manager=lead)
    peer = await org.person("Peer", manager=lead)
    assert_problem(await balance(org, peer, employee_id=kim.id), 403)
    assert_problem(await balance(org, kim, employee_id=lead.id), 403)


async def test_an_unknown_employee_is_404(org: Org, admin: Person) -> None:
    assert_problem(await balance(org, admin, employee_id="nobody"), 404)


async def test_a_token_is_required(org: Org) -> None:
    answer = await org.client.get("/api/leave/balance")
    assert_problem(answer, 401)


async def test_a_bad_year_is_422(org: Org) -> None:
    kim = await org.person("Kim")
    assert_problem(await balance(org, kim, year="last"), 422, "year")
    assert_problem(await balance(org, kim, year=0), 422, "year")


async def test_leave_events_on_the_bus_reach_the_balance(org: Org) -> None:
    kim = await org.person("Kim")
    data = {
        "approval_id": "doc-1",
        "version": 1,
        "title": "여름 휴가",
        "form": "leave",
        "requester": {"id": kim.id, "name": "Kim"},
        "fields": {
            "start_date": "2026-07-27",
            "end_date": "2026-07-29",
            "days": 2.5,
            "leave_type": "annual",
        },
        "cc": [],
    }
    submitted = Event(
        type="approval.submitted",
        aggregate_id="doc-1",
        data=data,
        occurred_at=datetime(2026, 3, 2, tzinfo=UTC),
    )
    await org.embedded.bus.publish(
        "approval-events", [Message(key="doc-1", value=submitted.to_json())]
    )
    await org.embedded.settle()
    body = (await balance(org, kim)).json()
    assert (body["pending"], body["used"], body["remaining"], body["available"]) == (
        2.5,
        0,
        15,
        12.5,
    )
