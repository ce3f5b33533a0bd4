"""The copy of delegations (대결) and remembered decision answers, on MongoDB.

A delegation is one record per id, replaced whole by each announcement: writing it twice
leaves what writing it once does, so it needs no transaction with the event id that the
consumer records after it. A remembered answer lives in the document it answers and is
written by the same update as the decision.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from dojang.approval.adapters.mongo.documents import PendingWrite
from dojang.approval.adapters.mongo.shape import answer_key
from dojang.approval.adapters.mongo.store import MongoStore
from dojang.approval.domain.delegations import KnownDelegation
from dojang.approval.domain.document import ApprovalDocument
from dojang.approval.service.unit_of_work import RememberedAnswer
from dojang.kernel import json_codec

# Fixed width and UTC, so that the text sorts as the instant does.
_INSTANT = "%Y-%m-%dT%H:%M:%S.%fZ"


def instant_text(value: datetime) -> str:
    """`value` as sortable UTC text."""
    return value.astimezone(UTC).strftime(_INSTANT)


def _instant(text: str) -> datetime:
    return datetime.strptime(text, _INSTANT).replace(tzinfo=UTC)


def _record(delegation: KnownDelegation) -> dict[str, Any]:
    revoked = delegation.revoked_at
    return {
        "_id": delegation.id,
        "delegator_id": delegation.delegator_id,
        "delegate_id": delegation.delegate_id,
        "starts_at": instant_text(delegation.starts_at),
        "ends_at": instant_text(delegation.ends_at),
        "revoked_at": None if revoked is None else instant_text(revoked),
    }


def _active(record: dict[str, Any], at: str) -> bool:
    return record["revoked_at"] is None and record["starts_at"] <= at < record["ends_at"]


def _delegation(record: dict[str, Any]) -> KnownDelegation:
    return KnownDelegation(
        id=record["_id"],
        delegator_id=record["delegator_id"],
        delegate_id=record["delegate_id"],
        starts_at=_instant(record["starts_at"]),
        ends_at=_instant(record["ends_at"]),
        revoked_at=None,
    )


class MongoDelegationCopies:
    """Delegations in the `delegations` collection; puts are written at commit."""

    def __init__(self, store: MongoStore) -> None:
        self._store = store
        self.pending: dict[str, dict[str, Any]] = {}

    async def active_of(
        self, delegator_ids: Collection[str], at: datetime
    ) -> dict[str, KnownDelegation]:
        """The delegations of these delegators active at `at`, by delegator."""
        if not delegator_ids:
            return {}
        moment = instant_text(at)
        cursor = self._store.delegations.find(
            {
                "delegator_id": {"$in": list(delegator_ids)},
                "revoked_at": None,
                "starts_at": {"$lte": moment},
                "ends_at": {"$gt": moment},
            }
        )
        records = {record["_id"]: record async for record in cursor}
        records.update(
            (key, record)
            for key, record in self.pending.items()
            if record["delegator_id"] in delegator_ids
        )
        return {
            record["delegator_id"]: _delegation(record)
            for record in records.values()
            if _active(record, moment)
        }

    async def put(self, delegation: KnownDelegation) -> None:
        """Keep a granted or revoked delegation, to replace what was known of it at commit."""
        self.pending[delegation.id] = _record(delegation)

    async def write(self) -> None:
        """Write the kept delegations, each replacing its record (repeatable)."""
        for record in self.pending.values():
            await self._store.delegations.replace_one({"_id": record["_id"]}, record, upsert=True)
        self.pending.clear()


class MongoDecisionAnswers:
    """First answers to decisions, kept inside the documents they answer."""

    def __init__(self, store: MongoStore, writes: dict[str, PendingWrite]) -> None:
        self._store = store
        self._writes = writes

    async def get(self, caller_id: str, key: str) -> RememberedAnswer | None:
        """The answer remembered for this caller's key, if any."""
        wanted = answer_key(caller_id, key)
        kept = [a for w in self._writes.values() for a in w.answers if a["key"] == wanted]
        if not kept:
            record = await self._store.documents.find_one({"answer_keys": wanted}, {"answers": 1})
            kept = [] if record is None else [a for a in record["answers"] if a["key"] == wanted]
        if not kept:
            return None
        answer = kept[0]
        return RememberedAnswer(
            request=answer["request"],
            document=json_codec.load(answer["document"]),
            revision=answer["revision"],
        )

    async def remember(
        self, caller_id: str, key: str, request: str, document: ApprovalDocument, at: datetime
    ) -> None:
        """Remember the document as the answer to this caller's key, in the update that
        saves the document (so it must have been saved in this unit of work)."""
        kept = self._writes.get(document.id)
        if kept is None:
            raise RuntimeError("an answer is remembered with the save of the document it answers")
        kept.answers.append(
            {
                "key": answer_key(caller_id, key),
                "request": request,
                "revision": document.revision,
                "document": json_codec.dump_text(document.to_dict()),
                "at": instant_text(at),
            }
        )
