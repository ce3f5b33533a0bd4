"""SQL adapters of what deciding needs: the copy of delegations and remembered answers."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, delete, insert, select

from dojang.approval.adapters.tables import decision_answers, delegations
from dojang.approval.domain.delegations import KnownDelegation
from dojang.approval.domain.document import ApprovalDocument
from dojang.approval.service.unit_of_work import RememberedAnswer
from dojang.kernel.sql import SqlSession


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _active_where(delegator: ColumnElement[bool]) -> Select[Any]:
    return select(delegations).where(
        delegator,
        delegations.c.revoked_at.is_(None),
        delegations.c.starts_at <= bindparam("at", type_=delegations.c.starts_at.type),
        delegations.c.ends_at > bindparam("at", type_=delegations.c.ends_at.type),
    )


# built once: a stage opens on every submission, and building the statement (and its cache
# key) each time cost more than running it. A stage of one approver (the usual case) asks
# with `=`: an expanding `IN` is rewritten for every call, which cost more than the query.
_ACTIVE_OF = _active_where(
    delegations.c.delegator_id.in_(bindparam("delegator_ids", expanding=True))
)
_ACTIVE_OF_ONE = _active_where(delegations.c.delegator_id == bindparam("delegator_id"))


class SqlDelegationCopies:
    """Delegations in `approval_delegations`."""

    def __init__(self, session: SqlSession) -> None:
        self._session = session

    async def active_of(
        self, delegator_ids: Collection[str], at: datetime
    ) -> dict[str, KnownDelegation]:
        """The delegations of these delegators active at `at`, by delegator."""
        if not delegator_ids:
            return {}
        if len(delegator_ids) == 1:
            (delegator_id,) = delegator_ids
            rows = await self._session.execute(
                _ACTIVE_OF_ONE, {"delegator_id": delegator_id, "at": at}
            )
        else:
            rows = await self._session.execute(
                _ACTIVE_OF, {"delegator_ids": list(delegator_ids), "at": at}
            )
        found: dict[str, KnownDelegation] = {}
        for row in rows:
            found[row.delegator_id] = KnownDelegation(
                id=row.id,
                delegator_id=row.delegator_id,
                delegate_id=row.delegate_id,
                starts_at=_aware(row.starts_at),
                ends_at=_aware(row.ends_at),
                revoked_at=None,
            )
        return found

    async def put(self, delegation: KnownDelegation) -> None:
        """Store a granted or revoked delegation, replacing what was known of it."""
        await self._session.execute(delete(delegations).where(delegations.c.id == delegation.id))
        await self._session.execute(
            insert(delegations).values(
                id=delegation.id,
                delegator_id=delegation.delegator_id,
                delegate_id=delegation.delegate_id,
                starts_at=delegation.starts_at.astimezone(UTC),
                ends_at=delegation.ends_at.astimezone(UTC),
                revoked_at=(
                    None if delegation.revoked_at is None else delegation.revoked_at.astimezone(UTC)
                ),
            )
        )


class SqlDecisionAnswers:
    """Remembered first answers in `approval_decision_answers`."""

    def __init__(self, session: SqlSession) -> None:
        self._session = session

    async def get(self, caller_id: str, key: str) -> RememberedAnswer | None:
        """The answer remembered for this caller's key, if any."""
        row = (
            await self._session.execute(
                select(decision_answers).where(
                    decision_answers.c.caller_id == caller_id,
                    decision_answers.c.idempotency_key == key,
                )
            )
        ).first()
        if row is None:
            return None
        return RememberedAnswer(request=row.request, document=row.document, revision=row.revision)

    async def remember(
        self, caller_id: str, key: str, request: str, document: ApprovalDocument, at: datetime
    ) -> None:
        """Remember the document as the answer to this caller's key, in this transaction."""
        await self._session.execute(
            insert(decision_answers).values(
                caller_id=caller_id,
                idempotency_key=key,
                request=request,
                revision=document.revision,
                document=document.to_dict(),
                created_at=at.astimezone(UTC),
            )
        )
