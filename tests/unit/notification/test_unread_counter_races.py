"""The unread counter under two writes at once on MariaDB, each on its own connection
(tests/statement_barrier.py)."""

from __future__ import annotations

import asyncio

from dojang.kernel.auth.principal import Principal
from tests.sql_backends import on_mariadb_only
from tests.statement_barrier import StatementBarrier

from .approval_events import LEE, PARK, as_message, your_turn
from .conftest import Running

pytestmark = on_mariadb_only


async def test_one_notification_read_twice_at_once_is_counted_out_once(running: Running) -> None:
    await running.bus.publish(
        "approval-events",
        [
            as_message(your_turn(LEE["id"], PARK["id"], approval_id="apr-1")),
            as_message(your_turn(LEE["id"], PARK["id"], approval_id="apr-2")),
        ],
    )
    await running.service.consumer.drain()
    inbox = running.service.inbox
    lee = Principal(user_id=LEE["id"], roles=frozenset({"employee"}))
    assert await inbox.unread_count(lee) == 2
    [first, *_] = await inbox.newest(lee, unread=None, after=None, limit=10)
    barrier = StatementBarrier("UPDATE notifications")
    with barrier.on(running.database):
        await asyncio.gather(inbox.mark_read(lee, first.id), inbox.mark_read(lee, first.id))
    assert barrier.all_met  # both read it as unread before either stored the read
    assert await inbox.unread_count(lee) == 1
