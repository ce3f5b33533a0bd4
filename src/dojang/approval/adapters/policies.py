"""The SQL store of approval policies: one row per form, saved with a revision check.

The first save inserts revision 1 (a concurrent first save fails on the primary key); a
later save updates only the row still at the revision the edit read. Either way the losing
edit changes nothing and gets `PolicyRevisionConflict`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, insert, select, update
from sqlalchemy.exc import IntegrityError

from dojang.approval.adapters.tables import policies
from dojang.approval.domain.policies import Policy
from dojang.approval.service.policies import revision_conflict
from dojang.kernel.db import Database


class SqlPolicyStore:
    """Approval policies in the approval service's SQL database."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def get(self, form: str) -> Policy | None:
        """The stored policy of the form, if any."""
        async with self._db.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(policies.c.revision, policies.c.body).where(policies.c.form == form)
                )
            ).first()
        if row is None:
            return None
        return Policy.from_data(form, row.body, revision=row.revision)

    async def save(self, policy: Policy, *, by: str, at: datetime) -> Policy:
        """Store the policy as its next revision, if the stored one is still its own."""
        saved = policy.saved()
        values = {
            "revision": saved.revision,
            "body": saved.to_data(),
            "updated_at": at,
            "updated_by": by,
        }
        try:
            async with self._db.engine.begin() as conn:
                if policy.revision == 0:
                    await conn.execute(insert(policies).values(form=policy.form, **values))
                    return saved
                result = await conn.execute(
                    update(policies)
                    .where(policies.c.form == policy.form)
                    .where(policies.c.revision == policy.revision)
                    .values(**values)
                )
                if cast(CursorResult[Any], result).rowcount != 1:
                    raise revision_conflict(policy.form, policy.revision)
        except IntegrityError as exc:
            raise revision_conflict(policy.form, policy.revision) from exc
        return saved
