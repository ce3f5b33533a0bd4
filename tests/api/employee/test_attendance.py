"""`/api/attendance`: one's own check-in and check-out, and who may read attendance."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx2
import pytest

from dojang.kernel.clock import FixedClock

from .conftest import Org, Person, assert_problem

SEOUL = ZoneInfo("Asia/Seoul")


def seoul(day: int, hour: int, minute: int = 0) -> datetime:
    """A Seoul wall-clock time in March 2026, as the UTC instant the clock reports."""
    return datetime(2026, 3, day, hour, minute, tzinfo=SEOUL).astimezone(UTC)


# The clock moves back and forth across days, so each call logs in afresh: a token issued
# at a later instant than the clock shows would not be valid yet.


async def check_in(org: Org, person: Person) -> httpx2.Response:
    return await org.client.post("/api/attendance/check-in", headers=await org.headers(person))


async def check_out(org: Org, person: Person) -> httpx2.Response:
    return await org.client.post("/api/attendance/check-out", headers=await org.headers(person))


async def attendance_of(org: Org, reader: Person, **params: str | int) -> httpx2.Response:
    return await org.client.get("/api/attendance", params=params, headers=await org.headers(reader))


async def work_day(org: Org, clock: FixedClock, person: Person, day: int) -> dict[str, object]:
    clock.at = seoul(day, 9)
    assert (await check_in(org, person)).status_code == 201
    clock.at = seoul(day, 18)
    answer = await check_out(org, person)
    assert answer.status_code == 200, answer.text
    record: dict[str, object] = answer.json()
    return record


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/attendance/check-in"),
        ("POST", "/api/attendance/check-out"),
        ("GET", "/api/attendance"),
    ],
)
async def test_attendance_needs_a_token(client: httpx2.AsyncClient, method: str, path: str) -> None:
    assert_problem(await client.request(method, path), 401)


async def test_a_check_in_opens_the_seoul_day_even_before_utc_midnight_ends(
    org: Org, clock: FixedClock
) -> None:
    staff = await org.person()
    clock.at = seoul(2, 8, 30)  # 23:30 UTC on 1 March
    answer = await check_in(org, staff)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body == {
        "id": body["id"],
        "employee_id": staff.id,
        "date": "2026-03-02",
        "check_in_at": "2026-03-01T23:30:00Z",
        "check_out_at": None,
        "work_minutes": None,
    }


async def test_a_second_check_in_on_the_same_day_is_a_conflict(org: Org, clock: FixedClock) -> None:
    staff = await org.person()
    clock.at = seoul(2, 0, 5)
    assert (await check_in(org, staff)).status_code == 201
    clock.at = seoul(2, 23, 55)
    assert_problem(await check_in(org, staff), 409)
    clock.at = seoul(3, 0, 5)
    assert (await check_in(org, staff)).status_code == 201


async def test_check_out_closes_the_day_with_the_minutes_worked(
    org: Org, clock: FixedClock
) -> None:
    staff = await org.person()
    clock.at = seoul(2, 8, 55)
    opened = (await check_in(org, staff)).json()
    clock.at = seoul(2, 18, 10)
    answer = await check_out(org, staff)
    assert answer.status_code == 200, answer.text
    assert answer.json() == opened | {
        "check_out_at": "2026-03-02T09:10:00Z",
        "work_minutes": 9 * 60 + 15,
    }


async def test_check_out_without_check_in_is_a_conflict(org: Org) -> None:
    staff = await org.person()
    assert_problem(await check_out(org, staff), 409)


async def test_a_second_check_out_is_a_conflict(org: Org, clock: FixedClock) -> None:
    staff = await org.person()
    first = await work_day(org, clock, staff, 2)
    clock.at = seoul(2, 19)
    assert_problem(await check_out(org, staff), 409)
    listed = await attendance_of(org, staff)
    assert listed.json()["items"] == [first]


async def test_a_night_shift_checks_out_after_midnight(org: Org, clock: FixedClock) -> None:
    staff = await org.person()
    clock.at = seoul(2, 22)
    await check_in(org, staff)
    clock.at = seoul(3, 6)
    answer = await check_out(org, staff)
    assert answer.status_code == 200, answer.text
    assert answer.json()["date"] == "2026-03-02"
    assert answer.json()["work_minutes"] == 8 * 60


async def test_a_deactivated_employee_cannot_check_in(
    client: httpx2.AsyncClient, org: Org, admin: Person
) -> None:
    leaver = await org.person()
    await client.delete(f"/api/employees/{leaver.id}", headers=admin.headers)
    # the access token stays valid until it expires; the employee record decides
    assert_problem(await check_in(org, leaver), 403)


async def test_one_reads_their_own_attendance_newest_first_and_paged(
    org: Org, clock: FixedClock
) -> None:
    staff = await org.person()
    days = [await work_day(org, clock, staff, day) for day in (2, 3, 4)]
    first = await attendance_of(org, staff, limit=2)
    assert first.status_code == 200, first.text
    assert first.json()["items"] == [days[2], days[1]]
    cursor = first.json()["next_cursor"]
    second = await attendance_of(org, staff, limit=2, cursor=cursor)
    assert second.json() == {"items": [days[0]], "next_cursor": None}


async def test_the_period_is_from_and_to_inclusive(org: Org, clock: FixedClock) -> None:
    staff = await org.person()
    for day in (2, 3, 4, 5):
        await work_day(org, clock, staff, day)
    answer = await attendance_of(org, staff, **{"from": "2026-03-03", "to": "2026-03-04"})
    assert [r["date"] for r in answer.json()["items"]] == ["2026-03-04", "2026-03-03"]


async def test_a_period_ending_before_it_starts_is_refused_on_from(org: Org) -> None:
    staff = await org.person()
    answer = await attendance_of(org, staff, **{"from": "2026-03-05", "to": "2026-03-01"})
    assert_problem(answer, 422, "from")
    not_a_date = await attendance_of(org, staff, **{"from": "yesterday"})
    assert_problem(not_a_date, 422, "from")


async def test_periods_at_the_ends_of_the_calendar_are_answered(org: Org) -> None:
    staff = await org.person()
    for period in ({"to": "0001-01-05"}, {"from": "9999-12-30", "to": "9999-12-31"}):
        answer = await attendance_of(org, staff, **period)
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"items": [], "next_cursor": None}


async def test_managers_up_the_chain_and_admins_read_an_employees_attendance(
    org: Org, admin: Person, clock: FixedClock
) -> None:
    director = await org.person("Director")
    manager = await org.person("Manager", manager=director)
    staff = await org.person("Staff", manager=manager)
    record = await work_day(org, clock, staff, 2)
    for reader in (manager, director, admin):
        answer = await attendance_of(org, reader, employee_id=staff.id)
        assert answer.status_code == 200, answer.text
        assert answer.json()["items"] == [record]


async def test_peers_and_reports_cannot_read_an_employees_attendance(org: Org) -> None:
    manager = await org.person("Manager")
    staff = await org.person("Staff", manager=manager)
    peer = await org.person("Peer", manager=manager)
    for reader, target in ((peer, staff), (staff, manager)):
        answer = await attendance_of(org, reader, employee_id=target.id)
        assert_problem(answer, 403)


async def test_the_attendance_of_an_unknown_employee_is_not_found(org: Org, admin: Person) -> None:
    answer = await attendance_of(org, admin, employee_id="nobody")
    assert_problem(answer, 404)


async def test_a_cursor_from_elsewhere_is_refused(org: Org) -> None:
    staff = await org.person()
    from_employees = "WyJBZG1pbiIsICIwMSJd"  # ["Admin", "01"]: a name, not a day
    assert_problem(await attendance_of(org, staff, cursor=from_employees), 422, "cursor")
