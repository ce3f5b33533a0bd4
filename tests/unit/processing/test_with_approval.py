"""Processing and the approval-request service together on one bus: the contract holds.

The approval service opens, decides and cancels tasks, processing keeps them (and who holds
them), with events travelling through both outboxes and both consumers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from dojang.approval.bootstrap import ApprovalService
from dojang.approval.domain.errors import SlotClosed
from dojang.approval.domain.forms import FormCode
from dojang.approval.domain.line import Decision
from dojang.approval.service.commands import NewDocument
from dojang.approval.service.decisions import DecisionRequest
from dojang.kernel.auth.principal import Principal
from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database
from dojang.kernel.migrations import upgrade_to_head_async
from dojang.processing.bootstrap import MIGRATIONS, ProcessingService, build_processing
from dojang.processing.settings import ProcessingSettings
from tests.unit.approval.fakes import NOW, FakeOrg, standard_org, started_approval

from .builders import as_message, deactivated
from .harness import TEST_SECRET

STAFF = Principal(user_id="staff", roles=frozenset({"employee"}))


@dataclass
class Company:
    approval: ApprovalService
    processing: ProcessingService
    bus: LocalBus

    async def settle(self) -> None:
        """Relay both outboxes and run both consumers until nothing moves any more."""
        approval, processing = self.approval.module, self.processing.module
        assert approval.relay is not None
        assert processing.relay is not None
        for _ in range(10):
            await self.processing.consumer.drain()
            await self.approval.results.drain()
            if not await approval.relay.relay_once() + await processing.relay.relay_once():
                return
        raise AssertionError("events did not settle")

    async def submit(self, *stages: dict[str, Any]) -> str:
        document = await self.approval.use_cases.create(
            STAFF,
            NewDocument(
                form=FormCode.GENERAL, title="회의실 예약", content="본문", line=list(stages)
            ),
        )
        await self.settle()
        return document.id

    async def line(self, document_id: str) -> dict[str, Any]:
        document = await self.approval.use_cases.get(STAFF, document_id)
        assert document.line is not None
        return {"status": document.status.value, **document.line.to_dict()}

    async def your_turn_recipients(self) -> list[list[str]]:
        """Who the approval service told it is their turn, event by event."""
        relay = self.approval.module.relay
        assert relay is not None
        assert self.approval.module.database is not None
        async with self.approval.module.database.engine.connect() as conn:
            payloads = await conn.scalars(
                select(relay.outbox.c.payload).order_by(relay.outbox.c.seq)
            )
            found = [Event.from_json(p) for p in payloads]
        return [e.data["recipients"] for e in found if e.type == "approval.your_turn"]

    async def decide(
        self,
        employee_id: str,
        document_id: str,
        decision: Decision = Decision.APPROVED,
        **options: Any,
    ) -> None:
        """Decide as `employee_id` on the approval service, then let the events travel."""
        caller = Principal(user_id=employee_id, roles=frozenset({"employee"}))
        request = DecisionRequest(decision, **options)
        await self.approval.decisions.decide(caller, document_id, request)
        await self.settle()

    async def done(self, employee_id: str) -> list[str]:
        tasks = await self.processing.inbox.done(employee_id, after=None, limit=50)
        return [t.approval_id for t in tasks]

    async def inbox(self, employee_id: str) -> list[str]:
        tasks = await self.processing.inbox.pending(employee_id, after=None, limit=50)
        return [t.approval_id for t in tasks]


def stage(*approvers: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "approval", "approvers": list(approvers), "rule": "all", **extra}


@pytest.fixture
async def company(tmp_path: Path) -> AsyncIterator[Company]:
    bus_db = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    bus = LocalBus(bus_db)
    await bus.start()
    clock = FixedClock(NOW)
    org: FakeOrg = standard_org()
    approval = await started_approval(tmp_path, bus, org, clock)
    settings = ProcessingSettings(environment="test", secret_key=TEST_SECRET, data_dir=tmp_path)
    processing = build_processing(settings, bus, clock=clock, directory=org)
    database = processing.module.database
    assert database is not None
    await upgrade_to_head_async(MIGRATIONS, database.url, "processing")
    yield Company(approval, processing, bus)
    for module in (approval.module, processing.module):
        assert module.database is not None
        await module.database.dispose()
    await bus.stop()
    await bus_db.dispose()


async def test_a_document_is_approved_stage_by_stage(company: Company) -> None:
    document_id = await company.submit(stage("lead"), stage("head"))
    assert await company.inbox("lead") == [document_id]
    assert await company.inbox("head") == []

    await company.decide("lead", document_id, comment="확인")
    line = await company.line(document_id)
    assert [s["status"] for s in line["stages"]] == ["approved", "active"]
    assert await company.inbox("lead") == []
    assert await company.done("lead") == [document_id]
    assert await company.inbox("head") == [document_id]

    await company.decide("head", document_id)
    assert (await company.line(document_id))["status"] == "approved"


async def test_a_final_approval_completes_the_document_at_once(company: Company) -> None:
    document_id = await company.submit(
        stage("lead", final_authority=["lead"]), stage("head"), stage("director")
    )
    await company.decide("lead", document_id, final=True)
    line = await company.line(document_id)
    assert line["status"] == "approved"
    assert [s["status"] for s in line["stages"]] == ["approved", "skipped", "skipped"]


async def test_a_delegates_decision_records_both_people(company: Company) -> None:
    await company.processing.delegations.grant(
        "lead", delegate_id="peer", starts_at=NOW, ends_at=NOW + timedelta(days=1)
    )
    await company.settle()  # the approval service learns of the delegation
    document_id = await company.submit(stage("lead"))
    assert await company.inbox("peer") == [document_id]
    assert await company.your_turn_recipients() == [["peer"]]
    await company.decide("peer", document_id, Decision.REJECTED, comment="예산 초과")
    assert await company.done("peer") == [document_id]
    line = await company.line(document_id)
    assert line["status"] == "rejected"
    [slot] = line["stages"][0]["approvers"]
    assert (slot["decided_by"], slot["on_behalf_of"]) == ("peer", "lead")


async def test_a_withdrawal_closes_the_open_tasks(company: Company) -> None:
    document_id = await company.submit(stage("lead", "head"))
    await company.approval.use_cases.withdraw(STAFF, document_id)
    await company.settle()
    assert await company.inbox("lead") == []
    with pytest.raises(SlotClosed):
        await company.decide("lead", document_id)


async def test_a_rejection_cancels_the_other_approvers_tasks(company: Company) -> None:
    document_id = await company.submit(stage("lead", "head"))
    await company.decide("lead", document_id, Decision.REJECTED, comment="반려")
    assert await company.inbox("head") == []
    with pytest.raises(SlotClosed):
        await company.decide("head", document_id)


async def test_a_leavers_task_goes_to_their_manager_who_is_told(company: Company) -> None:
    document_id = await company.submit(stage("lead", "head"))
    await company.bus.publish("employee-events", [as_message(deactivated("lead", "head"))])
    await company.settle()
    assert await company.inbox("head") == [document_id, document_id]
    assert (await company.your_turn_recipients())[-1] == ["head"]
    await company.decide("head", document_id, on_behalf_of="lead")
    await company.decide("head", document_id)
    line = await company.line(document_id)
    assert line["status"] == "approved"
    slots = {s["employee_id"]: s for s in line["stages"][0]["approvers"]}
    assert (slots["lead"]["decided_by"], slots["lead"]["on_behalf_of"]) == ("head", "lead")
    assert (slots["head"]["decided_by"], slots["head"]["on_behalf_of"]) == ("head", None)
