"""The bus port: Kafka's contract, whatever carries the messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

Headers = tuple[tuple[str, str], ...]
"""A message's headers: (name, value) pairs, as Kafka carries them beside the value."""


@dataclass(frozen=True)
class Message:
    """What a producer hands the bus: a key (ordering unit), the encoded value, headers."""

    key: str
    value: bytes
    headers: Headers = ()


@dataclass(frozen=True)
class Record:
    """What a consumer receives: a message and its position in the topic.

    `offset` counts from 1 within its partition: a group that has applied this record
    commits `offset`, and `read(after=offset)` resumes behind it (Kafka's own offsets start
    at 0, so the Kafka adapter reports its offset + 1).
    """

    topic: str
    partition: int
    offset: int
    key: str
    value: bytes
    headers: Headers = ()


class Subscription(Protocol):
    """A consumer group's view of some topics; it sees every message once per group."""

    async def fetch(self, max_records: int, timeout: float) -> list[Record]:
        """The next records after this subscription's position, waiting up to `timeout`.

        With `timeout=0`, what the topics hold now: an empty answer means the subscription
        has reached their end (a tool's `drain` stops there)."""
        ...

    async def commit(self, records: Sequence[Record]) -> None:
        """Mark these records (and all before them) done for the group."""
        ...

    async def close(self) -> None:
        """Leave the group; uncommitted records are delivered again later."""
        ...


class EventBus(Protocol):
    """Named topics, a key per message, per-key order, consumer groups."""

    async def start(self) -> None:
        """Connect and get ready to publish and subscribe."""
        ...

    async def stop(self) -> None:
        """Flush and disconnect."""
        ...

    async def publish(self, topic: str, messages: Sequence[Message]) -> None:
        """Append messages to a topic durably, in order; returns once they are stored."""
        ...

    async def subscribe(self, group: str, topics: Sequence[str]) -> Subscription:
        """Join `group` on `topics`, starting after the group's committed position."""
        ...

    async def read(self, topics: Sequence[str], after: int, limit: int) -> list[Record]:
        """Up to `limit` records of `topics` with an offset above `after`, oldest first,
        outside any group (tools inspect topics this way, e.g. the dead letters).

        Offsets count within one partition: a topic read this way has one partition, as
        dead-letter topics do.
        """
        ...

    async def lag(self, group: str, topic: str) -> int:
        """How many records of `topic` `group` has not committed yet (0: it consumed all)."""
        ...

    async def ping(self) -> None:
        """Raise unless the bus is reachable."""
        ...
