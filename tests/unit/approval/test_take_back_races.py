"""A take-back racing the next approver's decision, on the server stores: both load the
document before either saves, and the revision check lets only one of them through."""

from __future__ import annotations

import asyncio
from typing import Any
from zoneinfo import ZoneInfo

from dojang.approval.domain.document import ApprovalDocument, DocumentStatus
from dojang.approval.domain.line import Decision, StageStatus
from dojang.approval.service.decisions import DecisionRequest, DecisionUseCases
from dojang.approval.service.holders import SlotHolders
from dojang.approval.service.take_back import TakeBackUseCases
from dojang.approval.service.unit_of_work import ApprovalUnitOfWork
from tests.approval_stores import approval_store_on_servers_only

from .fakes import Harness, load, principal, stage, submit

pytestmark = approval_store_on_servers_only

SEOUL = ZoneInfo("Asia/Seoul")


class _LoadedTogether:
    """Units of work whose first two document loads return only once both have loaded."""

    def __init__(self, harness: Harness) -> None:
        self._harness = harness
        self._barrier = asyncio.Barrier(2)
        self._waiting = 2

    def __call__(self) -> ApprovalUnitOfWork:
        return _Uow(self._harness.service.unit_of_work(), self)

    async def loaded(self) -> None:
        if self._waiting > 0:
            self._waiting -= 1
            await asyncio.wait_for(self._barrier.wait(), timeout=10)


class _Documents:
    def __init__(self, inner: Any, together: _LoadedTogether) -> None:
        self._inner = inner
        self._together = together

    async def get(self, document_id: str) -> ApprovalDocument | None:
        found: ApprovalDocument | None = await self._inner.get(document_id)
        await self._together.loaded()
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _Uow:
    def __init__(self, inner: ApprovalUnitOfWork, together: _LoadedTogether) -> None:
        self._inner = inner
        self._together = together

    async def __aenter__(self) -> _Uow:
        await self._inner.__aenter__()
        self.documents = _Documents(self._inner.documents, self._together)
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self._inner.__aexit__(*exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


async def test_a_take_back_racing_the_next_approval_lets_only_one_through(
    harness: Harness,
) -> None:
    document_id = await submit(harness, stage("lead"), stage("head"))
    await harness.decide(document_id, "lead")
    together = _LoadedTogether(harness)
    factory: Any = together
    holders = SlotHolders(harness.org)
    take_backs = TakeBackUseCases(factory, holders=holders, org=harness.org, clock=harness.clock)
    decisions = DecisionUseCases(factory, holders=holders, clock=harness.clock, zone=SEOUL)

    outcomes = await asyncio.gather(
        take_backs.take_back(principal("lead"), document_id, None),
        decisions.decide(principal("head"), document_id, DecisionRequest(Decision.APPROVED)),
        return_exceptions=True,
    )

    assert together._waiting == 0  # both had loaded the same revision
    names = sorted(type(o).__name__ for o in outcomes)
    assert names in (["ApprovalDocument", "ApprovalFollowed"], ["ApprovalDocument", "NoOpenSlot"])
    assert len(await harness.events("approval.approved")) == (names[1] == "ApprovalFollowed")
    stored = await load(harness, document_id)
    assert stored.line is not None
    if isinstance(outcomes[0], ApprovalDocument):  # taken back: head never decided
        assert [s.status for s in stored.line.stages] == [StageStatus.ACTIVE, StageStatus.WAITING]
        assert stored.line.stages[1].approvers[0].decision is None
    else:  # approved by head: lead's approval stands
        assert stored.status is DocumentStatus.APPROVED
        assert stored.line.stages[0].approvers[0].decision is Decision.APPROVED
