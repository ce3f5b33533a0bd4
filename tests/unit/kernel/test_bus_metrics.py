"""The bus metrics: consume duration and errors, dead letters, outbox backlog, consumer lag."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from prometheus_client import REGISTRY

from dojang.kernel.backlog_metrics import BacklogSampler
from dojang.kernel.bus.consumer import ConsumerRunner
from dojang.kernel.bus.dead_letters import BusDeadLetters
from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.bus.port import Message
from dojang.kernel.bus.relay import OutboxRelay
from dojang.kernel.bus.unit_of_work import SqlUnitOfWork
from dojang.kernel.errors import TransientError
from dojang.kernel.service import ServiceModule

from .conftest import TinyService


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _bump(name: str) -> Event:
    return Event(
        type="counter.bumped",
        aggregate_id=name,
        data={"name": name},
        occurred_at=datetime.now(UTC),
    )


Handler = Callable[[Event, SqlUnitOfWork], Awaitable[None]]


def _runner(
    service: TinyService, bus: LocalBus, handler: Handler, group: str
) -> ConsumerRunner[SqlUnitOfWork]:
    return ConsumerRunner(
        bus=bus,
        group=group,
        topics=["metered"],
        handler=handler,
        unit_of_work=service.unit_of_work,
        dead_letters=BusDeadLetters(bus),
        retry_backoff_seconds=0,
        max_attempts=2,
    )


async def test_handling_is_timed_per_group_and_topic(
    sqlite_service: TinyService, bus: LocalBus
) -> None:
    async def applied(event: Event, uow: SqlUnitOfWork) -> None:
        return None

    labels = {"group": "timed", "topic": "metered"}
    before = _value("dojang_bus_consume_duration_seconds_count", **labels)
    await bus.publish("metered", [Message("a", _bump("a").to_json())])
    await _runner(sqlite_service, bus, applied, "timed").drain()
    assert _value("dojang_bus_consume_duration_seconds_count", **labels) > before
    assert _value("dojang_bus_consume_errors_total", kind="retried", **labels) == 0


async def test_retries_and_dead_letters_are_counted(
    sqlite_service: TinyService, bus: LocalBus
) -> None:
    async def busy(event: Event, uow: SqlUnitOfWork) -> None:
        raise TransientError("database busy")

    labels = {"group": "failing", "topic": "metered"}
    dead_before = _value("dojang_dead_letters_total", **labels)
    await bus.publish("metered", [Message("a", _bump("a").to_json())])
    await _runner(sqlite_service, bus, busy, "failing").drain()
    assert _value("dojang_bus_consume_errors_total", kind="retried", **labels) >= 1
    assert _value("dojang_bus_consume_errors_total", kind="dead_lettered", **labels) >= 1
    assert _value("dojang_dead_letters_total", **labels) == dead_before + 1


async def test_the_sampler_reports_outbox_backlog_its_age_and_consumer_lag(
    sqlite_service: TinyService, bus: LocalBus
) -> None:
    relay = OutboxRelay(sqlite_service.db, sqlite_service.tables, bus, sqlite_service.signal)

    async def applied(event: Event, uow: SqlUnitOfWork) -> None:
        return None

    consumer = _runner(sqlite_service, bus, applied, "lagging")
    module = ServiceModule(name="tiny", relay=relay, consumers=[consumer])
    sampler = BacklogSampler([module], bus)
    await sampler.sample()
    assert _value("dojang_outbox_pending_events", service="tiny") == 0
    assert _value("dojang_outbox_oldest_unsent_age_seconds", service="tiny") == 0

    async with sqlite_service.unit_of_work() as uow:
        uow.emit("metered", _bump("a"))
        await uow.commit()
    await sampler.sample()
    assert _value("dojang_outbox_pending_events", service="tiny") == 1
    assert _value("dojang_outbox_oldest_unsent_age_seconds", service="tiny") >= 0
    assert _value("dojang_bus_consumer_lag", group="lagging", topic="metered") == 0

    assert await relay.relay_once() == 1
    await sampler.sample()
    assert _value("dojang_outbox_pending_events", service="tiny") == 0
    assert _value("dojang_outbox_oldest_unsent_age_seconds", service="tiny") == 0
    assert _value("dojang_bus_consumer_lag", group="lagging", topic="metered") == 1

    await consumer.drain()
    await sampler.sample()
    assert _value("dojang_bus_consumer_lag", group="lagging", topic="metered") == 0


async def test_the_age_grows_while_the_oldest_event_waits(
    sqlite_service: TinyService, bus: LocalBus
) -> None:
    relay = OutboxRelay(sqlite_service.db, sqlite_service.tables, bus, sqlite_service.signal)
    sampler = BacklogSampler([ServiceModule(name="aging", relay=relay)], bus)
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    async with sqlite_service.db.engine.begin() as conn:
        await conn.execute(
            sqlite_service.tables.add_to_outbox,
            [
                {
                    "event_id": "e-1",
                    "topic": "metered",
                    "message_key": "a",
                    "payload": _bump("a").to_json(),
                    "created_at": hour_ago,
                }
            ],
        )
    await sampler.sample()
    age = _value("dojang_outbox_oldest_unsent_age_seconds", service="aging")
    assert 3590 < age < 3700
