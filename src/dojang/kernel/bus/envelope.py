"""The message envelope every Dojang event travels in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dojang.kernel import json_codec
from dojang.kernel.ids import new_id


class MalformedEvent(ValueError):
    """The bytes on the bus are not a Dojang event envelope."""


@dataclass(frozen=True)
class Event:
    """One event: `id` is the idempotency key and `aggregate_id` the message key.

    `causation_id` names what caused it: the request id of the HTTP request, or the id of
    the event a consumer was applying; `traceparent` continues the caller's W3C trace.
    """

    type: str
    aggregate_id: str
    data: dict[str, Any]
    occurred_at: datetime
    id: str = field(default_factory=new_id)
    version: int = 1
    traceparent: str | None = None
    causation_id: str | None = None

    def to_json(self) -> bytes:
        """The envelope as UTF-8 JSON."""
        body = {
            "id": self.id,
            "type": self.type,
            "occurred_at": self.occurred_at.isoformat(),
            "aggregate_id": self.aggregate_id,
            "version": self.version,
            "traceparent": self.traceparent,
            "causation_id": self.causation_id,
            "data": self.data,
        }
        return json_codec.dump_bytes(body)

    @classmethod
    def from_json(cls, raw: bytes | str) -> Event:
        """Parse an envelope, raising `MalformedEvent` for anything else."""
        try:
            body = json_codec.load(raw)
            return cls(
                id=str(body["id"]),
                type=str(body["type"]),
                occurred_at=datetime.fromisoformat(body["occurred_at"]),
                aggregate_id=str(body["aggregate_id"]),
                version=int(body.get("version", 1)),
                traceparent=body.get("traceparent"),
                causation_id=body.get("causation_id"),
                data=dict(body["data"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise MalformedEvent(f"not an event envelope: {exc}") from exc
