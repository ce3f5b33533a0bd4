"""The consumer runner: idempotent effects, bounded retries, dead letters, offsets after."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
import structlog
from sqlalchemy import select, update

from dojang.kernel.bus.consumer import ConsumerRunner
from dojang.kernel.bus.dead_letters import BusDeadLetters
from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.local import LocalBus, LocalSubscription
from dojang.kernel.bus.port import Message, Record
from dojang.kernel.bus.unit_of_work import SqlUnitOfWork
from dojang.kernel.errors import TransientError

from .conftest import TinyService, counters


def _bump(name: str, event_id: str | None = None) -> Event:
    extra = {"id": event_id} if event_id else {}
    return Event(
        type="counter.bumped",
        aggregate_id=name,
        data={"name": name},
        occurred_at=datetime.now(UTC),
        **extra,
    )


async def _bump_counter(event: Event, uow: SqlUnitOfWork) -> None:
    name = event.data["name"]
    found = await uow.session.scalar(select(counters.c.value).where(counters.c.name == name))
    if found is None:
        await uow.session.execute(counters.insert().values(name=name, value=1))
    else:
        await uow.session.execute(
            update(counters).where(counters.c.name == name).values(value=found + 1)
        )


async def _value(service: TinyService, name: str) -> int | None:
    async with service.db.engine.connect() as conn:
        return await conn.scalar(select(counters.c.value).where(counters.c.name == name))


def _runner(service: TinyService, bus: LocalBus, handler=_bump_counter, **kw) -> ConsumerRunner:  # type: ignore[no-untyped-def]
    return ConsumerRunner(
        bus=bus,
        group="tally",
        topics=["counters"],
        handler=handler,
        unit_of_work=service.unit_of_work,
        dead_letters=BusDeadLetters(bus),
        retry_backoff_seconds=0,
        **kw,
    )


async def _dead_letters(bus: LocalBus) -> list[dict[str, object]]:
    sub = await bus.subscribe("inspector", ["counters.dlq"])
    return [json.loads(r.value) for r in await sub.fetch(100, timeout=0)]


async def test_a_redelivered_event_has_no_second_effect(
    service: TinyService, bus: LocalBus
) -> None:
    event = _bump("a")
    await bus.publish("counters", [Message("a", event.to_json()), Message("a", event.to_json())])
    await _runner(service, bus).drain()
    assert await _value(service, "a") == 1


async def test_events_redelivered_after_a_crash_are_skipped(
    service: TinyService, bus: LocalBus
) -> None:
    await bus.publish("counters", [Message("a", _bump("a").to_json())])
    runner = _runner(service, bus)
    sub = await bus.subscribe("tally", ["counters"])
    for record in await sub.fetch(10, timeout=0):
        assert await runner.handle(record) == "applied"
    # the offset was never committed: the next subscriber gets the record again
    again = await bus.subscribe("tally", ["counters"])
    outcomes = [await runner.handle(r) for r in await again.fetch(10, timeout=0)]
    assert outcomes == ["duplicate"]
    assert await _value(service, "a") == 1


async def test_transient_failures_are_retried(service: TinyService, bus: LocalBus) -> None:
    attempts = 0

    async def flaky(event: Event, uow: SqlUnitOfWork) -> None:
        nonlocal attempts
        attempts += 1
        await _bump_counter(event, uow)
        if attempts < 3:
            raise TransientError("database busy")

    await bus.publish("counters", [Message("a", _bump("a").to_json())])
    await _runner(service, bus, flaky, max_attempts=5).drain()
    assert attempts == 3
    assert await _value(service, "a") == 1
    assert await _dead_letters(bus) == []


async def test_by_default_a_transient_failure_is_retried_for_about_a_minute(
    service: TinyService, bus: LocalBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store that recovers in its own time (a write token of a killed replica is taken over
    after 30 s) must not send the event to the dead letters meanwhile."""
    slept: list[float] = []

    async def no_wait(seconds: float) -> None:
        slept.append(seconds)

    attempts = 0

    async def busy_for_a_while(event: Event, uow: SqlUnitOfWork) -> None:
        nonlocal attempts
        attempts += 1
        await _bump_counter(event, uow)
        if attempts < 30:
            raise TransientError("the document is held by a writer")

    await bus.publish("counters", [Message("a", _bump("a").to_json())])
    runner = ConsumerRunner(
        bus=bus,
        group="tally",
        topics=["counters"],
        handler=busy_for_a_while,
        unit_of_work=service.unit_of_work,
        dead_letters=BusDeadLetters(bus),
    )
    monkeypatch.setattr("dojang.kernel.bus.consumer.asyncio.sleep", no_wait)
    await runner.drain()
    assert attempts == 30
    assert await _value(service, "a") == 1
    assert await _dead_letters(bus) == []
    assert max(slept) == 2.0
    assert sum(slept) > 45


async def test_transient_failures_beyond_the_bound_go_to_dead_letters(
    service: TinyService, bus: LocalBus
) -> None:
    async def always_busy(event: Event, uow: SqlUnitOfWork) -> None:
        raise TransientError("database busy")

    await bus.publish("counters", [Message("a", _bump("a").to_json())])
    await _runner(service, bus, always_busy, max_attempts=3).drain()
    [letter] = await _dead_letters(bus)
    assert letter["group"] == "tally"
    assert "after 3 attempts" in str(letter["error"])


async def test_a_poison_message_is_dead_lettered_and_the_consumer_goes_on(
    service: TinyService, bus: LocalBus
) -> None:
    async def picky(event: Event, uow: SqlUnitOfWork) -> None:
        if event.data["name"] == "poison":
            raise ValueError("cannot apply this")
        await _bump_counter(event, uow)

    await bus.publish(
        "counters",
        [
            Message("p", _bump("poison").to_json()),
            Message("x", b"not json at all"),
            Message("a", _bump("a").to_json()),
        ],
    )
    await _runner(service, bus, picky).drain()
    letters = await _dead_letters(bus)
    assert [letter["key"] for letter in letters] == ["p", "x"]
    assert "ValueError: cannot apply this" in str(letters[0]["error"])
    assert str(letters[1]["error"]).startswith("malformed")
    assert await _value(service, "poison") is None
    assert await _value(service, "a") == 1
    assert await bus.committed_offset("tally", "counters") == 3


async def test_a_failed_effect_is_not_recorded_as_processed(
    service: TinyService, bus: LocalBus
) -> None:
    async def half_done(event: Event, uow: SqlUnitOfWork) -> None:
        await _bump_counter(event, uow)
        raise ValueError("failed after writing")

    event = _bump("a")
    await bus.publish("counters", [Message("a", event.to_json())])
    await _runner(service, bus, half_done).drain()
    assert await _value(service, "a") is None
    async with service.unit_of_work() as uow:
        assert not await uow.already_processed("tally", event.id)


async def test_too_many_dead_letters_in_a_row_stop_the_consumer(
    service: TinyService, bus: LocalBus
) -> None:
    await bus.publish("counters", [Message(str(i), b"garbage") for i in range(5)])
    runner = _runner(service, bus, max_consecutive_dead_letters=2)
    runner.start()
    for _ in range(100):
        if not runner.healthy:
            break
        await asyncio.sleep(0.01)
    await runner.stop()
    assert not runner.healthy
    assert len(await _dead_letters(bus)) == 3
    assert await bus.committed_offset("tally", "counters") == 0


async def test_the_running_consumer_applies_new_events(service: TinyService, bus: LocalBus) -> None:
    runner = _runner(service, bus)
    runner.start()
    try:
        await bus.publish("counters", [Message("a", _bump("a").to_json())])
        for _ in range(200):
            if await _value(service, "a") == 1:
                break
            await asyncio.sleep(0.01)
        assert await _value(service, "a") == 1
    finally:
        await runner.stop()


async def test_events_arriving_one_by_one_under_load_are_applied_in_batches(
    service: TinyService, bus: LocalBus
) -> None:
    batches: list[int] = []
    runner = _runner(service, bus, pace_seconds=0.05)
    handle_batch = runner.handle_batch

    async def recording(records):  # type: ignore[no-untyped-def]
        if records:
            batches.append(len(records))
        await handle_batch(records)

    runner.handle_batch = recording  # type: ignore[method-assign]
    runner.start()
    try:
        for _ in range(20):  # one every 5 ms, each its own append
            await bus.publish("counters", [Message("p", _bump("p").to_json())])
            await asyncio.sleep(0.005)
        async with asyncio.timeout(5):
            while await _value(service, "p") != 20:
                await asyncio.sleep(0.01)
    finally:
        await runner.stop()
    assert sum(batches) == 20
    assert batches[0] == 1  # the first event after a quiet spell goes at once
    assert len(batches) <= 5  # the rest waited for the pace and went together


@pytest.mark.parametrize("copies", [2, 5])
async def test_duplicates_in_one_batch_apply_once(
    service: TinyService, bus: LocalBus, copies: int
) -> None:
    event = _bump("b")
    await bus.publish("counters", [Message("b", event.to_json())] * copies)
    await _runner(service, bus).drain()
    assert await _value(service, "b") == 1


async def test_a_poison_message_inside_a_batch_does_not_cost_its_neighbours(
    service: TinyService, bus: LocalBus
) -> None:
    async def picky(event: Event, uow: SqlUnitOfWork) -> None:
        await _bump_counter(event, uow)
        if event.data["name"] == "poison":
            raise ValueError("cannot apply this")

    await bus.publish(
        "counters",
        [Message(n, _bump(n).to_json()) for n in ("a", "poison", "b")],
    )
    await _runner(service, bus, picky).drain()
    assert await _value(service, "a") == 1
    assert await _value(service, "b") == 1
    assert await _value(service, "poison") is None
    assert [letter["key"] for letter in await _dead_letters(bus)] == ["poison"]


async def test_events_the_consumer_does_not_accept_leave_no_trace(
    service: TinyService, bus: LocalBus
) -> None:
    skipped, kept = _bump("skip"), _bump("keep")
    await bus.publish("counters", [Message("s", skipped.to_json()), Message("k", kept.to_json())])
    runner = _runner(service, bus, accepts=lambda event: event.data["name"] != "skip")
    await runner.drain()
    assert await _value(service, "skip") is None
    assert await _value(service, "keep") == 1
    async with service.unit_of_work() as uow:
        assert not await uow.already_processed("tally", skipped.id)
        assert await uow.already_processed("tally", kept.id)
    assert await bus.committed_offset("tally", "counters") == 2


async def _outbox(service: TinyService) -> list[Event]:
    async with service.db.engine.connect() as conn:
        payloads = await conn.scalars(
            select(service.tables.outbox.c.payload).order_by(service.tables.outbox.c.seq)
        )
        return [Event.from_json(payload) for payload in payloads]


async def test_events_name_their_cause_and_continue_its_trace(
    service: TinyService, bus: LocalBus
) -> None:
    trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    seen: list[dict[str, object]] = []

    async def echo(event: Event, uow: SqlUnitOfWork) -> None:
        seen.append(dict(structlog.contextvars.get_contextvars()))
        uow.emit("echoes", _bump("echo"))

    # a request's work: its events carry the request id and the caller's trace
    with structlog.contextvars.bound_contextvars(request_id="req-1", traceparent=trace):
        async with service.unit_of_work() as uow:
            uow.emit("counters", _bump("first", event_id="evt-1"))
            await uow.commit()
    [first] = await _outbox(service)
    assert (first.causation_id, first.traceparent) == ("req-1", trace)
    assert Event.from_json(first.to_json()) == first

    # a consumer applying it: bound into the log context, and the cause of what it emits
    runner = _runner(service, bus, handler=echo)
    await runner.handle_batch(
        [Record(topic="counters", partition=0, offset=1, key="first", value=first.to_json())]
    )
    assert seen[0]["event_id"] == "evt-1"
    assert seen[0]["event_type"] == "counter.bumped"
    assert seen[0]["causation_id"] == "req-1"
    assert seen[0]["traceparent"] == trace
    _, echoed = await _outbox(service)
    assert (echoed.causation_id, echoed.traceparent) == ("evt-1", trace)
    assert "event_id" not in structlog.contextvars.get_contextvars()


class FailingFetches(LocalBus):
    """A bus whose subscriptions fail at their first fetch, as a lost broker makes them."""

    async def subscribe(self, group: str, topics: Sequence[str]) -> LocalSubscription:
        subscription = await super().subscribe(group, topics)

        async def fail(max_records: int, timeout: float) -> list[Record]:
            raise ConnectionError("the broker went away")

        subscription.fetch = fail  # type: ignore[method-assign]
        return subscription


async def test_a_bus_failing_under_the_runner_makes_it_unhealthy(
    service: TinyService, bus: LocalBus
) -> None:
    failing = FailingFetches(bus._db)
    runner = _runner(service, failing)
    runner.start()
    async with asyncio.timeout(5):
        while runner.healthy:
            await asyncio.sleep(0.01)
    await runner.stop()
    assert isinstance(runner.failure, ConnectionError)
