"""The approval unit of work on MongoDB: every change of a document is one update.

Use cases and consumers run unchanged on it. What they do is kept until `commit`, which
writes each document saved (with its events, answers and the event ids consumers applied to
it) in one update checked against its revision (by `WriteGuard`), then the delegations and
the event ids that belong to no saved document. Those later writes repeat harmlessly, so a
crash between writes is mended by the redelivery that follows. No multi-document
transaction is used (docs/approval-mongo.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

import structlog
from pymongo.errors import ConnectionFailure

from dojang.approval.adapters.mongo.copies import MongoDecisionAnswers, MongoDelegationCopies
from dojang.approval.adapters.mongo.documents import MongoDocumentRepository, PendingWrite
from dojang.approval.adapters.mongo.guard import WriteGuard
from dojang.approval.adapters.mongo.numbers import MongoNumberSequence
from dojang.approval.adapters.mongo.retention import Retention
from dojang.approval.adapters.mongo.shape import applied_key, fields_of, outbox_entries
from dojang.approval.adapters.mongo.store import MongoStore, is_duplicate_key
from dojang.approval.service.unit_of_work import StaleDocument
from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.unit_of_work import OutboxSignal
from dojang.kernel.errors import TransientError

log = structlog.get_logger(__name__)


class StoreUnavailable(TransientError):
    """The MongoDB server could not be reached; the work may be retried."""


class MongoApprovalUnitOfWork:
    """Use as `async with uow:`; change documents, then `commit` them one update each."""

    def __init__(
        self,
        store: MongoStore,
        signal: OutboxSignal,
        *,
        claim_grace_seconds: float = 30.0,
        retention: Retention | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._signal = signal
        self._grace = claim_grace_seconds
        self._retention = retention or Retention()
        self._now = wall_clock
        self._guard = WriteGuard(store)
        self._writes: dict[str, PendingWrite] = {}
        self._prune_due: dict[str, float | None] = {}
        self._marks: dict[str, dict[str, Any]] = {}
        self._parts: _Parts | None = None

    async def __aenter__(self) -> Self:
        self._writes = {}
        self._marks = {}
        self._prune_due = {}
        self._parts = _Parts(self._store, self._guard, self._writes, self._prune_due, self._grace)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        parts = self._use()
        self._parts = None
        if isinstance(exc, ConnectionFailure):
            # the consumer runner retries a transient failure; it dead-letters anything else
            raise StoreUnavailable(f"the approval MongoDB store did not answer: {exc}") from exc
        if parts.numbers.taken:
            try:
                await parts.numbers.give_back()
            except Exception:
                # the claim is taken over once its grace has run out instead
                log.warning("number_claims_not_given_back", exc_info=True)

    def _use(self) -> _Parts:
        if self._parts is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._parts

    @property
    def documents(self) -> MongoDocumentRepository:
        """Approval documents, in this unit of work."""
        return self._use().documents

    @property
    def numbers(self) -> MongoNumberSequence:
        """Document number counters."""
        return self._use().numbers

    @property
    def delegations(self) -> MongoDelegationCopies:
        """The copy of approval-processing's delegations, in this unit of work."""
        return self._use().delegations

    @property
    def answers(self) -> MongoDecisionAnswers:
        """Remembered first answers to decisions, in this unit of work."""
        return self._use().answers

    async def commit(self) -> None:
        """Write each saved document in one update, then delegations and other event ids;
        `StaleDocument` if a document was saved by someone else since it was loaded."""
        parts = self._use()
        had_events = False
        try:
            for write in self._writes.values():
                had_events |= bool(write.events)
                await self._write(write)
        finally:
            if had_events:
                self._signal.notify()
        await parts.delegations.write()
        for mark in self._marks.values():
            try:
                await self._store.processed.insert_one(mark)
            except Exception as exc:
                if not is_duplicate_key(exc):
                    raise
        # the numbers are on their documents now: nothing to give back
        parts.numbers.taken.clear()
        self._writes.clear()
        self._marks.clear()

    async def rollback(self) -> None:
        """Drop everything kept."""
        self._writes.clear()
        self._marks.clear()
        self._use().delegations.pending.clear()

    async def _write(self, write: PendingWrite) -> None:
        document = write.document
        now = self._now()
        entries = outbox_entries(write.events)
        fields = fields_of(document)
        applied_at = [now] * len(write.applied)
        answers = [{**answer, "kept_at": now} for answer in write.answers]
        due = self._retention.due(applied_at, answers)
        try:
            if write.loaded_revision is None:
                await self._store.documents.insert_one(
                    {
                        "_id": document.id,
                        **fields,
                        "outbox": entries,
                        "relay_due": bool(entries),
                        "applied": write.applied,
                        "applied_at": applied_at,
                        "answers": answers,
                        "answer_keys": [answer["key"] for answer in answers],
                        **({} if due is None else {"prune_due_at": due}),
                    }
                )
                return
            update: dict[str, Any] = {"$set": fields | ({"relay_due": True} if entries else {})}
            if entries:
                update["$push"] = {"outbox": {"$each": entries}}
            loaded_due = self._prune_due.get(document.id)
            if loaded_due is not None and loaded_due <= now:
                await self._forgetting(write, update, applied_at, answers)
            elif write.applied or answers:
                update.setdefault("$push", {}).update(_pushed(write.applied, applied_at, answers))
                if due is not None:
                    update["$min"] = {"prune_due_at": due}
            saved = await self._guard.update(
                self._store.documents, document.id, "revision", write.loaded_revision, update
            )
        except Exception as exc:
            if is_duplicate_key(exc):
                # another document carries this number: the retry takes another one
                raise StaleDocument(
                    f"approval document {document.id}: its number {document.number} is taken"
                ) from exc
            raise
        if not saved:
            raise StaleDocument(
                f"approval document {document.id} changed since revision {write.loaded_revision}"
            )

    async def _forgetting(
        self,
        write: PendingWrite,
        update: dict[str, Any],
        applied_at: list[float],
        answers: list[dict[str, Any]],
    ) -> None:
        """Make `update` set the document's applied ids and answers without those whose
        time ran out, plus the new ones: read at the revision the update is guarded on."""
        record = await self._store.documents.find_one(
            {"_id": write.document.id, "revision": write.loaded_revision},
            {"applied": 1, "applied_at": 1, "answers": 1},
        )
        if record is None:
            raise StaleDocument(
                f"approval document {write.document.id} changed since revision "
                f"{write.loaded_revision}"
            )
        kept_ids, kept_times, kept_answers = self._retention.kept(record, self._now())
        kept_ids += write.applied
        kept_times += applied_at
        kept_answers += answers
        due = self._retention.due(kept_times, kept_answers)
        update["$set"].update(
            applied=kept_ids,
            applied_at=kept_times,
            answers=kept_answers,
            answer_keys=[answer["key"] for answer in kept_answers],
        )
        if due is None:
            # not null: `$min` of a later save would keep a null (it sorts before numbers)
            update["$unset"] = {"prune_due_at": ""}
        else:
            update["$set"]["prune_due_at"] = due

    async def already_processed(self, group: str, event_id: str) -> bool:
        """Whether `group` has already applied the event with this id."""
        return bool(await self.processed_among(group, [event_id]))

    async def processed_among(self, group: str, event_ids: Sequence[str]) -> set[str]:
        """Which of these events `group` has already applied: recorded in a document or in
        `processed_events`."""
        if not event_ids:
            return set()
        keys = {applied_key(group, event_id): event_id for event_id in event_ids}
        found = set(keys) & (
            set(self._marks) | {k for w in self._writes.values() for k in w.applied}
        )
        async for record in self._store.processed.find({"_id": {"$in": list(keys)}}, {"_id": 1}):
            found.add(record["_id"])
        async for record in self._store.documents.find(
            {"applied": {"$in": list(keys)}}, {"applied": 1}
        ):
            found.update(set(record["applied"]) & set(keys))
        return {keys[key] for key in found}

    async def mark_processed(self, group: str, event: Event, note: str | None = None) -> None:
        """Record that `group` applied the event, with this unit of work's writes."""
        await self.mark_all_processed(group, [event], note=note)

    async def mark_all_processed(
        self, group: str, events: Sequence[Event], note: str | None = None
    ) -> None:
        """Record that `group` applied these events: in the update of the document an event
        is about when this unit of work saves it, else in `processed_events`."""
        now = datetime.now(UTC)
        for event in events:
            key = applied_key(group, event.id)
            write = self._writes.get(event.aggregate_id)
            if write is not None:
                write.applied.append(key)
            else:
                self._marks[key] = {
                    "_id": key,
                    "group": group,
                    "event_id": event.id,
                    "event_type": event.type,
                    "processed_at": now,
                    "note": note,
                }


def _pushed(
    applied: list[str], applied_at: list[float], answers: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        name: {"$each": values}
        for name, values in (
            ("applied", applied),
            ("applied_at", applied_at),
            ("answers", answers),
            ("answer_keys", [answer["key"] for answer in answers]),
        )
        if values
    }


class _Parts:
    """The repositories of one `async with`."""

    def __init__(
        self,
        store: MongoStore,
        guard: WriteGuard,
        writes: dict[str, PendingWrite],
        prune_due: dict[str, float | None],
        grace: float,
    ) -> None:
        self.documents = MongoDocumentRepository(store, writes, prune_due)
        self.numbers = MongoNumberSequence(store, guard, grace_seconds=grace)
        self.delegations = MongoDelegationCopies(store)
        self.answers = MongoDecisionAnswers(store, writes)
