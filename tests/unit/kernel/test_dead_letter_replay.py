"""Dead letters listed and replayed: the failing group applies them again, each at most once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from dojang.kernel.bus.consumer import ConsumerRunner
from dojang.kernel.bus.dead_letters import BusDeadLetters
from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.bus.port import Message
from dojang.kernel.bus.replay import DeadLetterReplay, replayed_topic
from dojang.kernel.bus.unit_of_work import SqlUnitOfWork
from dojang.kernel.errors import NotFound

from .conftest import TinyService, counters


class Switch:
    """A handler that refuses every event until it is fixed, then counts what it applies."""

    def __init__(self) -> None:
        self.fixed = False

    async def __call__(self, event: Event, uow: SqlUnitOfWork) -> None:
        if not self.fixed:
            raise ValueError("the counters table is read-only today")
        name = event.data["name"]
        found = await uow.session.scalar(select(counters.c.value).where(counters.c.name == name))
        if found is None:
            await uow.session.execute(counters.insert().values(name=name, value=1))
        else:
            await uow.session.execute(
                update(counters).where(counters.c.name == name).values(value=found + 1)
            )


def _bump(name: str) -> Event:
    return Event(
        type="counter.bumped", aggregate_id=name, data={"name": name}, occurred_at=datetime.now(UTC)
    )


def _runner(service: TinyService, bus: LocalBus, handler: Switch, group: str) -> ConsumerRunner:  # type: ignore[type-arg]
    return ConsumerRunner(
        bus=bus,
        group=group,
        topics=["counters"],
        handler=handler,
        unit_of_work=service.unit_of_work,
        dead_letters=BusDeadLetters(bus),
        retry_backoff_seconds=0,
    )


async def _value(service: TinyService, name: str) -> int | None:
    async with service.db.engine.connect() as conn:
        return await conn.scalar(select(counters.c.value).where(counters.c.name == name))


async def _log_size(bus: LocalBus, topic: str) -> int:
    return len(await bus.read([topic], 0, 1000))


async def test_a_dead_letter_lists_its_group_event_and_error(
    service: TinyService, bus: LocalBus
) -> None:
    event = _bump("a")
    await bus.publish("counters", [Message("a", event.to_json())])
    await _runner(service, bus, Switch(), "tally").drain()
    [letter] = await DeadLetterReplay(bus, "counters").dead_letters()
    assert (letter.group, letter.topic, letter.key) == ("tally", "counters", "a")
    assert (letter.event_type, letter.event_id) == ("counter.bumped", event.id)
    assert letter.error == "ValueError: the counters table is read-only today"
    assert not letter.replayed
    line = letter.describe()
    assert line.split("\t")[0] == str(letter.offset)
    assert all(part in line for part in ("tally", "counter.bumped", event.id, "dead"))


async def test_a_replayed_dead_letter_is_applied_by_its_group_once_and_skipped_by_others(
    service: TinyService, bus: LocalBus
) -> None:
    event = _bump("a")
    await bus.publish("counters", [Message("a", event.to_json())])
    failing = Switch()
    await _runner(service, bus, failing, "tally").drain()
    others = Switch()
    others.fixed = True
    await _runner(service, bus, others, "audit").drain()  # applied it the first time
    assert await _value(service, "a") == 1

    failing.fixed = True
    replay = DeadLetterReplay(bus, "counters")
    [letter] = await replay.dead_letters()
    outcome = await replay.replay([letter.offset])
    assert [r.offset for r in outcome.replayed] == [letter.offset]
    [original, again] = await bus.read(["counters"], 0, 10)
    assert (again.key, again.value) == (original.key, original.value)

    await _runner(service, bus, failing, "tally").drain()
    await _runner(service, bus, others, "audit").drain()
    assert await _value(service, "a") == 2  # once by `audit` at first, once by `tally` now
    [listed] = await replay.dead_letters()
    assert listed.replayed


async def test_replaying_twice_publishes_once(service: TinyService, bus: LocalBus) -> None:
    await bus.publish("counters", [Message("a", _bump("a").to_json())])
    await _runner(service, bus, Switch(), "tally").drain()
    replay = DeadLetterReplay(bus, "counters")
    first = await replay.replay(None)
    second = await DeadLetterReplay(bus, "counters").replay(None)
    assert len(first.replayed) == 1
    assert second.replayed == []
    assert [r.offset for r in second.already_replayed] == [first.replayed[0].offset]
    assert await _log_size(bus, "counters") == 2
    assert await _log_size(bus, replayed_topic("counters")) == 1


async def test_replay_by_offset_leaves_the_other_dead_letters(
    service: TinyService, bus: LocalBus
) -> None:
    await bus.publish("counters", [Message(n, _bump(n).to_json()) for n in ("a", "b")])
    await _runner(service, bus, Switch(), "tally").drain()
    replay = DeadLetterReplay(bus, "counters")
    first, second = await replay.dead_letters()
    await replay.replay([second.offset])
    assert [(d.key, d.replayed) for d in await replay.dead_letters()] == [
        ("a", False),
        ("b", True),
    ]
    rest = await replay.replay(None)
    assert [d.offset for d in rest.replayed] == [first.offset]


async def test_an_unknown_offset_replays_nothing(service: TinyService, bus: LocalBus) -> None:
    await bus.publish("counters", [Message("a", _bump("a").to_json())])
    await _runner(service, bus, Switch(), "tally").drain()
    replay = DeadLetterReplay(bus, "counters")
    [letter] = await replay.dead_letters()
    with pytest.raises(NotFound):
        await replay.replay([letter.offset, letter.offset + 100])
    assert await _log_size(bus, "counters") == 1


async def test_a_malformed_original_is_listed_without_an_event(
    service: TinyService, bus: LocalBus
) -> None:
    await bus.publish("counters", [Message("a", b"not json")])
    await _runner(service, bus, Switch(), "tally").drain()
    [letter] = await DeadLetterReplay(bus, "counters").dead_letters()
    assert (letter.event_type, letter.event_id, letter.value) == (None, None, "not json")
    assert letter.error.startswith("malformed")
