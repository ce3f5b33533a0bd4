"""A deterministic simulation of approval-request and approval-processing together.

Both services run on their real SQLite stores, built by their bootstraps, with no relay or
consumer running: the test is the bus. After every command it takes the rows each service
committed to its outbox and puts them in flight; between commands, and in the `deliver`
rule, events of Hypothesis' choosing reach the receiving consumer's runner (its `handle`,
so idempotency and dead letters are the real ones), some of them twice. So events arrive
late, in any order Kafka allows (per topic and key only, see `InFlightPool`) and more than
once, while people submit, decide, withdraw, resubmit, delegate and revoke.

After every step: a decision answered 200 is on the line, by its holder, and stays there;
an accepted rejection rejects its version; a refused call changed nothing in either
service; no slot is in its requester's hands; nothing was dead-lettered. At the end, with
every event delivered, processing's pending tasks are exactly the open slots of the
documents in progress, each held by whom approval-request records, and every decision on a
line is on its task.

The run is reproducible: a fixed seed (or `--hypothesis-seed`), a fixed clock moved by
each command, ids from a counter and a pool that lists its queues in the order of first
use. `DOJANG_SIMULATION_EXAMPLES` runs more examples than CI does.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import timedelta
from itertools import count
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, core, event, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from dojang.approval.domain.document import ApprovalDocument, DocumentStatus
from dojang.approval.domain.forms import FormCode
from dojang.approval.domain.line import Decision
from dojang.approval.service.commands import KEEP, ContentChanges, NewDocument
from dojang.approval.service.decisions import DecisionRequest
from dojang.kernel.auth.principal import Principal
from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.port import Record
from dojang.kernel.errors import DojangError
from dojang.processing.domain.tasks import TaskStatus

from .company import Company, deterministic_ids, start_company
from .organisation import APPROVERS, EVERYONE, REQUESTERS

T = TypeVar("T")
Delivery = tuple[int, bool]

# `--hypothesis-seed` replays another run; without it CI always runs this one.
SEED = core.global_force_seed if isinstance(core.global_force_seed, int) else 20261202
EXAMPLES = int(os.environ.get("DOJANG_SIMULATION_EXAMPLES", "25"))


@st.composite
def requested_lines(draw: st.DrawFn) -> list[dict[str, object]]:
    """1-3 stages of `all` or `any`, `approval` or `agreement`, nobody twice in the line."""
    people = draw(st.permutations(APPROVERS))
    stages = draw(st.integers(1, 3))
    sizes = [draw(st.integers(1, 2)) for _ in range(stages)]
    line: list[dict[str, object]] = []
    start = 0
    for size in sizes:
        approvers = list(people[start : start + size])
        start += size
        line.append(
            {
                "kind": draw(st.sampled_from(["approval", "agreement"])),
                "approvers": approvers,
                "rule": draw(st.sampled_from(["all", "any"])),
                "final_authority": draw(st.lists(st.sampled_from(approvers), max_size=1)),
            }
        )
    return line


# Often other approvers, so that one person comes to hold several slots of a stage, and
# often requesters, whom no slot of their own documents may ever reach.
delegates = st.sampled_from([*APPROVERS, *REQUESTERS, *EVERYONE])

# Between two commands the bus moves on: a few deliveries, each naming a queue (by its
# place among those holding events) and whether the event is also published again, to
# arrive a second time later.
deliveries = st.lists(
    st.tuples(st.integers(0, 15), st.sampled_from([False, False, False, True])), max_size=3
)

# Mostly approvals: a rejection ends the document.
decisions = st.sampled_from([Decision.APPROVED, Decision.APPROVED, Decision.REJECTED])


def principal(user_id: str) -> Principal:
    """A verified employee."""
    return Principal(user_id=user_id, roles=frozenset({"employee"}))


@dataclass(frozen=True)
class AcceptedDecision:
    """A decision answered 200: it must stay on the line of its version."""

    document_id: str
    version: int
    stage_index: int
    approver_id: str
    decided_by: str
    decision: Decision


@dataclass
class KeyedRequest:
    """A decision sent with an `Idempotency-Key`, and the document it was answered with."""

    caller: str
    document_id: str
    request: DecisionRequest
    answer: dict[str, Any] | None


@dataclass(frozen=True)
class Snapshot:
    """What a refused call must leave as it was: every document's revision, both outboxes,
    processing's tasks and delegations."""

    revisions: tuple[int, ...]
    outbox_heads: tuple[int, ...]
    processing: tuple[tuple[object, ...], ...]


def version_line(document: ApprovalDocument, version: int) -> dict[str, Any]:
    """The line of one version of a document, as stored (`ApprovalLine.to_dict`)."""
    if version == document.version:
        assert document.line is not None
        return document.line.to_dict()
    return next(dict(s.line) for s in document.history if s.version == version)


def newly_decided(
    before: dict[str, Any], after: dict[str, Any]
) -> list[tuple[int, dict[str, Any]]]:
    """(stage index, slot) of the slots decided in `after` but not in `before`."""
    return [
        (stage["index"], slot)
        for old, stage in zip(before["stages"], after["stages"], strict=True)
        for was, slot in zip(old["approvers"], stage["approvers"], strict=True)
        if was["decision"] is None and slot["decision"] is not None
    ]


@seed(SEED)
@settings(
    max_examples=EXAMPLES,
    stateful_step_count=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
class LineAndTasks(RuleBasedStateMachine):
    """People act on both services while the test delivers their events at random."""

    def __init__(self) -> None:
        super().__init__()
        # undone in reverse order by `teardown`, or here if the company cannot start
        self._resources = contextlib.ExitStack()
        self._resources.enter_context(deterministic_ids())
        data_dir = Path(tempfile.mkdtemp(prefix="dojang-simulation-"))
        self._resources.callback(shutil.rmtree, data_dir, ignore_errors=True)
        self._loop = asyncio.new_event_loop()
        self._resources.callback(self._loop.close)
        self._resources.callback(lambda: self._run(self._loop.shutdown_default_executor()))
        with self._resources.pop_all() as started:
            self.company: Company = self._run(start_company(data_dir))
            self._resources = started.pop_all()
        self._resources.callback(lambda: self._run(self.company.close()))
        self.documents: list[str] = []
        self.requester_of: dict[str, str] = {}
        self.accepted: list[AcceptedDecision] = []
        self.keyed: list[KeyedRequest] = []
        self.delegations: dict[str, str] = {}  # id -> delegator
        self.delivered: set[str] = set()
        self.answers: list[tuple[str, str]] = []  # (command, "ok" or the error's name)
        # document in progress -> who holds its open slots, and whose they are
        self.involved: dict[str, list[str]] = {}
        self._keys = count(1)

    def _run(self, work: Coroutine[Any, Any, T]) -> T:
        return self._loop.run_until_complete(work)

    # What the services hold

    async def _snapshot(self) -> Snapshot:
        revisions = [(await self.company.document(d)).revision for d in self.documents]
        return Snapshot(
            tuple(revisions),
            await self.company.outbox_heads(),
            await self.company.processing_rows(),
        )

    def _answered(self, command: str, answer: str) -> None:
        """Keep what a call answered (`--hypothesis-show-statistics` counts them)."""
        self.answers.append((command, answer))
        event(f"{command}: {answer}")

    def _refused(self, command: str, before: Snapshot, exc: DojangError) -> None:
        """A refusal is a problem+json answer (a kernel error) and leaves everything be."""
        self._answered(command, f"{exc.status} {type(exc).__name__}")
        assert 400 <= exc.status < 500, exc
        after = self._run(self._snapshot())
        assert after == before, f"{type(exc).__name__} ({exc.detail}) changed {before} to {after}"

    def _after_command(self, command: str) -> None:
        """What the command committed goes in flight; the next command happens a bit later."""
        self._answered(command, "ok")
        self._run(self.company.collect())
        self._run(self._refresh_involved())
        self.company.clock.advance(seconds=1)

    async def _refresh_involved(self) -> None:
        """Who holds or owns open slots now, for the rule that lets them decide."""
        self.involved = {}
        for document_id in self.documents:
            document = await self.company.document(document_id)
            if document.line is None or document.status is not DocumentStatus.IN_PROGRESS:
                continue
            open_slots = document.line.open_approvers()
            holders = {document.holder_of(approver) for approver in open_slots}
            self.involved[document_id] = sorted(holders | set(open_slots))
            if holders - set(open_slots):
                event("a slot is in someone else's hands")

    # Commands

    @initialize(
        delegations=st.lists(st.tuples(st.sampled_from(APPROVERS), delegates), max_size=2),
        documents=st.lists(
            st.tuples(st.sampled_from(REQUESTERS), requested_lines()), min_size=1, max_size=3
        ),
    )
    def company_as_it_stands(
        self,
        delegations: list[tuple[str, str]],
        documents: list[tuple[str, list[dict[str, object]]]],
    ) -> None:
        """The run starts with delegations granted a while ago, which both services know,
        and a few documents just submitted."""
        for delegator, delegate in delegations:
            self.grant_delegation(delegator, delegate, meanwhile=[])
        self._settle()
        for requester, line in documents:
            self.submit(requester, line, meanwhile=[])

    @rule(requester=st.sampled_from(REQUESTERS), line=requested_lines(), meanwhile=deliveries)
    def submit(
        self, requester: str, line: list[dict[str, object]], meanwhile: list[Delivery]
    ) -> None:
        """A requester submits a general document with a line of their own."""
        document = self._run(
            self.company.approval.use_cases.create(
                principal(requester),
                NewDocument(form=FormCode.GENERAL, title="비품 구매", content="", line=line),
            )
        )
        self.documents.append(document.id)
        self.requester_of[document.id] = requester
        self._after_command("submit")
        self._move_bus(meanwhile)

    @precondition(lambda self: self.involved)
    @rule(data=st.data(), meanwhile=deliveries)
    def decide_as_involved(self, data: st.DataObject, meanwhile: list[Delivery]) -> None:
        """Someone who holds an open slot as approval-request records it, or whose slot it
        is (perhaps in a delegate's hands), decides."""
        document_id = data.draw(st.sampled_from(sorted(self.involved)), label="document")
        person = data.draw(st.sampled_from(self.involved[document_id]), label="person")
        self._decide_drawn(data, document_id, person)
        self._move_bus(meanwhile)

    @precondition(lambda self: self.documents)
    @rule(data=st.data(), meanwhile=deliveries)
    def decide_as_anyone(self, data: st.DataObject, meanwhile: list[Delivery]) -> None:
        """Anybody at all tries to decide any document."""
        document_id = data.draw(st.sampled_from(self.documents), label="document")
        person = data.draw(st.sampled_from(EVERYONE), label="person")
        self._decide_drawn(data, document_id, person)
        self._move_bus(meanwhile)

    def _decide_drawn(self, data: st.DataObject, document_id: str, person: str) -> None:
        """Approve or reject, maybe finally, maybe naming a slot, maybe with a key."""
        document = self._run(self.company.document(document_id))
        assert document.line is not None
        approvers = [a for stage in document.line.stages for a in stage.approver_ids]
        on_behalf_of = data.draw(
            st.one_of(st.none(), st.just(person), st.sampled_from(approvers)), label="on_behalf_of"
        )
        decision = data.draw(decisions, label="decision")
        final = decision is Decision.APPROVED and data.draw(
            st.sampled_from([False, False, False, True]), label="final"
        )
        key = f"key-{next(self._keys)}" if data.draw(st.booleans(), label="keyed") else None
        request = DecisionRequest(
            decision,
            comment="반려합니다" if decision is Decision.REJECTED else None,
            final=final,
            on_behalf_of=on_behalf_of,
            idempotency_key=key,
        )
        keyed = None if key is None else KeyedRequest(person, document_id, request, None)
        if keyed is not None:
            self.keyed.append(keyed)
        self._decide(request.decision.value, person, document_id, request, keyed)

    @precondition(lambda self: self.keyed)
    @rule(data=st.data(), meanwhile=deliveries)
    def retry_with_key(self, data: st.DataObject, meanwhile: list[Delivery]) -> None:
        """A client sends a decision again with its `Idempotency-Key`."""
        keyed = data.draw(st.sampled_from(self.keyed), label="retried")
        self._decide("retry", keyed.caller, keyed.document_id, keyed.request, keyed)
        self._move_bus(meanwhile)

    def _decide(
        self,
        command: str,
        person: str,
        document_id: str,
        request: DecisionRequest,
        keyed: KeyedRequest | None,
    ) -> None:
        before = self._run(self._snapshot())
        document = self._run(self.company.document(document_id))
        remembered = None if keyed is None else keyed.answer
        try:
            answer = self._run(
                self.company.approval.decisions.decide(principal(person), document_id, request)
            )
        except DojangError as exc:
            if remembered is not None:
                pytest.fail(f"a retry of an answered decision was refused: {exc}")
            self._refused(command, before, exc)
            return
        if remembered is not None:
            assert answer.to_dict() == remembered, "a retry answered differently"
            assert self._run(self._snapshot()) == before, "a retry changed something"
            self._answered(command, "ok, the first answer again")
            return
        stored = self._run(self.company.document(document_id))
        assert answer.to_dict() == stored.to_dict(), "the answer is not what was stored"
        assert document.line is not None
        assert stored.version == document.version
        decided = newly_decided(document.line.to_dict(), version_line(stored, stored.version))
        assert len(decided) == 1, f"a 200 decision decided {len(decided)} slots"
        stage_index, slot = decided[0]
        approver = slot["employee_id"]
        assert slot["decision"] == request.decision.value
        assert slot["decided_by"] == person
        assert person != self.requester_of[document_id], "a requester decided their own document"
        assert request.on_behalf_of in (None, approver)
        assert document.holder_of(approver) == person, (
            f"{person} decided {approver}'s slot, held by {document.holder_of(approver)}"
        )
        self.accepted.append(
            AcceptedDecision(
                document_id, stored.version, stage_index, approver, person, request.decision
            )
        )
        if keyed is not None:
            keyed.answer = answer.to_dict()
        self._after_command(command)

    @precondition(lambda self: self.documents)
    @rule(data=st.data(), meanwhile=deliveries)
    def withdraw(self, data: st.DataObject, meanwhile: list[Delivery]) -> None:
        """The requester (or, to be refused, someone else) takes a document back."""
        document_id = data.draw(st.sampled_from(self.documents), label="document")
        requester = self.requester_of[document_id]
        person = data.draw(st.sampled_from([requester, requester, *EVERYONE]), label="person")
        before = self._run(self._snapshot())
        try:
            self._run(self.company.approval.use_cases.withdraw(principal(person), document_id))
        except DojangError as exc:
            self._refused("withdraw", before, exc)
        else:
            assert person == requester
            self._after_command("withdraw")
        self._move_bus(meanwhile)

    @precondition(lambda self: self.documents)
    @rule(data=st.data(), meanwhile=deliveries)
    def resubmit(self, data: st.DataObject, meanwhile: list[Delivery]) -> None:
        """The requester submits a rejected or withdrawn document again, maybe re-routed."""
        document_id = data.draw(st.sampled_from(self.documents), label="document")
        line = data.draw(st.one_of(st.just(KEEP), requested_lines()), label="line")
        before = self._run(self._snapshot())
        try:
            self._run(
                self.company.approval.use_cases.resubmit(
                    principal(self.requester_of[document_id]),
                    document_id,
                    ContentChanges(line=line),
                )
            )
        except DojangError as exc:
            self._refused("resubmit", before, exc)
        else:
            self._after_command("resubmit")
        self._move_bus(meanwhile)

    @rule(delegator=st.sampled_from(APPROVERS), delegate=delegates, meanwhile=deliveries)
    def grant_delegation(self, delegator: str, delegate: str, meanwhile: list[Delivery]) -> None:
        """An approver hands their tasks to someone from now on (대결)."""
        now = self.company.clock.now()
        before = self._run(self._snapshot())
        try:
            delegation = self._run(
                self.company.processing.delegations.grant(
                    delegator,
                    delegate_id=delegate,
                    starts_at=now - timedelta(hours=1),
                    ends_at=now + timedelta(days=1),
                )
            )
        except DojangError as exc:
            self._refused("grant", before, exc)
        else:
            self.delegations[delegation.id] = delegator
            self._after_command("grant")
        self._move_bus(meanwhile)

    @precondition(lambda self: self.delegations)
    @rule(data=st.data(), meanwhile=deliveries)
    def revoke_delegation(self, data: st.DataObject, meanwhile: list[Delivery]) -> None:
        """The delegator (or, to be refused, someone else) ends a delegation."""
        delegation_id = data.draw(st.sampled_from(sorted(self.delegations)), label="delegation")
        delegator = self.delegations[delegation_id]
        person = data.draw(st.sampled_from([delegator, delegator, *EVERYONE]), label="person")
        before = self._run(self._snapshot())
        try:
            self._run(self.company.processing.delegations.revoke(principal(person), delegation_id))
        except DojangError as exc:
            self._refused("revoke", before, exc)
        else:
            assert person == delegator
            self._after_command("revoke")
        self._move_bus(meanwhile)

    # The bus

    @precondition(lambda self: len(self.company.pool) > 0)
    @rule(moves=deliveries.filter(bool))
    def deliver(self, moves: list[Delivery]) -> None:
        """Nobody acts for a while; events arrive."""
        self._move_bus(moves)

    @precondition(lambda self: len(self.company.pool) > 1)
    @rule(moves=deliveries.filter(bool))
    def deliver_fetched(self, moves: list[Delivery]) -> None:
        """The oldest events of a few queues of one topic arrive in one fetch, applied in
        one unit of work (the consumer's batch, replayed one by one if it fails)."""
        pool = self.company.pool
        fetched: list[Record] = []
        topic = pool.channels()[moves[0][0] % len(pool.channels())][0]
        for place, again in moves:
            channels = [c for c in pool.channels() if c[0] == topic]
            if not channels:
                break
            record = pool.take(channels[place % len(channels)])
            if again:
                pool.publish_again(record)
            fetched.append(record)
        self._run(self.company.deliver_fetched(topic, fetched))
        self.delivered |= {Event.from_json(record.value).id for record in fetched}
        self._run(self._refresh_involved())

    def _move_bus(self, moves: list[Delivery]) -> None:
        """Each move delivers the oldest event of a queue, sometimes to come again later."""
        pool = self.company.pool
        for place, again in moves:
            channels = pool.channels()
            if not channels:
                return
            record = pool.take(channels[place % len(channels)])
            if again:
                pool.publish_again(record)
            self._deliver(record)

    def _deliver(self, record: Record) -> None:
        event_id = Event.from_json(record.value).id
        outcome = self._run(self.company.deliver(record))
        expected = "duplicate" if event_id in self.delivered else "applied"
        assert outcome == expected, f"{record.topic} {record.value!r} was {outcome}"
        self.delivered.add(event_id)
        self._run(self._refresh_involved())

    # After every step

    @invariant()
    def decisions_stay_on_the_line(self) -> None:
        """Every 200 decision is on its version's line, by whom it was made; nothing
        overrules it, and an accepted rejection rejects its version."""
        documents = {d: self._run(self.company.document(d)) for d in self.documents}
        for accepted in self.accepted:
            line = version_line(documents[accepted.document_id], accepted.version)
            stage = line["stages"][accepted.stage_index]
            slot = next(s for s in stage["approvers"] if s["employee_id"] == accepted.approver_id)
            assert slot["decision"] == accepted.decision.value, (accepted, slot)
            assert slot["decided_by"] == accepted.decided_by, (accepted, slot)
            if accepted.decision is Decision.REJECTED:
                assert line["status"] == DocumentStatus.REJECTED.value, (accepted, line)
                assert stage["status"] == "rejected", (accepted, stage)

    @invariant()
    def no_slot_is_in_its_requesters_hands(self) -> None:
        """Nobody decides their own document, so neither service ever gives them a slot of
        it: not approval-request's record of holders, not a pending task of processing."""
        for document_id in self.documents:
            requester = self.requester_of[document_id]
            document = self._run(self.company.document(document_id))
            assert requester not in document.task_holders(), (requester, document.holders)
            tasks = self._run(self.company.tasks(document_id))
            held = [
                t for t in tasks if t.status is TaskStatus.PENDING and t.assignee_id == requester
            ]
            assert not held, held

    @invariant()
    def nothing_is_dead_lettered(self) -> None:
        """Every event the services sent each other was usable."""
        assert not self.company.trap.dead_letters, self.company.trap.dead_letters

    # At the end

    def teardown(self) -> None:
        """With every event delivered, both services agree; then everything is closed."""
        try:
            if sys.exc_info()[1] is None:
                self._settle()
                self._run(self._tasks_match_the_lines())
        finally:
            self._resources.close()

    def _settle(self) -> None:
        """Deliver everything in flight, oldest queue first, until nothing moves."""
        pool = self.company.pool
        for _ in range(10_000):
            if not len(pool):
                return
            self._deliver(pool.take(pool.channels()[0]))
        raise AssertionError("events kept coming")

    async def _tasks_match_the_lines(self) -> None:
        """Pending tasks are the open slots of documents in progress, held by their
        recorded holders; every decision on a line is on its task."""
        assert not self.company.trap.dead_letters, self.company.trap.dead_letters
        # (document, version, stage, approver, holder, task): approval-request's record of
        # each open slot names processing's task of this version, as processing reported it
        expected: set[tuple[str, int, int, str, str, str | None]] = set()
        pending: set[tuple[str, int, int, str, str, str | None]] = set()
        for document_id in self.documents:
            document = await self.company.document(document_id)
            line = document.line
            assert line is not None
            if document.status is DocumentStatus.IN_PROGRESS:
                stage = line.active_stage
                assert stage is not None
                for approver in line.open_approvers():
                    holder = document.holders.get(approver)
                    task_id = None if holder is None else holder.task_id
                    holder_id = document.holder_of(approver)
                    expected.add(
                        (document_id, document.version, stage, approver, holder_id, task_id)
                    )
            tasks = await self.company.tasks(document_id)
            pending |= {
                (t.approval_id, t.version, t.stage_index, t.approver_id, t.assignee_id, t.id)
                for t in tasks
                if t.status is TaskStatus.PENDING
            }
            by_slot = {(t.version, t.stage_index, t.approver_id): t for t in tasks}
            versions = [s.version for s in document.history] + [document.version]
            for version in versions:
                for stage_dict in version_line(document, version)["stages"]:
                    for slot in stage_dict["approvers"]:
                        if slot["decision"] is None:
                            continue
                        task = by_slot[(version, stage_dict["index"], slot["employee_id"])]
                        assert task.status.value == slot["decision"], (task, slot)
                        assert task.decided_by == slot["decided_by"], (task, slot)
        assert pending == expected, (
            f"pending tasks but no open slot: {sorted(pending - expected)}; "
            f"open slots without their task: {sorted(expected - pending)}"
        )


TestLineAndTasks = LineAndTasks.TestCase
