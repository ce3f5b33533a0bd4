"""The document aggregate in storage: revisions, round trips, versions, reads, comments."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dojang.approval.adapters.tables import kernel_tables
from dojang.approval.adapters.unit_of_work import SqlApprovalUnitOfWork
from dojang.approval.domain.document import ApprovalDocument, DocumentStatus, Role
from dojang.approval.domain.errors import NoOpenSlot, NotCc, NotInProgress, NotResubmittable
from dojang.approval.domain.forms import FormCode
from dojang.approval.service.commands import ContentChanges, NewDocument
from dojang.approval.service.unit_of_work import ApprovalUnitOfWork, StaleDocument
from dojang.kernel.bus.local import LocalBus
from dojang.kernel.bus.unit_of_work import OutboxSignal
from dojang.kernel.clock import FixedClock
from dojang.kernel.db import Database
from dojang.kernel.errors import Conflict
from dojang.kernel.ports import EmployeeView
from tests.approval_stores import ApprovalStore

from .fakes import FakeOrg, Harness, principal, stage, standard_org, started_approval

STAFF = principal("staff")
ADMIN = principal("admin", "admin")


async def expense(harness: Harness, amount: int, **extra: object) -> ApprovalDocument:
    return await harness.service.use_cases.create(
        STAFF,
        NewDocument(
            form=FormCode.EXPENSE,
            title="장비",
            fields={"amount": amount, "category": "equipment"},
            **extra,  # type: ignore[arg-type]
        ),
    )


async def test_a_save_over_a_newer_revision_is_refused(harness: Harness) -> None:
    document = await expense(harness, 10_000)
    unit_of_work = harness.service.unit_of_work
    async with unit_of_work() as first:
        stale = await first.documents.get(document.id)
        assert stale is not None
    async with unit_of_work() as second:
        fresh = await second.documents.get(document.id)
        assert fresh is not None
        await second.documents.save(fresh, [])
        await second.commit()
    async with unit_of_work() as third:
        with pytest.raises(StaleDocument):  # at the save in SQL, at the commit on MongoDB
            await third.documents.save(stale, [])
            await third.commit()


async def test_a_stored_document_reads_back_the_same(harness: Harness) -> None:
    document = await expense(harness, 10_000, cc=("junior",))
    await harness.service.use_cases.comment(principal("lead"), document.id, "확인했습니다")
    await harness.assign(document.id, 1, 0, [("lead", "peer")])
    loaded = await harness.service.use_cases.get(ADMIN, document.id)
    assert loaded.revision == 3
    assert ApprovalDocument.from_dict(loaded.to_dict(), revision=3).to_dict() == loaded.to_dict()
    assert loaded.participants() == {
        ("lead", Role.APPROVER),
        ("head", Role.APPROVER),
        ("junior", Role.CC),
        ("peer", Role.HOLDER),
    }


async def test_resubmission_keeps_the_earlier_version_and_rebuilds_the_line(
    harness: Harness,
) -> None:
    use_cases = harness.service.use_cases
    document = await expense(harness, 10_000)
    await harness.decide(document.id, "lead", "rejected", comment="금액 확인")

    again = await use_cases.resubmit(
        STAFF, document.id, ContentChanges(fields={"amount": 2_000_000, "category": "equipment"})
    )
    assert again.version == 2
    assert again.status is DocumentStatus.IN_PROGRESS
    # the default line is built anew, so the larger amount now needs the director
    assert again.line is not None
    assert [list(s.approver_ids) for s in again.line.stages] == [["lead"], ["head"], ["director"]]
    versions = again.versions()
    assert [(v.version, v.status) for v in versions] == [
        (1, DocumentStatus.REJECTED),
        (2, DocumentStatus.IN_PROGRESS),
    ]
    assert versions[0].fields["amount"] == 10_000
    resubmitted = (await harness.events("approval.resubmitted"))[-1]
    assert resubmitted.data["version"] == 2
    opened = (await harness.events("approval.tasks_opened"))[-1]
    assert (opened.data["version"], opened.data["approvers"]) == (2, ["lead"])


async def test_a_requested_line_runs_again_undecided_on_resubmission(harness: Harness) -> None:
    use_cases = harness.service.use_cases
    document = await expense(harness, 10_000, line=[stage("peer"), stage("lead")])
    await harness.decide(document.id, "peer")
    await use_cases.withdraw(STAFF, document.id)

    again = await use_cases.resubmit(STAFF, document.id, ContentChanges(title="장비 (수정)"))
    assert again.line is not None
    assert [list(s.approver_ids) for s in again.line.stages] == [["peer"], ["lead"]]
    assert again.line.stages[0].approvers[0].decision is None
    assert again.title == "장비 (수정)"
    # lead's turn comes in stage 1 of the new version, not before
    with pytest.raises(NoOpenSlot):
        await harness.decide(document.id, "lead")
    decided = await harness.decide(document.id, "peer")
    assert (decided.version, decided.current_stage) == (2, 1)


async def test_only_finished_documents_are_resubmitted_and_only_running_ones_withdrawn(
    harness: Harness,
) -> None:
    use_cases = harness.service.use_cases
    document = await expense(harness, 10_000, line=[stage("lead")])
    with pytest.raises(NotResubmittable):
        await use_cases.resubmit(STAFF, document.id, ContentChanges())
    await harness.decide(document.id, "lead")
    with pytest.raises(NotInProgress):
        await use_cases.withdraw(STAFF, document.id)
    with pytest.raises(NotResubmittable):
        await use_cases.resubmit(STAFF, document.id, ContentChanges())
    assert isinstance(NotInProgress("x"), Conflict)


async def test_withdrawal_releases_the_task_holders(harness: Harness) -> None:
    document = await expense(harness, 10_000, line=[stage("lead", "peer")])
    await harness.assign(document.id, 1, 0, [("lead", "junior")])
    await harness.service.use_cases.withdraw(STAFF, document.id)
    (withdrawn,) = await harness.events("approval.withdrawn")
    # peer's assignment has not arrived yet: peer holds their own task
    assert withdrawn.data["released"] == ["junior", "peer"]


async def test_a_cc_member_reads_once(harness: Harness) -> None:
    use_cases = harness.service.use_cases
    document = await expense(harness, 10_000, cc=("junior",))
    first = await use_cases.mark_read(principal("junior"), document.id)
    harness.clock.advance(minutes=5)
    second = await use_cases.mark_read(principal("junior"), document.id)
    assert first.cc[0].read_at == second.cc[0].read_at
    assert [e.action.value for e in second.timeline].count("read") == 1
    with pytest.raises(NotCc):
        await use_cases.mark_read(principal("lead"), document.id)


async def test_a_comment_is_announced(harness: Harness) -> None:
    document = await expense(harness, 10_000)
    comment = await harness.service.use_cases.comment(principal("head"), document.id, "  좋아요 ")
    assert comment.body == "좋아요"
    assert comment.author.name == "부장 박"
    (commented,) = await harness.events("approval.commented")
    assert commented.data["comment_id"] == comment.id
    assert commented.data["author"] == {"id": "head", "name": "부장 박"}
    assert commented.data["body"] == "좋아요"


class RacingOrg(FakeOrg):
    """An org chart during whose queries someone else saves the document being submitted.

    The other writer has its own connection to the same file, as another process would.
    """

    def __init__(self, races: int) -> None:
        super().__init__()
        base = standard_org()
        self.employees, self.heads = base.employees, base.heads
        self.races = races
        self.document_id = ""
        self.unit_of_work: Callable[[], ApprovalUnitOfWork] | None = None

    async def manager_chain(self, employee_id: str) -> list[EmployeeView]:
        if self.races > 0:
            self.races -= 1
            assert self.unit_of_work is not None
            async with self.unit_of_work() as uow:
                document = await uow.documents.get(self.document_id)
                assert document is not None
                await uow.documents.save(document, [])
                await uow.commit()
        return await super().manager_chain(employee_id)


async def racing_harness(
    tmp_path: Path, bus: LocalBus, clock: FixedClock, races: int, store: ApprovalStore
) -> tuple[Harness, str]:
    org = RacingOrg(races)
    service = await started_approval(tmp_path, bus, org, clock, **store.overrides)
    racing = Harness(service=service, bus=bus, org=org, clock=clock)
    if store.is_mongo:
        # every unit of work on MongoDB writes on its own, as another process would
        org.unit_of_work = service.unit_of_work
    else:
        assert service.module.database is not None
        someone_else = Database(service.module.database.url)
        org.unit_of_work = lambda: SqlApprovalUnitOfWork(
            someone_else, kernel_tables, OutboxSignal()
        )
        racing.closers.append(someone_else.dispose)
    draft = await expense(racing, 10_000, submit=False)
    org.document_id = draft.id
    return racing, draft.id


async def test_a_lost_race_is_retried_on_the_fresh_document(
    tmp_path: Path, bus: LocalBus, clock: FixedClock, approval_store: ApprovalStore
) -> None:
    racing, document_id = await racing_harness(tmp_path, bus, clock, 1, approval_store)
    try:
        submitted = await racing.service.use_cases.submit(STAFF, document_id)
        assert submitted.status is DocumentStatus.IN_PROGRESS
        assert submitted.revision == 3
        assert len(await racing.events("approval.submitted")) == 1
    finally:
        await racing.close()


async def test_a_race_lost_every_time_is_a_conflict(
    tmp_path: Path, bus: LocalBus, clock: FixedClock, approval_store: ApprovalStore
) -> None:
    racing, document_id = await racing_harness(tmp_path, bus, clock, 3, approval_store)
    try:
        with pytest.raises(Conflict, match="changed by someone else"):
            await racing.service.use_cases.submit(STAFF, document_id)
        assert await racing.events() == []
    finally:
        await racing.close()
