"""Dead letters read back and replayed: what an operator does once a poison message's cause
is fixed (or was passing).

Replaying a dead letter publishes its original message (same key, same value) to the topic it
came from, so the group that failed it applies it again; every other group finds its event id
among the ones it already processed and skips it. Each replay is remembered on
`TOPIC.dlq.replayed` (one message per dead letter, keyed by its offset on `TOPIC.dlq`), and a
dead letter found there is not published again. The original is published before its marker:
a replay cut short between the two is published again by the next one, which the groups'
recorded event ids make harmless, whereas the other order could lose the message.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from dojang.kernel.bus.dead_letters import dead_letter_topic
from dojang.kernel.bus.envelope import Event, MalformedEvent
from dojang.kernel.bus.port import EventBus, Message, Record
from dojang.kernel.errors import NotFound

_PAGE = 500


def replayed_topic(topic: str) -> str:
    """The topic that remembers which dead letters of `topic` were replayed."""
    return f"{dead_letter_topic(topic)}.replayed"


@dataclass(frozen=True)
class DeadLetter:
    """One message a consumer group could not process, as `TOPIC.dlq` keeps it.

    `offset` is its position on `TOPIC.dlq`; `source_offset` the original's on `topic`.
    `event_type` and `event_id` are read from the original when it is an event envelope.
    """

    offset: int
    group: str
    error: str
    failed_at: str
    topic: str
    source_offset: int | None
    key: str
    value: str
    event_type: str | None
    event_id: str | None
    replayed: bool = False

    @classmethod
    def of(cls, record: Record, *, replayed: bool) -> DeadLetter:
        """The dead letter a `TOPIC.dlq` record holds; fields it lacks are left blank."""
        try:
            body: dict[str, Any] = json.loads(record.value)
            if not isinstance(body, dict):
                raise ValueError(body)
        except ValueError:
            body = {"value": record.value.decode("utf-8", errors="replace")}
        value = str(body.get("value", ""))
        try:
            event: Event | None = Event.from_json(value)
        except MalformedEvent:
            event = None
        source_offset = body.get("offset")
        return cls(
            offset=record.offset,
            group=str(body.get("group", "")),
            error=str(body.get("error", "")),
            failed_at=str(body.get("failed_at", "")),
            topic=str(body.get("topic", "")),
            source_offset=source_offset if isinstance(source_offset, int) else None,
            key=str(body.get("key", record.key)),
            value=value,
            event_type=None if event is None else event.type,
            event_id=None if event is None else event.id,
            replayed=replayed,
        )

    def describe(self) -> str:
        """One line for an operator: offset, when, which group, which event, state, error."""
        return "\t".join(
            [
                str(self.offset),
                self.failed_at or "-",
                self.group or "-",
                self.event_type or "-",
                self.event_id or "-",
                "replayed" if self.replayed else "dead",
                self.error.replace("\n", " ") or "-",
            ]
        )


@dataclass(frozen=True)
class ReplayOutcome:
    """The dead letters a replay published, and those it left as replayed before."""

    replayed: list[DeadLetter]
    already_replayed: list[DeadLetter]


class DeadLetterReplay:
    """Lists and replays the dead letters of one topic, through the bus port only."""

    def __init__(self, bus: EventBus, topic: str) -> None:
        self._bus = bus
        self.topic = topic

    async def dead_letters(self) -> list[DeadLetter]:
        """Every dead letter of the topic, oldest first, each saying whether it was replayed."""
        replayed = await self._replayed_offsets()
        return [
            DeadLetter.of(record, replayed=record.offset in replayed)
            for record in await self._read_all(dead_letter_topic(self.topic))
        ]

    async def replay(self, offsets: Collection[int] | None) -> ReplayOutcome:
        """Publish again the originals of these dead letters (None: all of them) that were
        not replayed before, and remember them; `NotFound` (and nothing published) if an
        offset names no dead letter of the topic."""
        found = {letter.offset: letter for letter in await self.dead_letters()}
        if offsets is None:
            chosen = list(found.values())
        else:
            missing = sorted(set(offsets) - set(found))
            if missing:
                raise NotFound(
                    "{topic} has no dead letter at offset {offsets}.",
                    topic=dead_letter_topic(self.topic),
                    offsets=", ".join(map(str, missing)),
                )
            chosen = [found[offset] for offset in sorted(set(offsets))]
        fresh = [letter for letter in chosen if not letter.replayed]
        await self._bus.publish(
            self.topic, [Message(key=letter.key, value=letter.value.encode()) for letter in fresh]
        )
        now = datetime.now(UTC).isoformat()
        await self._bus.publish(
            replayed_topic(self.topic),
            [
                Message(
                    key=str(letter.offset),
                    value=json.dumps(
                        {
                            "dlq_offset": letter.offset,
                            "group": letter.group,
                            "event_id": letter.event_id,
                            "replayed_at": now,
                        }
                    ).encode(),
                )
                for letter in fresh
            ],
        )
        return ReplayOutcome(
            replayed=fresh, already_replayed=[letter for letter in chosen if letter.replayed]
        )

    async def _replayed_offsets(self) -> set[int]:
        """The `TOPIC.dlq` offsets of the dead letters replayed so far (each marker's key)."""
        markers = await self._read_all(replayed_topic(self.topic))
        return {int(record.key) for record in markers if record.key.isdigit()}

    async def _read_all(self, topic: str) -> list[Record]:
        records: list[Record] = []
        after = 0
        while page := await self._bus.read([topic], after, _PAGE):
            records.extend(page)
            after = page[-1].offset
        return records
