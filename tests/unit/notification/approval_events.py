"""Builders of `approval-events` envelopes as docs/events.md describes them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.port import Message

KIM = {"id": "emp-kim", "name": "Kim Dojang"}
"""The requester of every document here."""
LEE = {"id": "emp-lee", "name": "Lee Seoyeon"}
PARK = {"id": "emp-park", "name": "Park Jiho"}
CHOI = {"id": "emp-choi", "name": "Choi Yuna"}
HAN = {"id": "emp-han", "name": "Han Minseo"}

_COMPLETED_AT = "2026-03-02T10:00:00+00:00"
_UNREMARKABLE: dict[str, dict[str, Any]] = {
    "approval.submitted": {"cc": []},
    "approval.resubmitted": {"cc": []},
    "approval.your_turn": {"stage_index": 0, "kind": "approval"},
    "approval.reminder": {"stage_index": 0, "kind": "approval"},
    "approval.approved": {"number": None, "cc": [], "completed_at": _COMPLETED_AT},
    "approval.rejected": {
        "decided_by": LEE["id"],
        "on_behalf_of": None,
        "reason": None,
        "cc": [],
        "completed_at": _COMPLETED_AT,
    },
    "approval.withdrawn": {"released": []},
    "approval.commented": {"comment_id": "c-1"},
    "approval.decided_for_you": {"stage_index": 0, "approver_id": LEE["id"], "decided_by": PARK},
}
"""Per type, the fields a test need not name, as a document without surprises has them."""


def approval_event(
    event_type: str,
    *,
    approval_id: str = "apr-1",
    title: str = "Q3 travel expenses",
    requester: dict[str, str] = KIM,
    **extra: Any,
) -> Event:
    """An `approval-events` envelope: the common fields plus the type's `extra` data
    (what `extra` leaves out, an unremarkable value of the type)."""
    data: dict[str, Any] = {
        "approval_id": approval_id,
        "version": 1,
        "title": title,
        "form": "expense",
        "requester": requester,
        "fields": {"amount": 420000, "currency": "KRW", "category": "travel"},
        **_UNREMARKABLE.get(event_type, {}),
        **extra,
    }
    return Event(
        type=event_type,
        aggregate_id=approval_id,
        data=data,
        occurred_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    )


def your_turn(*recipients: str, **common: Any) -> Event:
    """`approval.your_turn` for the holders of stage 0's tasks."""
    return approval_event(
        "approval.your_turn",
        stage_index=0,
        kind="approval",
        recipients=list(recipients),
        **common,
    )


def as_message(event: Event) -> Message:
    """The bus message of an event, keyed by its approval id."""
    return Message(key=event.aggregate_id, value=event.to_json())
