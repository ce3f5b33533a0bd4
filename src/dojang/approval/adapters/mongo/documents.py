"""The document repository on MongoDB: loads from the server, saves into the unit of work.

Nothing is written until the unit of work commits: a save is kept (with its events, the
answers and the applied event ids that join it) and written at commit as one update of the
document, checked against the revision it was loaded at. A document saved earlier in the
same unit of work is read back from what is kept, as a SQL transaction sees its own writes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dojang.approval.adapters.mongo.shape import box_key, document_of
from dojang.approval.adapters.mongo.store import MongoStore
from dojang.approval.domain.document import ApprovalDocument, DocumentStatus
from dojang.approval.service.boxes import box_name
from dojang.approval.service.search import TRIGRAM, query_terms, trigrams
from dojang.approval.service.unit_of_work import Box, DocumentQuery, Outgoing, StaleDocument
from dojang.kernel.bus.unit_of_work import caused


@dataclass
class PendingWrite:
    """What a commit writes to one document."""

    document: ApprovalDocument
    loaded_revision: int | None  # None: a new document, inserted
    events: list[Outgoing] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)


class MongoDocumentRepository:
    """Approval documents in the `documents` collection."""

    def __init__(
        self,
        store: MongoStore,
        writes: dict[str, PendingWrite],
        prune_due: dict[str, float | None],
    ) -> None:
        self._store = store
        self._writes = writes
        self._prune_due = prune_due

    async def get(self, document_id: str) -> ApprovalDocument | None:
        """The document with this id, if any: as saved in this unit of work, else as stored."""
        kept = self._writes.get(document_id)
        if kept is not None:
            current = kept.document
            return ApprovalDocument.from_dict(current.to_dict(), revision=current.revision)
        record = await self._store.documents.find_one(
            {"_id": document_id}, {"revision": 1, "body": 1, "prune_due_at": 1}
        )
        if record is None:
            return None
        # when its save may forget old applied ids and answers (retention.py)
        self._prune_due[document_id] = record.get("prune_due_at")
        return document_of(record)

    async def add(self, document: ApprovalDocument, events: Sequence[Outgoing]) -> None:
        """Keep a new document and the events its creation causes, to insert at commit."""
        document.revision = 1
        self._writes[document.id] = PendingWrite(document, None, _caused(events))

    async def save(self, document: ApprovalDocument, events: Sequence[Outgoing]) -> None:
        """Keep a changed document and its events; `StaleDocument` at once if this unit of
        work saved a later revision of it, else at commit if someone else saved it."""
        kept = self._writes.get(document.id)
        if kept is None:
            kept = PendingWrite(document, document.revision)
            self._writes[document.id] = kept
        elif kept.document.revision != document.revision:
            raise StaleDocument(
                f"approval document {document.id} changed since revision {document.revision}"
            )
        document.revision += 1
        kept.document = document
        kept.events.extend(_caused(events))

    async def search(
        self, query: DocumentQuery, *, before: str | None, limit: int
    ) -> list[ApprovalDocument]:
        """Up to `limit` documents matching `query`, newest first, older than `before`."""
        cursor = (
            self._store.documents.find(search_filter(query, before), {"revision": 1, "body": 1})
            .sort("_id", -1)
            .limit(limit)
        )
        return [document_of(record) async for record in cursor]

    async def ids_in_progress(self, *, after: str | None, limit: int) -> list[str]:
        """Up to `limit` ids of documents in progress, in id order, above `after`."""
        cursor = (
            self._store.documents.find(in_progress_filter(after), {"_id": 1})
            .sort("_id", 1)
            .limit(limit)
        )
        return [record["_id"] async for record in cursor]


def _caused(events: Sequence[Outgoing]) -> list[Outgoing]:
    return [(topic, caused(event)) for topic, event in events]


def in_progress_filter(after: str | None) -> dict[str, Any]:
    """The filter of `ids_in_progress`."""
    found: dict[str, Any] = {"status": DocumentStatus.IN_PROGRESS.value}
    if after is not None:
        found["_id"] = {"$gt": after}
    return found


def search_filter(query: DocumentQuery, before: str | None) -> dict[str, Any]:
    """The filter of `search`: the box's condition and the optional filters, all together."""
    conditions = [box_filter(query.viewer_id, query.box)]
    if query.form is not None:
        conditions.append({"form": query.form.value})
    if query.status is not None:
        conditions.append({"status": query.status.value})
    for term in query_terms(query.text or ""):
        if len(term) >= TRIGRAM:
            conditions.append({"grams": {"$all": sorted(trigrams(term))}})
        else:
            pattern = {"$regex": re.escape(term), "$options": "i"}
            conditions.append({"$or": [{"title": pattern}, {"number": pattern}]})
    if before is not None:
        conditions.append({"_id": {"$lt": before}})
    return conditions[0] if len(conditions) == 1 else {"$and": conditions}


def box_filter(viewer_id: str, box: Box | None) -> dict[str, Any]:
    """Which documents a box holds for `viewer_id`: its entry in `boxes` (service/boxes.py)."""
    return {"boxes": box_key(viewer_id, box_name(box))}
