"""A small organisation behind the ports the approval service uses, and its test harness."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from dojang.approval.adapters.tables import kernel_tables
from dojang.approval.bootstrap import ApprovalService, build_approval
from dojang.approval.domain.document import (
    ApprovalDocument,
    DocumentContent,
    DocumentStatus,
    Person,
    TaskHolder,
)
from dojang.approval.domain.forms import FormCode
from dojang.approval.domain.line import ApprovalLine, Decision
from dojang.approval.service.commands import NewDocument
from dojang.approval.service.decisions import DecisionRequest
from dojang.approval.service.unit_of_work import StaleDocument
from dojang.approval.settings import ApprovalSettings
from dojang.kernel.auth.principal import Principal
from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.bus.port import Message
from dojang.kernel.clock import FixedClock
from dojang.kernel.migrations import upgrade_to_head_async
from dojang.kernel.ports import (
    DepartmentRef,
    EmployeeView,
    LeaveFigures,
    LeaveHold,
    LeaveReservation,
)

NOW = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)  # Monday 2 March 2026, 09:30 in Seoul
TEST_SECRET = "approval-test-secret-that-is-long-enough-0123456789"

DEPARTMENTS = {"hq": "본사", "eng": "Engineering", "sales": "Sales"}


class FakeOrg:
    """`EmployeeDirectory`, `OrgChart` and `LeaveLedger` over dicts.

    The ledger holds what it accepts until released (it follows no events): `allowances`
    are (granted, used) per (employee, year); `ledger_delay` makes it slow to answer, and
    `ledger_error` is raised instead of an answer.
    """

    def __init__(self) -> None:
        self.employees: dict[str, EmployeeView] = {}
        self.heads: dict[str, str] = {}
        self.allowances: dict[tuple[str, int], tuple[float, float]] = {}
        self.default_granted = 15.0
        self.holds: dict[str, LeaveHold] = {}
        self.released: list[str] = []
        self.ledger_delay = 0.0
        self.ledger_error: Exception | None = None

    def hire(
        self,
        employee_id: str,
        name: str,
        *,
        position: str = "staff",
        department: str | None = "eng",
        manager: str | None = None,
        active: bool = True,
        roles: Sequence[str] = ("employee",),
    ) -> EmployeeView:
        view = EmployeeView(
            id=employee_id,
            name=name,
            email=f"{employee_id}@dojang.example",
            department=(
                None
                if department is None
                else DepartmentRef(id=department, name=DEPARTMENTS[department])
            ),
            position=position,
            manager_id=manager,
            roles=list(roles),
            active=active,
            created_at=NOW,
        )
        self.employees[employee_id] = view
        return view

    def deactivate(self, employee_id: str) -> None:
        self.employees[employee_id] = self.employees[employee_id].model_copy(
            update={"active": False}
        )

    async def get_employee(self, employee_id: str) -> EmployeeView | None:
        return self.employees.get(employee_id)

    async def get_employees(self, employee_ids: Sequence[str]) -> dict[str, EmployeeView]:
        return {i: self.employees[i] for i in employee_ids if i in self.employees}

    async def manager_chain(self, employee_id: str) -> list[EmployeeView]:
        chain: list[EmployeeView] = []
        seen = {employee_id}
        manager_id = self.employees[employee_id].manager_id
        while manager_id is not None and manager_id not in seen:
            seen.add(manager_id)
            manager = self.employees[manager_id]
            chain.append(manager)
            manager_id = manager.manager_id
        return chain

    async def department_head(self, department_id: str) -> EmployeeView | None:
        head = self.heads.get(department_id)
        return None if head is None else self.employees[head]

    def leave_figures(self, employee_id: str, year: int) -> LeaveFigures:
        granted, used = self.allowances.get((employee_id, year), (self.default_granted, 0.0))
        pending = sum(
            h.days for h in self.holds.values() if (h.employee_id, h.year) == (employee_id, year)
        )
        return LeaveFigures(
            employee_id=employee_id,
            year=year,
            granted=granted,
            used=used,
            pending=pending,
            available=granted - used - pending,
        )

    async def reserve(self, hold: LeaveHold) -> LeaveReservation:
        if self.ledger_delay:
            await asyncio.sleep(self.ledger_delay)
        if self.ledger_error is not None:
            raise self.ledger_error
        for held in list(self.holds.values()):
            if held.document_id == hold.document_id and held.version < hold.version:
                del self.holds[held.reservation_id]  # a new version supersedes the old
        figures = self.leave_figures(hold.employee_id, hold.year)
        accepted = hold.reservation_id in self.holds or hold.days <= figures.available
        if accepted and hold.reservation_id not in self.holds:
            self.holds[hold.reservation_id] = hold
            figures = self.leave_figures(hold.employee_id, hold.year)
        return LeaveReservation(
            reservation_id=hold.reservation_id, accepted=accepted, figures=figures
        )

    async def release(self, reservation_id: str) -> None:
        self.released.append(reservation_id)
        self.holds.pop(reservation_id, None)


def standard_org() -> FakeOrg:
    """대표 > 이사 > 부장 (head of Engineering) > 과장 > 사원, and a few others.

    ceo heads 본사 (hq), head heads Engineering; Sales has no head.
    """
    org = FakeOrg()
    org.hire("ceo", "대표 최", position="ceo", department="hq")
    org.hire("director", "이사 정", position="director", department="hq", manager="ceo")
    org.hire("head", "부장 박", position="general_manager", manager="director")
    org.hire("lead", "과장 이", position="manager", manager="head", roles=("employee", "manager"))
    org.hire("staff", "사원 김", manager="lead")
    org.hire("peer", "사원 윤", manager="lead")
    org.hire("junior", "사원 한", manager="lead")
    org.hire("outsider", "영업 강", department="sales", manager="ceo")
    org.hire("admin", "관리자", department="hq", manager="ceo", roles=("employee", "admin"))
    org.hire("retired", "퇴사자", manager="lead", active=False)
    org.heads.update({"hq": "ceo", "eng": "head"})
    return org


def approval_settings(data_dir: Path, **overrides: object) -> ApprovalSettings:
    return ApprovalSettings(
        environment="test",
        data_dir=data_dir,
        secret_key=TEST_SECRET,
        **overrides,  # type: ignore[arg-type]
    )


async def started_approval(
    data_dir: Path, bus: LocalBus, org: FakeOrg, clock: FixedClock, **overrides: object
) -> ApprovalService:
    """A migrated approval service (relay and consumer not running: tests drive them)."""
    service = build_approval(
        approval_settings(data_dir, **overrides), bus, org, clock=clock, org=org
    )
    module = service.module
    assert module.migrations is not None
    assert module.database is not None
    await upgrade_to_head_async(module.migrations, module.database.url, module.name)
    for hook in module.on_start:
        await hook()
    return service


def principal(user_id: str, *roles: str) -> Principal:
    """A verified caller with the `employee` role and `roles`."""
    return Principal(user_id=user_id, roles=frozenset({"employee", *roles}))


def stage(
    *approvers: str, rule: object = "all", kind: str = "approval", **extra: Any
) -> dict[str, Any]:
    """A requested stage in the API shape."""
    return {"kind": kind, "approvers": list(approvers), "rule": rule, **extra}


@dataclass
class Harness:
    """The approval service on a local bus, with processing played by the test."""

    service: ApprovalService
    bus: LocalBus
    org: FakeOrg
    clock: FixedClock
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def close(self) -> None:
        """Close the service's database (and whatever else the test opened)."""
        assert self.service.module.database is not None
        for hook in self.service.module.on_stop:
            await hook()
        await self.service.module.database.dispose()
        for close in self.closers:
            await close()

    async def events(self, *types: str) -> list[Event]:
        """Events in the approval outbox, oldest first, optionally only of `types`."""
        return [event for _, event in await self.outbox(*types)]

    async def outbox(self, *types: str) -> list[tuple[str, Event]]:
        """(topic, event) pairs in the approval outbox, oldest first (on MongoDB: the
        events still pending in documents, in the order they were queued)."""
        if self.service.mongo is not None:
            records = self.service.mongo.documents.find({}, {"outbox": 1})
            entries = [entry async for record in records for entry in record["outbox"]]
            entries.sort(key=lambda entry: entry["queued"])
            pending = [(e["topic"], Event.from_json(e["payload"])) for e in entries]
            return [(t, e) for t, e in pending if not types or e.type in types]
        database = self.service.module.database
        assert database is not None
        outbox = kernel_tables.outbox
        async with database.engine.connect() as conn:
            rows = await conn.execute(
                select(outbox.c.topic, outbox.c.payload).order_by(outbox.c.seq)
            )
            found = [(topic, Event.from_json(payload)) for topic, payload in rows]
        return [(t, e) for t, e in found if not types or e.type in types]

    async def publish_result(self, event: Event) -> None:
        """Put one `approval-results` event on the bus and let the consumer apply it."""
        await self.bus.publish(
            "approval-results", [Message(key=event.aggregate_id, value=event.to_json())]
        )
        await self.service.results.drain()

    async def assign(
        self,
        document_id: str,
        version: int,
        stage_index: int,
        tasks: Sequence[tuple[str, str]],
        *,
        revision: int = 1,
    ) -> Event:
        """Report the holders of tasks: (approver, assignee) pairs."""
        event = Event(
            type="approval.tasks_assigned",
            aggregate_id=document_id,
            occurred_at=self.clock.now(),
            data={
                "approval_id": document_id,
                "version": version,
                "stage_index": stage_index,
                "tasks": [
                    {
                        "task_id": f"task-{document_id[-6:]}-{version}-{stage_index}-{approver}",
                        "approver_id": approver,
                        "assignee_id": assignee,
                        "on_behalf_of": None if assignee == approver else approver,
                        "revision": revision,
                    }
                    for approver, assignee in tasks
                ],
            },
        )
        await self.publish_result(event)
        return event

    async def decide(
        self,
        document_id: str,
        approver: str,
        decision: str = "approved",
        *,
        decided_by: str | None = None,
        comment: str | None = None,
        final: bool = False,
        key: str | None = None,
    ) -> ApprovalDocument:
        """Decide `approver`'s slot as its holder `decided_by` (the approver by default)."""
        by = decided_by or approver
        request = DecisionRequest(
            Decision(decision),
            comment=comment,
            final=final,
            on_behalf_of=approver if by != approver else None,
            idempotency_key=key,
        )
        return await self.service.decisions.decide(principal(by), document_id, request)

    async def delegate(
        self,
        delegator: str,
        delegate: str,
        *,
        starts_at: datetime | None = None,
        ends_at: datetime | None = None,
        revoked: bool = False,
    ) -> Event:
        """Report a delegation as approval-processing announces it; the consumer applies it."""
        starts = starts_at or self.clock.now() - timedelta(hours=1)
        ends = ends_at or self.clock.now() + timedelta(days=1)
        event = Event(
            type="delegation.revoked" if revoked else "delegation.granted",
            aggregate_id=delegator,
            occurred_at=self.clock.now(),
            data={
                "delegation": {
                    "id": f"delegation-{delegator}-{delegate}",
                    "delegator_id": delegator,
                    "delegate_id": delegate,
                    "starts_at": starts.isoformat(),
                    "ends_at": ends.isoformat(),
                    "revoked_at": self.clock.now().isoformat() if revoked else None,
                }
            },
        )
        await self.publish_result(event)
        return event


@dataclass
class MemoryStore:
    """Documents, events and counters an in-memory unit of work commits to.

    With `barrier`, the first two document reads wait for each other, so two use cases
    both load the same revision before either saves: the interleaving a server database
    allows, which the embedded SQLite engine (one transaction at a time) never does.
    """

    rows: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    emitted: list[tuple[str, Event]] = field(default_factory=list)
    counters: dict[tuple[str, int], int] = field(default_factory=dict)
    barrier: asyncio.Barrier | None = None
    reads_held: int = 0

    def stored(self, document_id: str) -> ApprovalDocument:
        revision, body = self.rows[document_id]
        return ApprovalDocument.from_dict(body, revision=revision)


class MemoryUnitOfWork:
    """The approval unit of work over a `MemoryStore`, for interleaving tests."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        self._pending: list[tuple[str, Event]] = []
        self._writes: dict[str, tuple[int, dict[str, Any]]] = {}

    @classmethod
    def factory_with_document(
        cls, clock: FixedClock, *stages: dict[str, Any]
    ) -> tuple[MemoryStore, Callable[[], MemoryUnitOfWork]]:
        """A store holding `doc-1`, a general document of `staff` submitted with `stages`."""
        now = clock.now()
        content = DocumentContent(
            title="장비 구매",
            content="",
            fields={},
            line=None,
            custom_line=True,
            cc=(),
        )
        document = ApprovalDocument.draft(
            document_id="doc-1",
            form=FormCode.GENERAL,
            requester=Person("staff", "사원 김"),
            content=content,
            at=now,
        )
        line = ApprovalLine.build("staff", list(stages))
        transition = document.submit(replace(content, line=line), at=now)
        document.hold_slots(TaskHolder.of(t.employee_id, t.employee_id) for t in transition.opened)
        store = MemoryStore(rows={"doc-1": (1, document.to_dict())})
        return store, lambda: cls(store)

    async def __aenter__(self) -> MemoryUnitOfWork:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._pending.clear()
        self._writes.clear()

    async def commit(self) -> None:
        for document_id, (revision, body) in self._writes.items():
            stored = self.store.rows.get(document_id)
            if stored is not None and stored[0] != revision - 1:
                raise StaleDocument(f"{document_id} changed since revision {revision - 1}")
            self.store.rows[document_id] = (revision, body)
        self.store.emitted.extend(self._pending)
        self._pending.clear()
        self._writes.clear()

    async def rollback(self) -> None:
        self._pending.clear()
        self._writes.clear()

    @property
    def documents(self) -> MemoryUnitOfWork:
        return self

    @property
    def numbers(self) -> MemoryUnitOfWork:
        return self

    @property
    def delegations(self) -> MemoryUnitOfWork:
        return self

    @property
    def answers(self) -> MemoryUnitOfWork:
        return self

    async def get(self, document_id: str, key: str | None = None) -> Any:
        if key is not None:
            return None  # no remembered answers
        found = self.store.rows.get(document_id)
        if self.store.barrier is not None and self.store.reads_held < 2:
            self.store.reads_held += 1
            await self.store.barrier.wait()
        if found is None:
            return None
        return ApprovalDocument.from_dict(found[1], revision=found[0])

    async def save(self, document: ApprovalDocument, events: Sequence[tuple[str, Event]]) -> None:
        # the SQL repository's `UPDATE ... WHERE revision = :loaded` happens at its commit here
        self._writes[document.id] = (document.revision + 1, document.to_dict())
        document.revision += 1
        self._pending.extend(events)

    async def ids_in_progress(self, *, after: str | None, limit: int) -> list[str]:
        found = sorted(
            document_id
            for document_id in self.store.rows
            if self.store.stored(document_id).status is DocumentStatus.IN_PROGRESS
            and (after is None or document_id > after)
        )
        return found[:limit]

    async def next(self, form: FormCode, year: int, *, document_id: str) -> int:
        number = self.store.counters.get((form.value, year), 0) + 1
        self.store.counters[(form.value, year)] = number
        return number

    async def active_of(self, delegator_ids: object, at: datetime) -> dict[str, Any]:
        return {}

    async def remember(self, *args: object) -> None:
        raise AssertionError("no idempotency keys in these tests")


STAFF = principal("staff")


async def submit(harness: Harness, *stages: dict[str, Any], cc: tuple[str, ...] = ()) -> str:
    """A general document of `staff` submitted with these stages (the default line if none)."""
    document = await harness.service.use_cases.create(
        STAFF,
        NewDocument(
            form=FormCode.GENERAL,
            title="장비 구매",
            line=list(stages) if stages else None,
            cc=cc,
        ),
    )
    return document.id


async def load(harness: Harness, document_id: str) -> ApprovalDocument:
    """The document as an administrator reads it."""
    return await harness.service.use_cases.get(principal("admin", "admin"), document_id)


async def types_after(harness: Harness, count: int) -> list[str]:
    """The types of the events published after the first `count`."""
    return [e.type for e in (await harness.events())[count:]]
