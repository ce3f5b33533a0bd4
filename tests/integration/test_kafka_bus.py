"""What only Kafka has: topics made with their partitions, and a group that rebalances."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from dojang.kernel.bus.kafka import KafkaBus
from dojang.kernel.bus.port import Message, Record, Subscription
from tests.integration.buses import kafka_bus

pytestmark = pytest.mark.integration


def _stream(count: int, keys: int = 12) -> list[Message]:
    return [Message(key=f"doc-{i % keys}", value=str(i).encode()) for i in range(count)]


async def _drain(subscription: Subscription) -> list[Record]:
    seen: list[Record] = []
    while records := await subscription.fetch(100, timeout=0):
        seen.extend(records)
        await subscription.commit(records)
    return seen


async def test_topics_are_created_with_their_partitions_and_dead_letters_with_one() -> None:
    bus = kafka_bus(topics=["orders"], partitions=4)
    await bus.start()
    try:
        assert await bus.partition_count("orders") == 4
        assert await bus.partition_count("orders.dlq") == 1
        assert await bus.partition_count("orders.dlq.replayed") == 1
        # a topic the bus was not told about is made on first use, the same way
        await bus.publish("refunds", [Message("doc-1", b"x")])
        await bus.publish("refunds.dlq", [Message("doc-1", b"y")])
        assert await bus.partition_count("refunds") == 4
        assert await bus.partition_count("refunds.dlq") == 1
    finally:
        await bus.stop()


async def test_read_refuses_a_topic_of_several_partitions() -> None:
    bus = kafka_bus(topics=["orders"])
    await bus.start()
    try:
        with pytest.raises(ValueError, match="several partitions"):
            await bus.read(["orders"], after=0, limit=10)
    finally:
        await bus.stop()


async def _started(bus: KafkaBus) -> KafkaBus:
    await bus.start()
    return bus


async def test_a_member_joining_waits_for_the_batch_in_flight_and_gets_none_of_it() -> None:
    bus = await _started(kafka_bus(topics=["orders"], revoke_grace_seconds=20))
    try:
        await bus.publish("orders", _stream(60))
        first = await bus.subscribe("billing", ["orders"])
        batch = await first.fetch(5, timeout=0)
        assert batch
        joining = asyncio.create_task(bus.subscribe("billing", ["orders"]))
        # the first member hears of the rebalance at its next heartbeat; from then on the
        # group cannot move partitions while the member's batch is in flight
        async with asyncio.timeout(15):
            while not first.rebalance_waiting:
                await asyncio.sleep(0.02)
        await asyncio.sleep(0.5)
        assert not joining.done()
        await first.commit(batch)
        second = await asyncio.wait_for(joining, 20)
        try:
            rest_first, rest_second = await asyncio.gather(_drain(first), _drain(second))
        finally:
            await second.close()
            await first.close()
        seen = Counter(int(r.value) for r in [*batch, *rest_first, *rest_second])
        assert sorted(seen) == list(range(60))
        assert set(seen.values()) == {1}  # nothing of the batch was delivered again
        assert rest_second  # the joining member took partitions over
    finally:
        await bus.stop()


async def test_a_commit_after_its_partitions_were_taken_is_skipped_not_raised() -> None:
    bus = await _started(kafka_bus(topics=["orders"], revoke_grace_seconds=0.2))
    try:
        await bus.publish("orders", _stream(60))
        first = await bus.subscribe("billing", ["orders"])
        batch = await first.fetch(5, timeout=0)
        assert batch
        # the first member holds its batch past the grace: the group rebalances under it
        second = await bus.subscribe("billing", ["orders"])
        async with asyncio.timeout(15):
            while not second._consumer.assignment():
                await asyncio.sleep(0.02)
        try:
            await first.commit(batch)  # partitions it lost are skipped, the call returns
            rest_first, rest_second = await asyncio.gather(_drain(first), _drain(second))
        finally:
            await second.close()
            await first.close()
        seen = {int(r.value) for r in [*batch, *rest_first, *rest_second]}
        assert seen == set(range(60))  # redelivered maybe, lost never
        assert await bus.lag("billing", "orders") == 0
    finally:
        await bus.stop()
