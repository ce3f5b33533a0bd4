"""Where poison messages go: `TOPIC.dlq`, with the error and the consumer group.

A dead letter's value holds the original and where it failed; its headers say the same in
brief (`dlq.source.topic`, `dlq.source.partition`, `dlq.source.offset`, `dlq.group`,
`dlq.error`), so a Kafka tool shows where a dead letter came from without decoding it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Protocol

from dojang.kernel.bus.port import EventBus, Message, Record

ERROR_HEADER_LIMIT = 500
"""Characters of the error kept in the `dlq.error` header (the value keeps all of it)."""


def dead_letter_topic(topic: str) -> str:
    """The dead-letter topic of `topic`."""
    return f"{topic}.dlq"


class DeadLetterSink(Protocol):
    async def send(self, record: Record, group: str, error: str) -> None:
        """Keep a message that `group` could not process, with the reason."""
        ...


class BusDeadLetters:
    """Publishes dead letters to `TOPIC.dlq` on the same bus."""

    def __init__(self, bus: EventBus) -> None:
        self._bus = bus

    async def send(self, record: Record, group: str, error: str) -> None:
        """Publish the failed message, its origin and the error to `TOPIC.dlq`."""
        body = {
            "group": group,
            "error": error,
            "failed_at": datetime.now(UTC).isoformat(),
            "topic": record.topic,
            "partition": record.partition,
            "offset": record.offset,
            "key": record.key,
            "value": record.value.decode("utf-8", errors="replace"),
        }
        await self._bus.publish(
            dead_letter_topic(record.topic),
            [
                Message(
                    key=record.key,
                    value=json.dumps(body, ensure_ascii=False).encode(),
                    headers=(
                        ("dlq.source.topic", record.topic),
                        ("dlq.source.partition", str(record.partition)),
                        ("dlq.source.offset", str(record.offset)),
                        ("dlq.group", group),
                        ("dlq.error", error[:ERROR_HEADER_LIMIT]),
                    ),
                )
            ],
        )
