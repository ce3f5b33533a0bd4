"""Compare-and-set updates that hold on servers whose conditional updates are not atomic.

On MongoDB, `update_one({_id, revision: r}, ...)` matches and writes as one step, so of two
writers of revision r + 1 one matches nothing. FerretDB 1.x first reads the matching
records, then writes them back by `_id`: two writers may both match r, and the second write
silently undoes the first. What both servers do atomically is insert a record with a unique
`_id`. So, with the store's guard set to `token`, a writer of revision r + 1 first inserts
the token `<collection>/<id>/<r + 1>` into `write_tokens`, then updates: of two concurrent
writers one cannot take the token and is stale. The token is left in place after a write
that ran (the record's field moved past r, or never was r, so no later writer of r can
match anyway) and swept later; it is deleted at once only when the update failed, so that
the retry may take it again. A token left by a writer that died before its update is taken
over when its holder is provably gone (`holders.py`), else once `stale_after_seconds` have
passed. With the guard set to `none` (MongoDB) the update is the compare-and-set.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection

from dojang.approval.adapters.mongo.holders import in_flight, is_gone, this_run
from dojang.approval.adapters.mongo.store import MongoStore, Record, is_duplicate_key

# (record id, the value of the field it must still have, the update that raises it by one)
GuardedWrite = tuple[str, int, dict[str, Any]]


class WriteGuard:
    """Guarded conditional updates on the collections of one store."""

    def __init__(
        self,
        store: MongoStore,
        *,
        stale_after_seconds: float = 30.0,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._tokens = store.write_tokens
        self._with_tokens = store.write_guard == "token"
        self._stale_after = stale_after_seconds
        self._now = wall_clock

    async def update(
        self,
        collection: AsyncCollection[Record],
        record_id: str,
        field: str,
        expected: int,
        update: dict[str, Any],
    ) -> bool:
        """Apply `update` to the record if its `field` is still `expected` (the update is
        to set it to `expected + 1`); False if another writer got there first."""
        if not self._with_tokens:
            result = await collection.update_one({"_id": record_id, field: expected}, update)
            return result.matched_count == 1
        token = _token(collection, record_id, expected)
        if not await self._take(token):
            return False
        try:
            result = await collection.update_one({"_id": record_id, field: expected}, update)
        except BaseException:
            await self._give_up(token)
            raise
        finally:
            in_flight.discard(token)
        return result.matched_count == 1

    async def update_each(
        self, collection: AsyncCollection[Record], field: str, writes: Sequence[GuardedWrite]
    ) -> bool:
        """Apply each write as `update` would; True if every one of them was applied. On
        False the caller reads the records again to learn which were.

        Without tokens (MongoDB) the writes go in one bulk round trip. With tokens each goes
        its own way: the test server's FerretDB 1.24 stopped answering every client during a
        benchmark in which this relay took a batch's tokens with one unordered `insert`
        (some of them duplicates) and wrote the batch with one bulk `update`; which of the
        two did it is not known, so the token guard sends single-record commands only."""
        if not writes:
            return True
        if not self._with_tokens:
            return await _bulk(collection, field, writes) == len(writes)
        applied = True
        for record_id, expected, update in writes:
            applied &= await self.update(collection, record_id, field, expected, update)
        return applied

    async def forget_old_tokens(self) -> int:
        """Delete the tokens older than `stale_after_seconds` (no writer of theirs is under
        way any more); how many."""
        if not self._with_tokens:
            return 0
        result = await self._tokens.delete_many({"at": {"$lt": self._now() - self._stale_after}})
        return result.deleted_count

    def _record(self, token: str) -> dict[str, Any]:
        in_flight.add(token)
        return {"_id": token, "at": self._now(), **this_run().record()}

    async def _take(self, token: str) -> bool:
        if token in in_flight:
            # another writer of this process holds it now: it must neither be taken over
            # nor lose its mark (a failed insert below would discard it)
            return False
        for _ in range(2):
            try:
                await self._tokens.insert_one(self._record(token))
            except Exception as exc:
                in_flight.discard(token)
                if not is_duplicate_key(exc):
                    raise
            else:
                return True
            if not await self._take_over(token):
                return False
        return False

    async def _take_over(self, token: str) -> bool:
        """Delete the token if its holder is gone, so that the next insert may take it;
        whether it was worth trying again."""
        held = await self._tokens.find_one({"_id": token})
        if held is None:
            return True
        if held["at"] > self._now() - self._stale_after and not is_gone(held):
            return False
        # its writer is gone: whoever deletes and inserts first goes on
        await self._tokens.delete_one({"_id": token, "at": held["at"]})
        return True

    async def _give_up(self, token: str) -> None:
        """Delete the token of an update that failed (the record may still be at the
        expected value, and its retry needs the token)."""
        # if even this fails, the token is this run's own and not in flight: the retry
        # takes it over (holders.py)
        with contextlib.suppress(Exception):
            await self._tokens.delete_one({"_id": token, "run": this_run().run})


def _token(collection: AsyncCollection[Record], record_id: str, expected: int) -> str:
    return f"{collection.name}/{record_id}/{expected + 1}"


async def _bulk(
    collection: AsyncCollection[Record], field: str, writes: Sequence[GuardedWrite]
) -> int:
    operations = [
        UpdateOne({"_id": record_id, field: expected}, update)
        for record_id, expected, update in writes
    ]
    result = await collection.bulk_write(operations, ordered=False)
    return result.matched_count
