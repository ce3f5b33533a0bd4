"""How an approval document is laid out in the `documents` collection.

The document itself is kept whole as JSON text in `body` (its `fields` hold keys the
clients chose, which need not be valid MongoDB field names); the fields lists filter on are
copied beside it. Inside the same record live what must change in the same update: the
events not yet published (`outbox`), the ids of events consumers applied to it (`applied`)
and first answers to decisions (`answers`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bson import ObjectId

from dojang.approval.domain.document import ApprovalDocument, Role
from dojang.approval.service.boxes import box_entries_of
from dojang.approval.service.search import SearchableText, trigrams
from dojang.approval.service.unit_of_work import Outgoing
from dojang.kernel import json_codec


def participant_key(employee_id: str, role: Role) -> str:
    """The `participants` entry of an employee involved as `role`."""
    return f"{role.value}:{employee_id}"


def box_key(viewer_id: str, box: str) -> str:
    """The `boxes` entry of a document listed in `box` of `viewer_id`."""
    return f"{box}:{viewer_id}"


# the leading part of the content that is searchable on MongoDB (docs/search.md)
SEARCHED_CONTENT = 2_000


def search_grams(document: ApprovalDocument) -> list[str]:
    """The `grams` of a document: the trigrams of its title, number, fields and the start
    of its content, which a text search must all find."""
    text = SearchableText.of(document)
    searched = " ".join((text.title, text.number, text.fields, text.content[:SEARCHED_CONTENT]))
    return sorted(trigrams(searched))


def number_key(document: ApprovalDocument) -> str:
    """The value of the unique `number_key`: the number, or `~<id>` while there is none."""
    return document.number if document.number is not None else f"~{document.id}"


def applied_key(group: str, event_id: str) -> str:
    """The `applied` entry of an event that consumer `group` applied to the document."""
    return f"{group}|{event_id}"


def answer_key(caller_id: str, key: str) -> str:
    """The `answer_keys` entry of a caller's `Idempotency-Key`."""
    return f"{caller_id}|{key}"


def fields_of(document: ApprovalDocument) -> dict[str, Any]:
    """What a save sets: the copied list fields, the body and the revision."""
    return {
        "revision": document.revision,
        "form": document.form.value,
        "status": document.status.value,
        "requester_id": document.requester.id,
        "title": document.title,
        "number": document.number,
        "number_key": number_key(document),
        "participants": sorted(participant_key(e, r) for e, r in document.participants()),
        "grams": search_grams(document),
        "boxes": sorted(box_key(viewer, box) for viewer, box in box_entries_of(document)),
        "body": json_codec.dump_text(document.to_dict()),
    }


def document_of(record: dict[str, Any]) -> ApprovalDocument:
    """The approval document a record holds, at its stored revision."""
    return ApprovalDocument.from_dict(json_codec.load(record["body"]), revision=record["revision"])


def outbox_entries(events: Sequence[Outgoing]) -> list[dict[str, Any]]:
    """Pending events as the relay reads them; `queued` orders them across documents."""
    return [
        {
            "id": event.id,
            "topic": topic,
            "key": event.aggregate_id,
            "payload": event.to_json().decode(),
            "queued": ObjectId(),
        }
        for topic, event in events
    ]


def derived_fields(record: dict[str, Any]) -> dict[str, Any]:
    """The fields a stored record's lists and search read, computed from its body."""
    document = document_of(record)
    return {"boxes": fields_of(document)["boxes"], "grams": search_grams(document)}
