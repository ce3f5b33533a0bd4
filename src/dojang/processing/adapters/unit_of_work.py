"""The kernel's SQL unit of work, with the processing repositories on its session."""

from __future__ import annotations

from dojang.kernel.bus.unit_of_work import SqlUnitOfWork
from dojang.processing.adapters.repositories import (
    SqlDelegationRepository,
    SqlDepartureRepository,
    SqlTaskRepository,
)
from dojang.processing.adapters.tables import delegators


class SqlProcessingUnitOfWork(SqlUnitOfWork):
    """A transaction on the processing database; events emitted in it go to its outbox."""

    @property
    def tasks(self) -> SqlTaskRepository:
        """Tasks, in this transaction."""
        return SqlTaskRepository(self.session)

    @property
    def delegations(self) -> SqlDelegationRepository:
        """Delegations, in this transaction."""
        return SqlDelegationRepository(self.session)

    @property
    def departures(self) -> SqlDepartureRepository:
        """Leavers and their managers, in this transaction."""
        return SqlDepartureRepository(self.session)

    async def lock_delegator(self, delegator_id: str) -> None:
        """Hold the delegator's lock row until this unit of work ends."""
        await self.lock_row(delegators, delegator_id=delegator_id)
