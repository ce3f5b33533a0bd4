"""The consumer runner on both buses: a graceful stop, dead letters and their limit, and a
group that rebalances while events stream in."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from dojang.kernel.bus.consumer import ConsumerRunner, Handler
from dojang.kernel.bus.dead_letters import BusDeadLetters
from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.port import EventBus, Message
from dojang.kernel.bus.replay import DeadLetterReplay
from dojang.kernel.bus.unit_of_work import OutboxSignal, SqlUnitOfWork
from dojang.kernel.db import Database
from tests.integration.buses import kafka_bus
from tests.unit.kernel.conftest import TinyService, counters, kernel_tables, metadata


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[TinyService]:
    db = Database(f"sqlite:///{tmp_path / 'tiny.db'}")
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield TinyService(db, kernel_tables, OutboxSignal())
    await db.dispose()


def _bump(name: str, seq: int = 1) -> Event:
    return Event(
        type="counter.bumped",
        aggregate_id=name,
        data={"name": name, "seq": seq},
        occurred_at=datetime.now(UTC),
    )


async def _bump_in_order(event: Event, uow: SqlUnitOfWork) -> None:
    """Counts a name's bumps, refusing one that arrives out of its order."""
    name, seq = event.data["name"], event.data["seq"]
    found = await uow.session.scalar(select(counters.c.value).where(counters.c.name == name))
    if (found or 0) != seq - 1:
        raise ValueError(f"{name}: bump {seq} arrived after bump {found}")
    if found is None:
        await uow.session.execute(counters.insert().values(name=name, value=seq))
    else:
        await uow.session.execute(update(counters).where(counters.c.name == name).values(value=seq))


def _runner(
    service: TinyService,
    bus: EventBus,
    handler: Handler[SqlUnitOfWork] = _bump_in_order,
    **kw: object,
) -> ConsumerRunner[SqlUnitOfWork]:
    return ConsumerRunner(
        bus=bus,
        group="tally",
        topics=["counters"],
        handler=handler,
        unit_of_work=service.unit_of_work,
        dead_letters=BusDeadLetters(bus),
        retry_backoff_seconds=0.01,
        **kw,  # type: ignore[arg-type]
    )


async def _values(service: TinyService) -> dict[str, int]:
    async with service.db.engine.connect() as conn:
        return {row.name: row.value for row in await conn.execute(select(counters))}


async def _processed(service: TinyService) -> int:
    async with service.db.engine.connect() as conn:
        found = await conn.scalar(select(func.count()).select_from(kernel_tables.processed_events))
        return int(found or 0)


async def _until(condition: Callable[[], Awaitable[bool]], timeout: float = 20) -> None:
    async with asyncio.timeout(timeout):
        while not await condition():
            await asyncio.sleep(0.02)


async def test_stop_lets_the_batch_in_flight_finish_and_commits_it(
    service: TinyService, any_bus: EventBus
) -> None:
    entered, release = asyncio.Event(), asyncio.Event()

    async def slow(event: Event, uow: SqlUnitOfWork) -> None:
        entered.set()
        await release.wait()
        await _bump_in_order(event, uow)

    await any_bus.publish("counters", [Message("a", _bump("a", n).to_json()) for n in (1, 2, 3)])
    runner = _runner(service, any_bus, slow)
    runner.start()
    await asyncio.wait_for(entered.wait(), 20)
    stopping = asyncio.create_task(runner.stop())
    await asyncio.sleep(0.2)
    assert not stopping.done()  # it waits for the batch, instead of cutting it short
    release.set()
    await asyncio.wait_for(stopping, 20)
    applied = await _processed(service)
    assert applied >= 1
    assert (await _values(service))["a"] == applied
    assert await any_bus.lag("tally", "counters") == 3 - applied  # all it applied, committed


async def test_a_runner_waiting_for_records_stops_at_once(
    service: TinyService, any_bus: EventBus
) -> None:
    runner = _runner(service, any_bus)
    runner.start()
    await asyncio.sleep(0.3)
    await asyncio.wait_for(runner.stop(), 5)
    assert runner.healthy


async def test_a_dead_letter_says_where_it_came_from_in_its_headers(
    service: TinyService, any_bus: EventBus
) -> None:
    await any_bus.publish("counters", [Message("x", b"not an event")])
    await _runner(service, any_bus).drain()
    [letter] = await any_bus.read(["counters.dlq"], after=0, limit=10)
    headers = dict(letter.headers)
    body = json.loads(letter.value)
    assert headers["dlq.source.topic"] == "counters"
    assert headers["dlq.source.partition"] == str(body["partition"])
    assert headers["dlq.source.offset"] == "1" == str(body["offset"])
    assert headers["dlq.group"] == "tally"
    assert headers["dlq.error"].startswith("malformed")
    assert await any_bus.lag("tally", "counters") == 0


async def test_too_many_dead_letters_in_a_row_stop_the_consumer_and_commit_nothing(
    service: TinyService, any_bus: EventBus
) -> None:
    await any_bus.publish("counters", [Message("k", b"garbage") for _ in range(5)])
    runner = _runner(service, any_bus, max_consecutive_dead_letters=2)

    async def stopped() -> bool:
        return not runner.healthy

    runner.start()
    try:
        await _until(stopped)
    finally:
        await runner.stop()
    assert len(await any_bus.read(["counters.dlq"], after=0, limit=10)) == 3
    assert await any_bus.lag("tally", "counters") == 5


@pytest.mark.integration
async def test_a_member_joining_mid_stream_neither_loses_nor_repeats_an_event(
    service: TinyService,
) -> None:
    bus = kafka_bus(topics=["counters"], partitions=6)
    await bus.start()
    names, rounds = [f"doc-{n}" for n in range(12)], 80
    applied_by: Counter[str] = Counter()

    def member(name: str) -> Handler[SqlUnitOfWork]:
        async def apply(event: Event, uow: SqlUnitOfWork) -> None:
            await _bump_in_order(event, uow)
            applied_by[name] += 1

        return apply

    first, second = _runner(service, bus, member("first")), _runner(service, bus, member("second"))
    try:
        first.start()

        async def stream() -> None:
            for seq in range(1, rounds + 1):
                await bus.publish(
                    "counters", [Message(name, _bump(name, seq).to_json()) for name in names]
                )
                await asyncio.sleep(0.05)

        streaming = asyncio.create_task(stream())
        await _until(lambda: _at_least(service, 30))
        second.start()  # a second member joins while events keep coming
        await streaming
        await _until(lambda: _at_least(service, len(names) * rounds), timeout=60)
    finally:
        await second.stop()
        await first.stop()
    assert await _values(service) == dict.fromkeys(names, rounds)  # each in order, once
    assert await _processed(service) == len(names) * rounds
    assert await bus.read(["counters.dlq"], after=0, limit=10) == []  # none out of order
    assert await bus.lag("tally", "counters") == 0
    assert applied_by["first"]
    assert applied_by["second"]  # the member that joined took partitions over
    await bus.stop()


async def _at_least(service: TinyService, count: int) -> bool:
    return await _processed(service) >= count


async def test_a_dead_letter_replayed_by_its_offset_is_applied_once(
    service: TinyService, any_bus: EventBus
) -> None:
    fixed = False

    async def refusing_until_fixed(event: Event, uow: SqlUnitOfWork) -> None:
        if not fixed:
            raise ValueError("the counters table is read-only today")
        await _bump_in_order(event, uow)

    runner = _runner(service, any_bus, refusing_until_fixed)
    await any_bus.publish("counters", [Message("a", _bump("a").to_json())])
    await runner.drain()
    replay = DeadLetterReplay(any_bus, "counters")
    [letter] = await replay.dead_letters()
    assert (letter.source_offset, letter.replayed) == (1, False)
    fixed = True
    first, second = await replay.replay([letter.offset]), await replay.replay([letter.offset])
    assert [r.offset for r in first.replayed] == [letter.offset]
    assert [r.offset for r in second.already_replayed] == [letter.offset]
    assert second.replayed == []
    await runner.drain()
    assert await _values(service) == {"a": 1}
    [after] = await replay.dead_letters()
    assert after.replayed
