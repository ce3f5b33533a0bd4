"""The `notification` consumer: stores notices once, pushes them only after the commit."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Collection, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from prometheus_client import REGISTRY
from sqlalchemy import func, select

from dojang.kernel.clock import FixedClock
from dojang.notification.adapters.fanout import InProcessFanout
from dojang.notification.adapters.tables import notifications
from dojang.notification.domain.notifications import Notification
from dojang.notification.service.approval_events import ApprovalEventHandler
from dojang.notification.service.views import localized

from .approval_events import CHOI, KIM, LEE, PARK, approval_event, as_message, your_turn
from .conftest import Running


async def stored(running: Running) -> list[tuple[str, str]]:
    async with running.database.engine.connect() as conn:
        rows = await conn.execute(
            select(notifications.c.recipient_id, notifications.c.type).order_by(
                notifications.c.recipient_id
            )
        )
        return [(row.recipient_id, row.type) for row in rows]


async def deliver(running: Running, *events: Any) -> None:
    await running.bus.publish("approval-events", [as_message(e) for e in events])
    await running.service.consumer.drain()


async def test_the_same_event_delivered_twice_notifies_once(running: Running) -> None:
    fanout = running.service.fanout
    lee = await fanout.subscribe(LEE["id"])
    event = your_turn(LEE["id"], PARK["id"])
    await deliver(running, event, event)
    await deliver(running, event)
    assert await stored(running) == [
        (LEE["id"], "approval.your_turn"),
        (PARK["id"], "approval.your_turn"),
    ]
    pushed = await lee.next_message()
    assert pushed["type"] == "notification"
    assert isinstance(fanout, InProcessFanout)
    await fanout.publish(LEE["id"], {"type": "marker"})
    assert await lee.next_message() == {"type": "marker"}


async def test_a_pushed_notification_is_the_stored_one(running: Running) -> None:
    lee = await running.service.fanout.subscribe(LEE["id"])
    await deliver(running, your_turn(LEE["id"]))
    pushed = localized(await lee.next_message(), "en")
    async with running.database.engine.connect() as conn:
        row = (await conn.execute(select(notifications))).one()
    assert pushed == {
        "type": "notification",
        "data": {
            "id": row.id,
            "sequence": 1,
            "type": "approval.your_turn",
            "approval_id": "apr-1",
            "title": "Q3 travel expenses",
            "message": "Kim Dojang asked for your approval: Q3 travel expenses",
            "created_at": "2026-03-02T09:00:00Z",
            "read_at": None,
        },
    }


async def test_every_rule_lands_in_the_store(running: Running) -> None:
    await deliver(
        running,
        approval_event("approval.submitted", cc=[CHOI["id"]]),
        approval_event(
            "approval.approved", number="N-1", cc=[CHOI["id"]], completed_at="2026-03-02T10:00Z"
        ),
        approval_event("approval.commented", comment_id="c-1", author=LEE, body="Nice"),
    )
    assert await stored(running) == [
        (CHOI["id"], "approval.cc"),
        (CHOI["id"], "approval.cc"),
        (KIM["id"], "approval.approved"),
        (KIM["id"], "approval.commented"),
    ]


async def test_an_unusable_event_is_dead_lettered_and_the_consumer_goes_on(
    running: Running,
) -> None:
    await deliver(
        running,
        approval_event("approval.your_turn", recipients="everyone"),
        your_turn(LEE["id"]),
    )
    assert await stored(running) == [(LEE["id"], "approval.your_turn")]
    inspector = await running.bus.subscribe("inspector", ["approval-events.dlq"])
    letters = [json.loads(r.value) for r in await inspector.fetch(10, timeout=0)]
    assert [letter["group"] for letter in letters] == ["notification"]
    assert "recipients" in letters[0]["error"]


async def test_unrelated_events_store_nothing(running: Running) -> None:
    await deliver(running, approval_event("approval.stage_activated", cc=[CHOI["id"]]))
    async with running.database.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(notifications)) == 0


class FakeNotifications:
    def __init__(self) -> None:
        self.added: list[Notification] = []
        self.last: dict[str, int] = {}

    async def next_sequences(self, recipient_ids: Collection[str]) -> dict[str, int]:
        for recipient_id in recipient_ids:
            self.last[recipient_id] = self.last.get(recipient_id, 0) + 1
        return {recipient_id: self.last[recipient_id] for recipient_id in recipient_ids}

    async def add(self, notifications_: Sequence[Notification]) -> None:
        self.added.extend(notifications_)


class FakeUnitOfWork:
    """Runs `after_commit` callbacks at commit, like the kernel's unit of work."""

    def __init__(self) -> None:
        self.notifications = FakeNotifications()
        self.callbacks: list[Callable[[], Awaitable[None]]] = []

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def after_commit(self, callback: Callable[[], Awaitable[None]]) -> None:
        self.callbacks.append(callback)

    async def commit(self) -> None:
        for callback in self.callbacks:
            await callback()


class RecordingFanout:
    def __init__(self, *, fail: bool = False) -> None:
        self.published: list[tuple[str, dict[str, Any]]] = []
        self.fail = fail

    async def publish(self, user_id: str, message: dict[str, Any]) -> None:
        if self.fail:
            raise ConnectionError("fan-out is down")
        self.published.append((user_id, message))


CLOCK = FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


async def test_nothing_is_pushed_before_the_commit() -> None:
    fanout = RecordingFanout()
    handler = ApprovalEventHandler(fanout, clock=CLOCK)  # type: ignore[arg-type]
    uow = FakeUnitOfWork()
    await handler(your_turn(LEE["id"], PARK["id"]), uow)  # type: ignore[arg-type]
    assert [n.recipient_id for n in uow.notifications.added] == [LEE["id"], PARK["id"]]
    assert fanout.published == []
    await uow.commit()
    assert [user for user, _ in fanout.published] == [LEE["id"], PARK["id"]]


async def test_a_failing_fanout_does_not_fail_the_committed_event() -> None:
    handler = ApprovalEventHandler(RecordingFanout(fail=True), clock=CLOCK)  # type: ignore[arg-type]
    uow = FakeUnitOfWork()
    await handler(your_turn(LEE["id"]), uow)  # type: ignore[arg-type]
    await uow.commit()
    assert len(uow.notifications.added) == 1


async def test_stored_notifications_are_counted_once_however_often_the_event_comes(
    running: Running,
) -> None:
    def created() -> float:
        return REGISTRY.get_sample_value("dojang_notifications_created_total") or 0.0

    before = created()
    event = your_turn(LEE["id"], PARK["id"])
    await deliver(running, event, event)
    assert created() == before + 2  # one notification for each of the two
