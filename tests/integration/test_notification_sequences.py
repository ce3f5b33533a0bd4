"""A recipient's notification numbers on MariaDB: concurrent consumers take turns, so the
numbers follow commit order and leave no gaps."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import create_async_engine

from dojang.kernel.bus.unit_of_work import OutboxSignal
from dojang.kernel.db import Database
from dojang.kernel.i18n import Message
from dojang.kernel.ids import new_id
from dojang.notification.adapters.tables import kernel_tables, metadata, notifications
from dojang.notification.adapters.unit_of_work import SqlNotificationUnitOfWork
from dojang.notification.domain.notifications import Notification, NotificationType
from tests.servers import unique_name

pytestmark = pytest.mark.integration

LEE, PARK = "emp-lee", "emp-park"
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
async def database(mariadb_server: str) -> AsyncIterator[Database]:
    name = unique_name()
    admin = create_async_engine(mariadb_server)
    async with admin.begin() as connection:
        await connection.execute(text(f"CREATE DATABASE {name}"))
    database = Database(f"{mariadb_server}/{name}")
    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        yield database
    finally:
        await database.dispose()
        async with admin.begin() as connection:
            await connection.execute(text(f"DROP DATABASE {name}"))
        await admin.dispose()


def unit_of_work(database: Database) -> SqlNotificationUnitOfWork:
    return SqlNotificationUnitOfWork(database, kernel_tables, OutboxSignal())


def notification(recipient_id: str, sequence: int) -> Notification:
    return Notification(
        id=new_id(),
        recipient_id=recipient_id,
        sequence=sequence,
        type=NotificationType.YOUR_TURN,
        approval_id="apr-1",
        title="Q3 travel expenses",
        message=Message("Kim Dojang asked for your approval: Q3 travel expenses"),
        event_id=new_id(),
        created_at=AT,
    )


async def store(database: Database, *recipients: str) -> dict[str, int]:
    """One consumer's transaction: number a notification for each recipient, store, commit."""
    async with unit_of_work(database) as uow:
        numbers = await uow.notifications.next_sequences(recipients)
        await uow.notifications.add([notification(r, numbers[r]) for r in recipients])
        await uow.commit()
    return numbers


async def stored_sequences(database: Database, recipient_id: str) -> list[int]:
    async with database.engine.connect() as connection:
        rows = await connection.execute(
            select(notifications.c.sequence)
            .where(notifications.c.recipient_id == recipient_id)
            .order_by(notifications.c.sequence)
        )
        return [row.sequence for row in rows]


async def test_a_second_consumer_waits_and_takes_the_next_number(database: Database) -> None:
    async with unit_of_work(database) as first:
        assert await first.notifications.next_sequences([LEE]) == {LEE: 1}
        await first.notifications.add([notification(LEE, 1)])
        second = asyncio.create_task(store(database, LEE))
        await asyncio.sleep(0.5)
        assert not second.done()  # it waits on the first one's counter row
        await first.commit()
    assert await asyncio.wait_for(second, 10) == {LEE: 2}
    assert await stored_sequences(database, LEE) == [1, 2]


async def test_a_rolled_back_number_is_given_again(database: Database) -> None:
    async with unit_of_work(database) as abandoned:
        assert await abandoned.notifications.next_sequences([LEE]) == {LEE: 1}
        waiting = asyncio.create_task(store(database, LEE))
        await asyncio.sleep(0.2)
        await abandoned.rollback()
    assert await asyncio.wait_for(waiting, 10) == {LEE: 1}


async def test_many_consumers_numbering_the_same_people_leave_no_gap(database: Database) -> None:
    await asyncio.wait_for(
        asyncio.gather(
            *(store(database, *((LEE, PARK) if n % 2 else (PARK, LEE))) for n in range(12))
        ),
        30,
    )
    assert await stored_sequences(database, LEE) == list(range(1, 13))
    assert await stored_sequences(database, PARK) == list(range(1, 13))
