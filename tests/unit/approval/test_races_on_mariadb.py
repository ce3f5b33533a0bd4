"""Decisions racing on MariaDB, each on its own connection (tests/statement_barrier.py)."""

from __future__ import annotations

import asyncio

from dojang.approval.domain.document import ApprovalDocument
from dojang.kernel.db import Database
from tests.approval_stores import approval_store_on_mariadb_only
from tests.statement_barrier import StatementBarrier

from .fakes import Harness, load, stage, submit

pytestmark = approval_store_on_mariadb_only


def _database(harness: Harness) -> Database:
    database = harness.service.module.database
    assert database is not None
    return database


async def test_two_approvers_of_an_any_stage_at_once_get_one_decision(harness: Harness) -> None:
    """Both load the document before either saves; the revision check makes the second save
    wait for the first one's row lock and then match nothing, and its retry on the fresh
    document finds the stage closed."""
    document_id = await submit(harness, stage("lead", "peer", rule="any"), stage("head"))
    barrier = StatementBarrier("UPDATE approval_documents")
    with barrier.on(_database(harness)):
        outcomes = await asyncio.gather(
            harness.decide(document_id, "lead"),
            harness.decide(document_id, "peer", "rejected", comment="반대"),
            return_exceptions=True,
        )
    assert barrier.all_met  # both had read the open stage
    assert sorted(type(o).__name__ for o in outcomes) == ["ApprovalDocument", "SlotClosed"]
    [accepted] = [o for o in outcomes if isinstance(o, ApprovalDocument)]
    stored = await load(harness, document_id)
    assert stored.status is accepted.status
    assert stored.line is not None
    assert [s.decision for s in stored.line.stages[0].approvers].count(None) == 1
    assert len(await harness.events("approval.decided")) == 1


async def test_two_documents_completed_at_once_take_the_next_two_numbers(
    harness: Harness,
) -> None:
    first_id = await submit(harness, stage("lead"))
    await harness.decide(first_id, "lead")  # the year's counter exists now
    ids = [await submit(harness, stage("lead")) for _ in range(2)]
    barrier = StatementBarrier("INSERT INTO approval_number_counters")
    with barrier.on(_database(harness)):
        await asyncio.gather(*(harness.decide(document_id, "lead") for document_id in ids))
    assert barrier.all_met  # both went for the counter together; its row lock kept them apart
    numbers = sorted([(await load(harness, document_id)).number for document_id in ids])
    assert numbers == ["GENERAL-2026-000002", "GENERAL-2026-000003"]


async def test_the_first_two_documents_of_a_year_completed_at_once_are_numbered_1_and_2(
    harness: Harness,
) -> None:
    ids = [await submit(harness, stage("lead")) for _ in range(2)]
    barrier = StatementBarrier("INSERT INTO approval_number_counters")
    with barrier.on(_database(harness)):
        await asyncio.gather(*(harness.decide(document_id, "lead") for document_id in ids))
    numbers = sorted([(await load(harness, document_id)).number for document_id in ids])
    assert numbers == ["GENERAL-2026-000001", "GENERAL-2026-000002"]
