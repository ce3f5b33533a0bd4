"""The MongoDB store of approval policies: one record per form (`_id` = form code).

The first save inserts revision 1 (a concurrent first save fails on `_id`); a later save
is a compare-and-set on `revision` through the store's write guard (`guard.py`), which holds
on FerretDB too. The losing edit changes nothing and gets `PolicyRevisionConflict`.
"""

from __future__ import annotations

from datetime import datetime

from dojang.approval.adapters.mongo.guard import WriteGuard
from dojang.approval.adapters.mongo.store import POLICIES, MongoStore, is_duplicate_key
from dojang.approval.domain.policies import Policy
from dojang.approval.service.policies import revision_conflict


class MongoPolicyStore:
    """Approval policies in the approval service's MongoDB database."""

    def __init__(self, store: MongoStore, guard: WriteGuard | None = None) -> None:
        self._policies = store.collection(POLICIES)
        self._guard = guard or WriteGuard(store)

    async def get(self, form: str) -> Policy | None:
        """The stored policy of the form, if any."""
        record = await self._policies.find_one({"_id": form})
        if record is None:
            return None
        return Policy.from_data(form, record["body"], revision=record["revision"])

    async def save(self, policy: Policy, *, by: str, at: datetime) -> Policy:
        """Store the policy as its next revision, if the stored one is still its own."""
        saved = policy.saved()
        values = {
            "revision": saved.revision,
            "body": saved.to_data(),
            "updated_at": at,
            "updated_by": by,
        }
        if policy.revision == 0:
            try:
                await self._policies.insert_one({"_id": policy.form, **values})
            except Exception as exc:
                if is_duplicate_key(exc):
                    raise revision_conflict(policy.form, policy.revision) from exc
                raise
            return saved
        applied = await self._guard.update(
            self._policies, policy.form, "revision", policy.revision, {"$set": values}
        )
        if not applied:
            raise revision_conflict(policy.form, policy.revision)
        return saved
