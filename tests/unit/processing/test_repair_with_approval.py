"""Repairs across both services on one bus: what an administrator moves, the line follows."""

from __future__ import annotations

from dojang.kernel.auth.principal import Principal

from .builders import as_message, deactivated
from .test_with_approval import Company, company, stage  # noqa: F401  (the fixture)

ADMIN = Principal(user_id="admin", roles=frozenset({"employee", "admin"}))


async def test_a_task_reassigned_from_a_leaver_is_decided_at_once_by_the_new_holder(
    company: Company,  # noqa: F811
) -> None:
    document_id = await company.submit(stage("lead"))
    await company.bus.publish("employee-events", [as_message(deactivated("lead", None))])
    await company.settle()
    administration = company.processing.administration
    [stranded] = await administration.pending(stranded=True, after=None, limit=50)
    assert (stranded.approval_id, stranded.assignee_id) == (document_id, "lead")

    await administration.reassign(ADMIN, stranded.id, assignee_id="peer", reason="퇴사자 인계")
    await company.settle()
    assert await company.inbox("peer") == [document_id]
    assert (await company.your_turn_recipients())[-1] == ["peer"]
    await company.decide("peer", document_id)
    line = await company.line(document_id)
    assert line["status"] == "approved"
    [slot] = line["stages"][0]["approvers"]
    assert (slot["decided_by"], slot["on_behalf_of"]) == ("peer", "lead")
    assert await administration.pending(stranded=True, after=None, limit=50) == []
