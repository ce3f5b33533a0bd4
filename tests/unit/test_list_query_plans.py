"""Every list is an index walk that stops at its page size, on SQLite and on MariaDB.

Each test builds a service's database with its migrations and asks the database for the plan
of each list statement: no scan of a table, no sort into a temporary structure
(`tests/query_plans.py`). A list that turns into a scan or a sort fails here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from dojang.approval.adapters.documents import box_page, text_page
from dojang.approval.bootstrap import MIGRATIONS as APPROVAL_MIGRATIONS
from dojang.approval.domain.document import DocumentStatus
from dojang.approval.domain.forms import FormCode
from dojang.approval.service.unit_of_work import Box, DocumentQuery
from dojang.employee.adapters.repositories import attendance_page
from dojang.employee.bootstrap import MIGRATIONS as EMPLOYEE_MIGRATIONS
from dojang.kernel.db import Database
from dojang.kernel.migrations import upgrade_to_head_async
from dojang.notification.adapters.repositories import notifications_page
from dojang.notification.bootstrap import MIGRATIONS as NOTIFICATION_MIGRATIONS
from dojang.processing.adapters.repositories import (
    delegations_page,
    inbox_done_page,
    inbox_pending_page,
)
from dojang.processing.adapters.tables import delegations
from dojang.processing.bootstrap import MIGRATIONS as PROCESSING_MIGRATIONS
from tests.query_plans import assert_index_walk, query_plan, scans_or_sorts
from tests.sql_backends import SqlBackend


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
    statement = box_page(DocumentQuery("lead", box), before=before, limit=51)
    await assert_index_walk(approval_db, statement)


async def test_a_filtered_box_page_still_walks_the_box_index(approval_db: Database) -> None:
    query = DocumentQuery(
        "lead", Box.COMPLETED, form=FormCode.EXPENSE, status=DocumentStatus.APPROVED
    )
    await assert_index_walk(approval_db, box_page(query, before=None, limit=51))


AT = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
async def processing_db(sql_backend: SqlBackend) -> AsyncIterator[Database]:
    db = await migrated(sql_backend, PROCESSING_MIGRATIONS, "processing")
    yield db
    await db.dispose()


@pytest.fixture
async def notification_db(sql_backend: SqlBackend) -> AsyncIterator[Database]:
    db = await migrated(sql_backend, NOTIFICATION_MIGRATIONS, "notification")
    yield db
    await db.dispose()


@pytest.fixture
async def employee_db(sql_backend: SqlBackend) -> AsyncIterator[Database]:
    db = await migrated(sql_backend, EMPLOYEE_MIGRATIONS, "employee")
    yield db
    await db.dispose()


@pytest.mark.parametrize("after", [None, (AT, "t9")], ids=["first", "next"])
async def test_the_inbox_walks_the_assignee_and_decider_indexes(
    processing_db: Database, after: tuple[datetime, str] | None
) -> None:
    await assert_index_walk(processing_db, inbox_pending_page("lead", after, 51))
    await assert_index_walk(processing_db, inbox_done_page("lead", after, 51))


@pytest.mark.parametrize("after", [None, (AT, "d9")], ids=["first", "next"])
async def test_delegations_walk_one_index_per_side(
    processing_db: Database, after: tuple[datetime, str] | None
) -> None:
    for side in (delegations.c.delegator_id, delegations.c.delegate_id):
        await assert_index_walk(processing_db, delegations_page(side, "lead", after, 51))


@pytest.mark.parametrize("unread", [None, True, False], ids=["all", "unread", "read"])
@pytest.mark.parametrize("after", [None, (AT, "n9")], ids=["first", "next"])
async def test_notifications_walk_the_recipient_index(
    notification_db: Database, unread: bool | None, after: tuple[datetime, str] | None
) -> None:
    statement = notifications_page("lead", unread=unread, after=after, limit=51)
    await assert_index_walk(notification_db, statement)


@pytest.mark.parametrize("after", [None, (date(2026, 11, 30), "a9")], ids=["first", "next"])
async def test_attendance_walks_the_employee_day_index(
    employee_db: Database, after: tuple[date, str] | None
) -> None:
    statement = attendance_page("lead", date(2026, 1, 1), date(2026, 12, 31), after, 51)
    await assert_index_walk(employee_db, statement)


async def test_a_text_search_starts_from_the_full_text_matches(approval_db: Database) -> None:
    """The matches lead, each checked by primary key; only they are sorted (docs/search.md)."""
    if not approval_db.is_sqlite:
        return  # MariaDB has no full-text index: the box walk compares the title
    query = DocumentQuery("lead", Box.COMPLETED, text="출장비를")
    plan = await query_plan(approval_db, text_page(query, before="x", limit=51, full_text=True))
    assert plan[0].startswith("SCAN approval_search VIRTUAL TABLE"), plan
    assert scans_or_sorts(plan[1:]) == ["USE TEMP B-TREE FOR ORDER BY"], plan
