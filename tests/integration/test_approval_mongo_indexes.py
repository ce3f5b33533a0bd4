"""Every query the MongoDB approval store makes is served by an index created at start.

On MongoDB the server's own `explain` must show an index scan. FerretDB 1.x explains the
PostgreSQL plan of its translated query, which says nothing about MongoDB indexes (and
PostgreSQL scans a small table anyway), so there each filter must at least lead with the
first field of an index that the server lists (docs/approval-mongo.md, Indexes).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from dojang.approval.adapters.mongo.documents import box_filter, in_progress_filter, search_filter
from dojang.approval.adapters.mongo.shape import answer_key, applied_key
from dojang.approval.adapters.mongo.store import DELEGATIONS, DOCUMENTS, INDEXES, MongoStore
from dojang.approval.domain.document import DocumentStatus
from dojang.approval.domain.forms import FormCode
from dojang.approval.service.unit_of_work import Box, DocumentQuery
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database
from tests.approval_stores import fresh_mongo_database
from tests.unit.approval.fakes import (
    NOW,
    Harness,
    stage,
    standard_org,
    started_approval,
    submit,
)

pytestmark = pytest.mark.integration


@pytest.fixture
async def harness(tmp_path: Path, mongodb_server: str) -> AsyncIterator[Harness]:
    bus_db = Database(f"sqlite:///{tmp_path / 'bus.db'}")
    bus = LocalBus(bus_db)
    await bus.start()
    async with fresh_mongo_database(mongodb_server) as url:
        org, clock = standard_org(), FixedClock(NOW)
        service = await started_approval(tmp_path, bus, org, clock, approval_mongodb_url=url)
        running = Harness(service=service, bus=bus, org=org, clock=clock)
        yield running
        await running.close()
    await bus.stop()
    await bus_db.dispose()


def queries() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(name, collection, filter) of every query the store makes on a big collection."""
    for box in [None, *Box]:
        name = "all" if box is None else box.value
        yield name, DOCUMENTS, search_filter(DocumentQuery("lead", box), None)
        yield f"{name}, paged", DOCUMENTS, search_filter(DocumentQuery("lead", box), "zzz")
        filtered = DocumentQuery(
            "lead", box, form=FormCode.GENERAL, status=DocumentStatus.IN_PROGRESS, text="구매"
        )
        yield f"{name}, filtered", DOCUMENTS, search_filter(filtered, "zzz")
    yield "in progress", DOCUMENTS, in_progress_filter(None)
    yield "in progress, paged", DOCUMENTS, in_progress_filter("abc")
    yield "relay", DOCUMENTS, {"relay_due": True}
    yield "applied", DOCUMENTS, {"applied": {"$in": [applied_key("approval", "e1")]}}
    yield "answer", DOCUMENTS, {"answer_keys": answer_key("lead", "k1")}
    yield "numbers in use", DOCUMENTS, {"number_key": {"$in": ["GENERAL-2026-000001"]}}
    yield (
        "delegations",
        DELEGATIONS,
        {"delegator_id": {"$in": ["lead"]}, "revoked_at": None, "ends_at": {"$gt": "x"}},
    )


def leads_with_an_index(query: dict[str, Any], leading: set[str]) -> bool:
    """Whether an index whose first field `query` constrains can serve it: directly, by
    one clause of an `$and`, or by every branch of an `$or`."""
    if {field for field in query if not field.startswith("$")} & leading:
        return True
    if any(leads_with_an_index(clause, leading) for clause in query.get("$and", [])):
        return True
    branches = query.get("$or")
    return bool(branches) and all(leads_with_an_index(b, leading) for b in branches)


def test_the_box_filter_of_every_box_is_covered_without_the_id() -> None:
    leading = {spec.fields[0] for spec in INDEXES if spec.collection == DOCUMENTS}
    for box in [None, *Box]:
        assert leads_with_an_index(box_filter("lead", box), leading), box
    assert not leads_with_an_index({"title": "x"}, leading)  # the check can fail


async def test_every_query_is_served_by_an_index_the_server_lists(harness: Harness) -> None:
    store = harness.service.mongo
    assert store is not None
    for _ in range(3):
        await submit(harness, stage("lead"))
    for name, collection, query in queries():
        listed = await store.collection(collection).index_information()
        leading = {
            keys[0][0] for keys in (info["key"] for info in listed.values()) if keys[0][0] != "_id"
        }
        plan = await store.collection(collection).find(query).sort("_id", -1).explain()
        winning = plan.get("queryPlanner", {}).get("winningPlan")
        if winning is not None:  # MongoDB: its own plan
            assert "COLLSCAN" not in str(winning), (name, winning)
        else:  # FerretDB: the filter leads with an indexed field
            assert leads_with_an_index(query, leading), (name, query, sorted(leading))


async def test_the_indexes_are_created_at_start(harness: Harness) -> None:
    store: MongoStore | None = harness.service.mongo
    assert store is not None
    for spec in INDEXES:
        listed = await store.collection(spec.collection).index_information()
        keys = [
            tuple((field, int(order)) for field, order in info["key"]) for info in listed.values()
        ]
        assert spec.keys in keys, spec
        if spec.unique:
            (info,) = [i for i in listed.values() if tuple(map(tuple, i["key"])) == spec.keys]
            assert info.get("unique") is True
