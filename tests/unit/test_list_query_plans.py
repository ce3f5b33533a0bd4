"""Every list is an index walk that stops at its page size, on SQLite and on MariaDB.

Each test builds a service's database with its migrations and asks the database for the plan
of each list statement: no scan of a table, no sort into a temporary structure
(`tests/query_plans.py`). A list that turns into a scan or a sort fails here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from dojang.approval.adapters.documents import box_page
from dojang.approval.bootstrap import MIGRATIONS as APPROVAL_MIGRATIONS
from dojang.approval.domain.document import DocumentStatus
from dojang.approval.domain.forms import FormCode
from dojang.approval.service.unit_of_work import Box, DocumentQuery
from dojang.kernel.db import Database
from dojang.kernel.migrations import upgrade_to_head_async
from tests.query_plans import assert_index_walk, scans_or_sorts
from tests.sql_backends import SqlBackend

Migrated = Callable[[Path, str], "AsyncIterator[Database]"]


async def migrated(backend: SqlBackend, migrations: Path, service: str) -> Database:
    """A fresh database of `service`, at its newest schema."""
    url = await backend.url(service)
    await upgrade_to_head_async(migrations, url, service)
    return Database(url)


@pytest.fixture
async def approval_db(sql_backend: SqlBackend) -> AsyncIterator[Database]:
    db = await migrated(sql_backend, APPROVAL_MIGRATIONS, "approval")
    yield db
    await db.dispose()


def test_the_plan_check_catches_a_scan_and_a_sort() -> None:
    assert scans_or_sorts(["SCAN approval_documents", "USE TEMP B-TREE FOR ORDER BY"]) == [
        "SCAN approval_documents",
        "USE TEMP B-TREE FOR ORDER BY",
    ]
    assert scans_or_sorts(["table=d type=ALL key=None extra=Using where; Using filesort"])
    assert not scans_or_sorts(
        ["SEARCH approval_box_entries USING PRIMARY KEY (viewer_id=? AND box=?)"]
    )


@pytest.mark.parametrize("box", [None, *Box], ids=lambda box: "all" if box is None else box.value)
@pytest.mark.parametrize("paged", [False, True], ids=["first", "next"])
async def test_every_box_page_walks_the_box_index(
    approval_db: Database, box: Box | None, paged: bool
) -> None:
    before = "01JZZZZZZZZZZZZZZZZZZZZZZZ" if paged else None
    await assert_index_walk(approval_db, box_page(DocumentQuery("lead", box), before=before, limit=51))


async def test_a_filtered_box_page_still_walks_the_box_index(approval_db: Database) -> None:
    query = DocumentQuery(
        "lead", Box.COMPLETED, form=FormCode.EXPENSE, status=DocumentStatus.APPROVED
    )
    await assert_index_walk(approval_db, box_page(query, before=None, limit=51))
