"""Gapless document numbers on MongoDB without transactions: a counter with its claims.

One counter record per form and year holds the last number handed out and the claims on
numbers not yet seen on a document: `{seq, document_id, at}`. Every change of it is a
compare-and-set on its `rev` (by `WriteGuard`), so it changes as one. A number is handed
out only as a claim (in the same update that raises `last`), and a claim goes only once a
document carries its number, which the unique `number_key` index lets one document do. So
every number up to `last` is on a document or claimed. A claim is reused before any new
number is handed out: its own document's retry takes it back at once; any other approval
takes it once its holder gave it back (a unit of work that did not commit) or
`grace_seconds` after it was taken (a holder that vanished). Two documents saving one
number cannot both succeed: the second save fails on the index, is stale, and its retry
takes another number.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from typing import Any

import structlog

from dojang.approval.adapters.mongo.guard import WriteGuard
from dojang.approval.adapters.mongo.store import MongoStore, is_duplicate_key
from dojang.approval.domain.forms import FormCode
from dojang.approval.domain.numbering import document_number
from dojang.kernel.errors import TransientError

log = structlog.get_logger(__name__)

_ATTEMPTS = 200


class NumberingContended(TransientError):
    """The counter kept changing under this approval; it may be retried."""


def counter_id(form: FormCode, year: int) -> str:
    """The `_id` of the counter of `form` in `year`."""
    return f"{form.value}:{year}"


class MongoNumberSequence:
    """Numbers taken through claims on the counter records of `number_counters`."""

    def __init__(
        self,
        store: MongoStore,
        guard: WriteGuard,
        *,
        grace_seconds: float,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._guard = guard
        self._grace = grace_seconds
        self._now = wall_clock
        self.taken: list[tuple[FormCode, int, int, str]] = []

    async def next(self, form: FormCode, year: int, *, document_id: str) -> int:
        """The number `document_id` gets: its own claim, else the oldest claim given up,
        else a new one; claimed before it returns, so no number is ever lost."""
        for _ in range(_ATTEMPTS):
            counter = await self._counter(form, year)
            claims = await self._unused(form, year, counter["claims"])
            seq = self._choose(claims, document_id)
            now = self._now()
            last = counter["last"]
            if seq is None:
                last += 1
                seq = last
                claims.append({"seq": seq, "document_id": document_id, "at": now})
            else:
                for claim in claims:
                    if claim["seq"] == seq:
                        claim.update(document_id=document_id, at=now)
            if await self._swap(counter, last=last, claims=claims):
                self.taken.append((form, year, seq, document_id))
                return seq
            await asyncio.sleep(random.uniform(0, 0.002))  # noqa: S311 (spreads retries)
        raise NumberingContended(f"the {form.value} counter of {year} kept changing")

    async def give_back(self) -> None:
        """Give the claims taken by this unit of work back, so another approval may take
        them at once (their own document's retry still takes them first)."""
        for form, year, seq, document_id in self.taken:
            for _ in range(_ATTEMPTS):
                counter = await self._counter(form, year)
                claims = counter["claims"]
                mine = [c for c in claims if c["seq"] == seq and c["document_id"] == document_id]
                if not mine:
                    break  # used, or taken over meanwhile
                mine[0]["at"] = 0.0
                if await self._swap(counter, last=counter["last"], claims=claims):
                    break
        self.taken.clear()

    async def _counter(self, form: FormCode, year: int) -> dict[str, Any]:
        key = counter_id(form, year)
        while True:
            counter = await self._store.numbers.find_one({"_id": key})
            if counter is not None:
                return counter
            try:
                await self._store.numbers.insert_one(
                    {
                        "_id": key,
                        "form": form.value,
                        "year": year,
                        "last": 0,
                        "rev": 0,
                        "claims": [],
                    }
                )
            except Exception as exc:
                if not is_duplicate_key(exc):
                    raise

    async def _unused(
        self, form: FormCode, year: int, claims: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """The claims whose numbers no document carries yet (the others are done)."""
        if not claims:
            return []
        numbers = {document_number(form, year, c["seq"]): c for c in claims}
        cursor = self._store.documents.find(
            {"number_key": {"$in": list(numbers)}}, {"number_key": 1}
        )
        used = {record["number_key"] async for record in cursor}
        return [dict(claim) for number, claim in numbers.items() if number not in used]

    def _choose(self, claims: list[dict[str, Any]], document_id: str) -> int | None:
        for claim in claims:
            if claim["document_id"] == document_id:
                return int(claim["seq"])
        given_up = self._now() - self._grace
        free = [c for c in claims if c["at"] <= given_up]
        return None if not free else int(min(c["seq"] for c in free))

    async def _swap(
        self, counter: dict[str, Any], *, last: int, claims: list[dict[str, Any]]
    ) -> bool:
        return await self._guard.update(
            self._store.numbers,
            counter["_id"],
            "rev",
            counter["rev"],
            {
                "$set": {
                    "last": last,
                    "rev": counter["rev"] + 1,
                    "claims": sorted(claims, key=lambda c: c["seq"]),
                }
            },
        )
