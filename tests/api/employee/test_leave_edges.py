"""Leave at the edges, through the whole embedded app on each SQL backend: the first and
last years a date can name are refused cleanly, and one employee cannot hold the same days
twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI

from dojang.app import create_app
from dojang.kernel.clock import FixedClock
from tests.conftest import test_overrides
from tests.sql_backends import SqlBackend

from .conftest import Org, Person, assert_problem


@pytest.fixture
async def app(tmp_path: Path, clock: FixedClock, sql_backend: SqlBackend) -> AsyncIterator[FastAPI]:
    """The started embedded app on the backend's databases."""
    overrides = test_overrides(tmp_path / "data") | await sql_backend.service_urls()
    application = create_app(clock=clock, **overrides)
    async with application.router.lifespan_context(application):
        yield application


def leave(start: str, end: str, days: float = 1) -> dict[str, Any]:
    return {"start_date": start, "end_date": end, "days": days, "leave_type": "annual"}


async def submit(
    org: Org, requester: Person, approver: Person, fields: dict[str, Any]
) -> httpx2.Response:
    return await org.client.post(
        "/api/approvals",
        json={
            "form": "leave",
            "title": "휴가",
            "fields": fields,
            "line": [{"kind": "approval", "approvers": [approver.id], "rule": "all"}],
        },
        headers=requester.headers,
    )


async def people(org: Org) -> tuple[Person, Person]:
    lead = await org.person("Lead", position="manager")
    return await org.person("Kim", manager=lead), lead


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("0001-01-01", "0001-01-01"),
        ("9999-12-31", "9999-12-31"),
        ("9999-12-30", "9999-12-31"),
        ("0001-01-01", "9999-12-31"),
    ],
)
async def test_leave_in_the_first_or_last_year_is_refused_cleanly(
    org: Org, start: str, end: str
) -> None:
    kim, lead = await people(org)
    answer = await submit(org, kim, lead, leave(start, end))
    assert_problem(answer, 422)
    listed = await org.client.get("/api/approvals?box=submitted", headers=kim.headers)
    assert listed.json()["items"] == []


async def test_the_same_days_requested_twice_are_refused(org: Org) -> None:
    kim, lead = await people(org)
    first = await submit(org, kim, lead, leave("2026-03-09", "2026-03-11", 3))
    assert first.status_code == 201, first.text
    body = assert_problem(
        await submit(org, kim, lead, leave("2026-03-11", "2026-03-12", 2)), 422, "fields.start_date"
    )
    assert first.json()["id"] in body["errors"][0]["message"]
    pending = await org.client.get("/api/leave/balance", headers=kim.headers)
    assert pending.json()["pending"] == 3


async def test_leave_next_to_leave_is_accepted(org: Org) -> None:
    kim, lead = await people(org)
    assert (await submit(org, kim, lead, leave("2026-03-09", "2026-03-11", 3))).status_code == 201
    assert (await submit(org, kim, lead, leave("2026-03-12", "2026-03-12"))).status_code == 201


async def test_another_employee_may_take_the_same_days(org: Org) -> None:
    kim, lead = await people(org)
    lee = await org.person("Lee", manager=lead)
    assert (await submit(org, kim, lead, leave("2026-03-09", "2026-03-11", 3))).status_code == 201
    assert (await submit(org, lee, lead, leave("2026-03-09", "2026-03-11", 3))).status_code == 201


async def test_withdrawn_leave_frees_its_days_for_a_new_request(org: Org) -> None:
    kim, lead = await people(org)
    first = (await submit(org, kim, lead, leave("2026-03-09", "2026-03-11", 3))).json()
    withdrawn = await org.client.post(f"/api/approvals/{first['id']}/withdraw", headers=kim.headers)
    assert withdrawn.status_code == 200, withdrawn.text
    await org.embedded.settle()
    assert (await submit(org, kim, lead, leave("2026-03-10", "2026-03-10"))).status_code == 201


async def test_leave_across_new_year_overlaps_leave_of_the_next_year(org: Org) -> None:
    kim, lead = await people(org)
    assert (await submit(org, kim, lead, leave("2026-12-30", "2027-01-02", 4))).status_code == 201
    assert_problem(
        await submit(org, kim, lead, leave("2027-01-02", "2027-01-03", 2)), 422, "fields.start_date"
    )


async def test_two_overlapping_requests_at_once_cannot_both_hold(org: Org) -> None:
    kim, lead = await people(org)
    answers = await asyncio.gather(
        submit(org, kim, lead, leave("2026-03-09", "2026-03-10", 2)),
        submit(org, kim, lead, leave("2026-03-10", "2026-03-11", 2)),
    )
    assert sorted(answer.status_code for answer in answers) == [201, 422]
