"""The simulated bus: committed outbox events in flight, delivered in an order the test picks.

Kafka keeps order per key within a topic (the key picks the partition) and promises nothing
across keys or topics. So the pool keeps one queue per (topic, key): any queue's oldest
event may be delivered next, never an event before an older one of its own queue.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from itertools import count

from dojang.kernel.bus.port import Message, Record, Subscription

Channel = tuple[str, str]


class InFlightPool:
    """Events published but not yet delivered, one ordered queue per (topic, key)."""

    def __init__(self) -> None:
        self._queues: dict[Channel, deque[Record]] = {}
        self._offsets = count()

    def __len__(self) -> int:
        return sum(len(queue) for queue in self._queues.values())

    def publish(self, topic: str, key: str, value: bytes) -> None:
        """Put an event at the back of its (topic, key) queue."""
        record = Record(topic=topic, partition=0, offset=next(self._offsets), key=key, value=value)
        self._queues.setdefault((topic, key), deque()).append(record)

    def channels(self) -> list[Channel]:
        """The queues holding events, in the order they were first used (so a seed replays)."""
        return [channel for channel, queue in self._queues.items() if queue]

    def take(self, channel: Channel) -> Record:
        """The oldest event of a queue, out of the pool."""
        return self._queues[channel].popleft()

    def publish_again(self, record: Record) -> None:
        """The same record once more, behind what its queue holds now.

        At-least-once delivery: a relay that published but died before marking its rows
        sent publishes them again after whatever was appended meanwhile.
        """
        self._queues.setdefault((record.topic, record.key), deque()).append(record)


class DeadLetterTrap:
    """The `EventBus` the services are built with: it only ever receives dead letters.

    Relays and consumers do not run (the test moves every event itself), so whatever a
    service publishes on its own is a consumer's dead letter.
    """

    def __init__(self) -> None:
        self.dead_letters: list[tuple[str, Message]] = []

    async def start(self) -> None:
        """Nothing to connect."""

    async def stop(self) -> None:
        """Nothing to flush."""

    async def publish(self, topic: str, messages: Sequence[Message]) -> None:
        """Keep what was dead-lettered."""
        self.dead_letters.extend((topic, message) for message in messages)

    async def subscribe(self, group: str, topics: Sequence[str]) -> Subscription:
        """Nobody subscribes: the simulation delivers every event itself."""
        raise AssertionError(f"{group} subscribed to {topics}; the simulation is the bus")

    async def ping(self) -> None:
        """Always reachable."""
