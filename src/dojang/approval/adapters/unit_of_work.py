"""The kernel's SQL unit of work, with the approval store's repositories on its session."""

from __future__ import annotations

from typing import Self

from dojang.approval.adapters.decisions import SqlDecisionAnswers, SqlDelegationCopies
from dojang.approval.adapters.documents import SqlDocumentRepository, SqlNumberSequence
from dojang.kernel.bus.unit_of_work import SqlUnitOfWork


class SqlApprovalUnitOfWork(SqlUnitOfWork):
    """A transaction on the approval database; saved documents' events go to its outbox."""

    _documents: SqlDocumentRepository | None = None
    _numbers: SqlNumberSequence | None = None
    _delegations: SqlDelegationCopies | None = None
    _answers: SqlDecisionAnswers | None = None

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        # One repository per transaction: it remembers what it loaded, to save only changes.
        self._documents = SqlDocumentRepository(
            self.session, self.emit, full_text=self._db.is_sqlite
        )
        self._numbers = SqlNumberSequence(self.session, self._db.dialect)
        self._delegations = SqlDelegationCopies(self.session)
        self._answers = SqlDecisionAnswers(self.session)
        return self

    @property
    def documents(self) -> SqlDocumentRepository:
        """Approval documents, in this transaction."""
        if self._documents is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._documents

    @property
    def numbers(self) -> SqlNumberSequence:
        """Document number counters, in this transaction."""
        if self._numbers is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._numbers

    @property
    def delegations(self) -> SqlDelegationCopies:
        """The copy of approval-processing's delegations, in this transaction."""
        if self._delegations is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._delegations

    @property
    def answers(self) -> SqlDecisionAnswers:
        """Remembered first answers to decisions, in this transaction."""
        if self._answers is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._answers
