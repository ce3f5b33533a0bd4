"""Compare-and-set updates that hold on servers whose conditional updates are not atomic.

On MongoDB, `update_one({_id, revision: r}, ...)` matches and writes as one step, so of two
writers of revision r + 1 one matches nothing. FerretDB 1.x (the test server) first reads
the matching records, then writes them back by `_id`: two writers may both match r, and
the second write silently undoes the first. What both servers do atomically is insert a
record with a unique `_id`. So a writer of revision r + 1 first inserts the token
`<collection>/<id>/<r + 1>` into `write_tokens`, updates while it holds it, then deletes
it: of two concurrent writers one cannot take the token and is stale, and the one after a
finished write finds the record moved on and matches nothing. A token left by a writer
that died between insert and delete is taken over once `stale_after_seconds` have passed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from dojang.approval.adapters.mongo.store import MongoStore, Record, is_duplicate_key


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
        token = f"{collection.name}/{record_id}/{expected + 1}"
        if not await self._take(token):
            return False
        try:
            result = await collection.update_one({"_id": record_id, field: expected}, update)
        finally:
            await self._tokens.delete_one({"_id": token})
        return result.matched_count == 1

    async def _take(self, token: str) -> bool:
        for _ in range(2):
            try:
                await self._tokens.insert_one({"_id": token, "at": self._now()})
            except Exception as exc:
                if not is_duplicate_key(exc):
                    raise
            else:
                return True
            held = await self._tokens.find_one({"_id": token})
            if held is not None and held["at"] > self._now() - self._stale_after:
                return False
            if held is not None:
                # its writer died holding it: whoever deletes and inserts first goes on
                await self._tokens.delete_one({"_id": token, "at": held["at"]})
        return False
