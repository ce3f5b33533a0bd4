"""The `identity` consumer keeps accounts in step with `employee-events`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text

from dojang.identity.service.sessions import TokenPair
from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.port import Message
from dojang.kernel.errors import Unauthenticated

from .conftest import PASSWORD, Running


def employee(user_id: str = "emp-1", **overrides: Any) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": user_id,
        "name": "김민준",
        "email": "kim@dojang.example",
        "department": {"id": "d-1", "name": "Engineering"},
        "position": "senior",
        "manager_id": None,
        "roles": ["employee"],
        "active": True,
        "created_at": "2026-03-01T09:00:00+00:00",
    }
    view.update(overrides)
    return view


async def publish(running: Running, event_type: str, data: dict[str, Any], key: str) -> None:
    event = Event(type=event_type, aggregate_id=key, data=data, occurred_at=datetime.now(UTC))
    await running.bus.publish("employee-events", [Message(key=key, value=event.to_json())])
    await running.identity.module.consumers[0].drain()


async def sync(running: Running, event_type: str, **overrides: Any) -> None:
    view = employee(**overrides)
    await publish(running, event_type, {"employee": view}, view["id"])


async def with_account(running: Running) -> TokenPair:
    await running.identity.accounts.create_account(
        "emp-1", "kim@dojang.example", PASSWORD, ["employee"]
    )
    return await running.identity.sessions.login("kim@dojang.example", PASSWORD, client="t")


async def pending_logins(running: Running) -> int:
    assert running.identity.module.database is not None
    async with running.identity.module.database.engine.connect() as connection:
        return int(await connection.scalar(text("SELECT count(*) FROM pending_logins")))


async def roles_after_login(running: Running, email: str) -> frozenset[str]:
    pair = await running.identity.sessions.login(email, PASSWORD, client="t")
    return (await running.identity.verifier.verify(pair.access_token)).roles


async def dead_letters(running: Running) -> list[dict[str, Any]]:
    subscription = await running.bus.subscribe("inspector", ["employee-events.dlq"])
    records = await subscription.fetch(100, timeout=0)
    await subscription.close()
    return [json.loads(r.value) for r in records]


async def test_updated_roles_and_email_reach_the_account(running: Running) -> None:
    await with_account(running)
    await sync(running, "employee.updated", email="Kim@New.Example", roles=["employee", "admin"])
    assert await roles_after_login(running, "kim@new.example") == {"employee", "admin"}


async def test_deactivation_blocks_login_and_refresh(running: Running) -> None:
    pair = await with_account(running)
    await sync(running, "employee.deactivated", active=False)
    with pytest.raises(Unauthenticated):
        await running.identity.sessions.login("kim@dojang.example", PASSWORD, client="t")
    with pytest.raises(Unauthenticated):
        await running.identity.sessions.refresh(pair.refresh_token)


async def test_reactivation_allows_login_again(running: Running) -> None:
    await with_account(running)
    await sync(running, "employee.deactivated", active=False)
    await sync(running, "employee.updated", active=True)
    assert await roles_after_login(running, "kim@dojang.example") == {"employee"}


async def test_created_event_syncs_an_existing_account(running: Running) -> None:
    await with_account(running)
    await sync(running, "employee.created", roles=["employee", "manager"])
    assert await roles_after_login(running, "kim@dojang.example") == {"employee", "manager"}


async def test_unknown_roles_from_the_employee_service_are_dropped(running: Running) -> None:
    await with_account(running)
    await sync(running, "employee.updated", roles=["employee", "owner"])
    assert await roles_after_login(running, "kim@dojang.example") == {"employee"}


async def test_events_for_employees_without_an_account_are_ignored(running: Running) -> None:
    await sync(running, "employee.updated", user_id="emp-without-login")
    assert await dead_letters(running) == []


async def test_other_event_types_are_ignored(running: Running) -> None:
    await with_account(running)
    await publish(running, "department.created", {"department": {"id": "d-9"}}, "d-9")
    assert await dead_letters(running) == []
    assert await roles_after_login(running, "kim@dojang.example") == {"employee"}


async def test_an_event_without_an_employee_goes_to_the_dead_letters(running: Running) -> None:
    await with_account(running)
    await publish(running, "employee.updated", {"employee": {"id": "emp-1"}}, "emp-1")
    [letter] = await dead_letters(running)
    assert letter["group"] == "identity"
    assert "without a valid employee" in letter["error"]


async def test_taking_another_accounts_email_goes_to_the_dead_letters(running: Running) -> None:
    await with_account(running)
    await running.identity.accounts.create_account("emp-2", "lee@dojang.example", PASSWORD, [])
    await sync(running, "employee.updated", email="lee@dojang.example")
    [letter] = await dead_letters(running)
    assert "already belongs to account emp-2" in letter["error"]


async def test_a_redelivered_event_is_applied_once(running: Running) -> None:
    await with_account(running)
    event = Event(
        type="employee.updated",
        aggregate_id="emp-1",
        data={"employee": employee(roles=["employee", "manager"])},
        occurred_at=datetime.now(UTC),
    )
    message = Message(key="emp-1", value=event.to_json())
    await running.bus.publish("employee-events", [message, message])
    outcomes = []
    runner = running.identity.module.consumers[0]
    subscription = await running.bus.subscribe("replay", ["employee-events"])
    for record in await subscription.fetch(10, timeout=0):
        outcomes.append(await runner.handle(record))
    await subscription.close()
    assert outcomes == ["applied", "duplicate"]


async def test_a_new_employee_gets_the_login_kept_for_them(running: Running) -> None:
    await running.identity.accounts.prepare_login("emp-1", "kim@dojang.example", PASSWORD)
    with pytest.raises(Unauthenticated):  # no login before the employee exists
        await running.identity.sessions.login("kim@dojang.example", PASSWORD, client="t")
    await sync(running, "employee.created", roles=["employee", "manager"])
    assert await roles_after_login(running, "kim@dojang.example") == {"employee", "manager"}
    assert await pending_logins(running) == 0


async def test_a_new_employee_without_a_kept_password_gets_a_login_that_cannot_log_in(
    running: Running,
) -> None:
    await sync(running, "employee.created")
    with pytest.raises(Unauthenticated):
        await running.identity.sessions.login("kim@dojang.example", PASSWORD, client="t")
    await running.identity.accounts.set_password("emp-1", PASSWORD)
    assert await roles_after_login(running, "kim@dojang.example") == {"employee"}


async def test_a_hiring_that_failed_leaves_nothing_that_blocks_the_email(running: Running) -> None:
    # the employee service kept a login for emp-0, then failed to commit emp-0
    await running.identity.accounts.prepare_login("emp-0", "kim@dojang.example", "other-pass-0000")
    await running.identity.accounts.prepare_login("emp-1", "kim@dojang.example", PASSWORD)
    await sync(running, "employee.created")
    assert await roles_after_login(running, "kim@dojang.example") == {"employee"}
    assert await pending_logins(running) == 1  # emp-0's, forgotten by the housekeeping


async def test_a_new_login_waits_while_its_email_is_still_another_accounts(
    running: Running,
) -> None:
    await running.identity.accounts.create_account("emp-2", "kim@dojang.example", PASSWORD, [])
    await sync(running, "employee.created")  # emp-2's change of email has not arrived yet
    [letter] = await dead_letters(running)
    assert "transient failure" in letter["error"]
    assert "still the email of account emp-2" in letter["error"]
