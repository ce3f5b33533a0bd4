"""Approval-request and approval-processing on real SQLite stores, with no relay or consumer
running: the simulation takes each committed outbox row itself and decides when, in what
order and how often it reaches the other service's consumer.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import func, select

import dojang.kernel.ids
from dojang.approval.adapters.tables import kernel_tables as approval_tables
from dojang.approval.bootstrap import ApprovalService, build_approval
from dojang.approval.domain.document import ApprovalDocument
from dojang.approval.service.events import REQUESTS_TOPIC, RESULTS_TOPIC
from dojang.approval.settings import ApprovalSettings
from dojang.kernel.bus.port import Record
from dojang.kernel.bus.tables import KernelTables
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database
from dojang.kernel.migrations import upgrade_to_head_async
from dojang.kernel.service import ServiceModule
from dojang.processing.adapters.tables import delegations as delegation_rows
from dojang.processing.adapters.tables import kernel_tables as processing_tables
from dojang.processing.adapters.tables import tasks as task_rows
from dojang.processing.bootstrap import ProcessingService, build_processing
from dojang.processing.domain.tasks import Task
from dojang.processing.settings import ProcessingSettings
from tests.unit.approval.fakes import NOW, FakeOrg

from .inflight import DeadLetterTrap, InFlightPool
from .organisation import organisation

TEST_SECRET = "simulation-test-secret-that-is-long-enough-0123456789"


@dataclass
class Outbox:
    """One service's outbox, and how far the simulation has taken rows from it."""

    database: Database
    tables: KernelTables
    taken: int = 0

    async def head(self) -> int:
        """The highest sequence number committed so far (0 for none)."""
        seq = self.tables.outbox.c.seq
        async with self.database.engine.connect() as conn:
            return int(await conn.scalar(select(func.coalesce(func.max(seq), 0))) or 0)

    async def take_new(self) -> list[tuple[str, str, bytes]]:
        """(topic, key, payload) of the rows committed since the last call, in commit order."""
        o = self.tables.outbox.c
        async with self.database.engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(o.seq, o.topic, o.message_key, o.payload)
                    .where(o.seq > self.taken)
                    .order_by(o.seq)
                )
            ).all()
        if rows:
            self.taken = rows[-1].seq
        return [(row.topic, row.message_key, row.payload) for row in rows]


@dataclass
class Company:
    """The two services, the organisation they read, the clock and the events in flight."""

    approval: ApprovalService
    processing: ProcessingService
    org: FakeOrg
    clock: FixedClock
    trap: DeadLetterTrap
    pool: InFlightPool = field(default_factory=InFlightPool)
    outboxes: list[Outbox] = field(default_factory=list)

    async def collect(self) -> None:
        """Put every newly committed event bound for one of the two services in flight.

        `approval-events` goes to notification and employee, which are not simulated.
        """
        for outbox in self.outboxes:
            for topic, key, payload in await outbox.take_new():
                if topic in (REQUESTS_TOPIC, RESULTS_TOPIC):
                    self.pool.publish(topic, key, payload)

    async def outbox_heads(self) -> tuple[int, ...]:
        """Each outbox's highest sequence number: a change writes at least one row."""
        return tuple([await outbox.head() for outbox in self.outboxes])

    async def processing_rows(self) -> tuple[tuple[object, ...], ...]:
        """Every task's and delegation's id with what a write of it changes."""
        database = self.processing.module.database
        assert database is not None
        t, d = task_rows.c, delegation_rows.c
        async with database.engine.connect() as conn:
            tasks = await conn.execute(select(t.id, t.revision, t.status).order_by(t.id))
            delegations = await conn.execute(select(d.id, d.revoked_at).order_by(d.id))
        return tuple(tuple(row) for row in [*tasks, *delegations])

    async def deliver(self, record: Record) -> str:
        """Hand a record to its consumer's runner (idempotency and dead letters are theirs)."""
        if record.topic == REQUESTS_TOPIC:
            outcome = await self.processing.consumer.handle(record)
        else:
            outcome = await self.approval.results.handle(record)
        await self.collect()
        return outcome

    async def deliver_fetched(self, topic: str, records: Sequence[Record]) -> None:
        """Hand records of one topic to its consumer as one fetch: one unit of work for all
        of them, as the running consumer applies them."""
        if topic == REQUESTS_TOPIC:
            await self.processing.consumer.handle_batch(records)
        else:
            await self.approval.results.handle_batch(records)
        await self.collect()

    async def document(self, document_id: str) -> ApprovalDocument:
        """A document as approval-request has stored it."""
        async with self.approval.unit_of_work() as uow:
            found = await uow.documents.get(document_id)
        assert found is not None, document_id
        return found

    async def tasks(self, document_id: str) -> list[Task]:
        """Every task processing keeps for a document."""
        async with self.processing.unit_of_work() as uow:
            return await uow.tasks.of_document(document_id)

    async def close(self) -> None:
        """Close both databases."""
        for outbox in self.outboxes:
            await outbox.database.dispose()


async def _migrated(module: ServiceModule) -> Database:
    assert module.database is not None
    assert module.migrations is not None
    await upgrade_to_head_async(module.migrations, module.database.url, module.name)
    return module.database


async def start_company(data_dir: Path) -> Company:
    """Both services built by their bootstraps on migrated SQLite files under `data_dir`."""
    org = organisation()
    clock = FixedClock(NOW)
    trap = DeadLetterTrap()
    common = {"environment": "test", "secret_key": TEST_SECRET, "data_dir": data_dir}
    approval = build_approval(ApprovalSettings(**common), trap, org, clock=clock, org=org)
    processing = build_processing(ProcessingSettings(**common), trap, clock=clock, directory=org)
    company = Company(approval=approval, processing=processing, org=org, clock=clock, trap=trap)
    company.outboxes = [
        Outbox(await _migrated(approval.module), approval_tables),
        Outbox(await _migrated(processing.module), processing_tables),
    ]
    return company


@contextlib.contextmanager
def deterministic_ids() -> Iterator[None]:
    """`new_id` from a counter instead of the wall clock and `os.urandom`, so that the
    same seed replays the same run: ids decide the order of rows that tie on time."""
    ids = dojang.kernel.ids
    counter = iter(range(1, 1 << 62))
    saved = ids.time, ids.os
    ids.time = SimpleNamespace(time_ns=lambda: 1_780_000_000_000 * 1_000_000)  # type: ignore[assignment]
    ids.os = SimpleNamespace(urandom=lambda size: next(counter).to_bytes(size, "big"))  # type: ignore[assignment]
    try:
        yield
    finally:
        ids.time, ids.os = saved
