"""`dojang org republish`: a copy of the organisation that missed events catches up."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx2
from sqlalchemy import delete, update

from dojang.approval.adapters.tables import org_tables
from tests.conftest import login

if TYPE_CHECKING:
    from dojang.app import Embedded

PASSWORD = "correct-horse-battery-staple"


async def test_a_copy_that_lost_its_history_catches_up_and_nothing_else_changes(
    embedded: Embedded, client: httpx2.AsyncClient
) -> None:
    lead = await embedded.employee.add_user(
        email="lead@dojang.example",
        name="박팀장",
        password=PASSWORD,
        roles=("employee", "manager"),
        department="플랫폼팀",
        position="manager",
    )
    staff = await embedded.employee.add_user(
        email="staff@dojang.example",
        name="김사원",
        password=PASSWORD,
        department="플랫폼팀",
        manager_id=lead.id,
    )
    await embedded.settle()
    copy = embedded.approval.organisation
    assert [v.id for v in await copy.manager_chain(staff.id)] == [lead.id]

    database = embedded.approval.module.database
    assert database is not None
    async with database.engine.begin() as connection:  # as if restored from an old backup
        await connection.execute(delete(org_tables.employees))
        await connection.execute(delete(org_tables.departments))
        await connection.execute(update(org_tables.state).values(generation=0))
    copy.invalidate()
    assert await copy.get_employee(staff.id) is None

    departments, employees = await embedded.employee.republisher.republish()
    await embedded.settle()
    assert (departments, employees) == (1, 2)
    found = await copy.get_employee(staff.id)
    assert found is not None
    assert found.department is not None
    assert found.department.name == "플랫폼팀"
    assert [v.id for v in await copy.manager_chain(staff.id)] == [lead.id]

    headers = await login(client, "staff@dojang.example", PASSWORD)  # logins are as they were
    me = await client.get("/api/auth/me", headers=headers)
    assert me.json()["employee"]["id"] == staff.id
    dead = await embedded.bus.read(["employee-events.dlq"], after=0, limit=10)
    assert dead == []
