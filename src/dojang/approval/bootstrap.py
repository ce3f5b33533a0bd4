"""Wires the approval-request service from settings and ports: `build_approval`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dojang.approval.adapters.mongo.policies import MongoPolicyStore
from dojang.approval.adapters.mongo.relay import MongoOutboxRelay
from dojang.approval.adapters.mongo.retention import Retention
from dojang.approval.adapters.mongo.shape import derived_fields
from dojang.approval.adapters.mongo.store import MongoStore
from dojang.approval.adapters.mongo.unit_of_work import MongoApprovalUnitOfWork
from dojang.approval.adapters.policies import SqlPolicyStore
from dojang.approval.adapters.tables import kernel_tables, org_tables
from dojang.approval.adapters.unit_of_work import SqlApprovalUnitOfWork
from dojang.approval.api.approvals import approvals_router
from dojang.approval.api.decisions import decisions_router
from dojang.approval.api.forms import forms_router
from dojang.approval.api.preview import preview_router
from dojang.approval.domain.forms import Form, FormCode, build_forms
from dojang.approval.service.decisions import DecisionUseCases
from dojang.approval.service.documents import ApprovalUseCases
from dojang.approval.service.events import RESULTS_TOPIC
from dojang.approval.service.holders import SlotHolders
from dojang.approval.service.leave import LeaveReservations
from dojang.approval.service.lines import LineResolver
from dojang.approval.service.policies import PolicyService
from dojang.approval.service.preview import LinePreviews
from dojang.approval.service.reconcile import SlotAnnouncements
from dojang.approval.service.results import CONSUMER_GROUP, ApprovalResultsHandler
from dojang.approval.service.take_back import TakeBackUseCases
from dojang.approval.service.unit_of_work import ApprovalUnitOfWork
from dojang.approval.settings import ApprovalSettings
from dojang.kernel.bus.consumer import ConsumerRunner
from dojang.kernel.bus.dead_letters import BusDeadLetters
from dojang.kernel.bus.port import EventBus
from dojang.kernel.bus.relay import OutboxRelay
from dojang.kernel.bus.unit_of_work import OutboxSignal
from dojang.kernel.clock import Clock
from dojang.kernel.db import Database
from dojang.kernel.org.reader import OrgReadModel
from dojang.kernel.org.wiring import follow_organisation
from dojang.kernel.ports import LeaveLedger, OrgDirectory
from dojang.kernel.service import EventRelay, Hook, ServiceModule

SERVICE_NAME = "approval"
ORG_CONSUMER_GROUP = "approval-org"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@dataclass
class ApprovalService:
    """The approval-request service as the composer and the tests see it."""

    module: ServiceModule
    use_cases: ApprovalUseCases
    decisions: DecisionUseCases
    take_backs: TakeBackUseCases
    slot_announcements: SlotAnnouncements
    forms: dict[FormCode, Form]
    results: ConsumerRunner[ApprovalUnitOfWork]
    unit_of_work: Callable[[], ApprovalUnitOfWork]
    organisation: OrgReadModel
    """This service's own copy of the organisation (group `approval-org`)."""
    mongo: MongoStore | None = None
    """The MongoDB store of the documents, when `approval_mongodb_url` is set."""
    policies: PolicyService | None = None
    """The forms' approval policies (결재 규정), on the store the documents are on."""


@dataclass
class _DocumentStore:
    unit_of_work: Callable[[], ApprovalUnitOfWork]
    relay: EventRelay
    mongo: MongoStore | None = None
    on_start: tuple[Hook, ...] = ()
    on_stop: tuple[Hook, ...] = ()


def _document_store(
    settings: ApprovalSettings, database: Database, bus: EventBus, signal: OutboxSignal
) -> _DocumentStore:
    """Documents in MongoDB when its URL is set, else in the SQL database beside the org."""
    url = settings.approval_mongodb_url
    if url is None:

        def sql_unit_of_work() -> ApprovalUnitOfWork:
            return SqlApprovalUnitOfWork(database, kernel_tables, signal)

        return _DocumentStore(sql_unit_of_work, OutboxRelay(database, kernel_tables, bus, signal))
    store = MongoStore(url, write_guard=settings.approval_mongodb_write_guard)
    grace = settings.number_claim_grace_seconds
    retention = Retention(
        applied=settings.approval_mongodb_applied_keep_days * 24 * 3600,
        answers=settings.approval_mongodb_answer_keep_hours * 3600,
    )

    def mongo_unit_of_work() -> ApprovalUnitOfWork:
        return MongoApprovalUnitOfWork(
            store, signal, claim_grace_seconds=grace, retention=retention
        )

    async def fill_boxes() -> None:
        await store.fill_boxes(derived_fields)

    return _DocumentStore(
        mongo_unit_of_work,
        MongoOutboxRelay(store, bus, signal),
        mongo=store,
        on_start=(store.create_indexes, fill_boxes),
        on_stop=(store.close,),
    )


def build_approval(
    settings: ApprovalSettings,
    bus: EventBus,
    leave: LeaveLedger,
    *,
    clock: Clock,
    org: OrgDirectory | None = None,
) -> ApprovalService:
    """The approval-request service on its own database; nothing runs until started.

    It publishes `approval-requests` and `approval-events` through its outbox, consumes
    `approval-results` as group `approval`, and keeps its own copy of the organisation from
    `employee-events` as group `approval-org`, which answers its questions about people
    unless `org` (a test's fake) is given.
    """
    database = Database(
        settings.database_url_for(SERVICE_NAME, settings.approval_database_url),
        mysql=settings.mysql_options,
    )
    signal = OutboxSignal()

    def org_unit_of_work() -> SqlApprovalUnitOfWork:
        return SqlApprovalUnitOfWork(database, kernel_tables, signal)

    # the copy of the organisation is always in SQL, written by its own consumer alone
    copy = follow_organisation(
        database, org_tables, bus, org_unit_of_work, group=ORG_CONSUMER_GROUP
    )
    documents = _document_store(settings, database, bus, signal)
    unit_of_work = documents.unit_of_work
    if org is None:
        org = copy.reader

    forms = build_forms(settings.expense_director_threshold)
    holders = SlotHolders(org)
    use_cases = ApprovalUseCases(
        unit_of_work,
        forms=forms,
        lines=LineResolver(org, expense_director_threshold=settings.expense_director_threshold),
        holders=holders,
        directory=org,
        leave=LeaveReservations(leave, timeout=settings.leave_ledger_timeout_seconds),
        clock=clock,
    )
    previews = LinePreviews(
        use_cases, org, expense_director_threshold=settings.expense_director_threshold
    )
    decisions = DecisionUseCases(unit_of_work, holders=holders, clock=clock, zone=settings.zone)
    take_backs = TakeBackUseCases(unit_of_work, holders=holders, org=org, clock=clock)
    results = ConsumerRunner[ApprovalUnitOfWork](
        bus=bus,
        group=CONSUMER_GROUP,
        topics=[RESULTS_TOPIC],
        handler=ApprovalResultsHandler(clock=clock),
        unit_of_work=unit_of_work,
        dead_letters=BusDeadLetters(bus),
    )
    module = ServiceModule(
        name=SERVICE_NAME,
        routers=[
            forms_router(forms),
            preview_router(previews),
            approvals_router(use_cases),
            decisions_router(decisions, take_backs),
        ],
        database=database,
        migrations=MIGRATIONS,
        relay=documents.relay,
        consumers=[results, copy.consumer],
        on_start=list(documents.on_start),
        on_stop=list(documents.on_stop),
        readiness=[] if documents.mongo is None else [documents.mongo.ping],
    )
    return ApprovalService(
        module=module,
        use_cases=use_cases,
        decisions=decisions,
        take_backs=take_backs,
        slot_announcements=SlotAnnouncements(unit_of_work, clock=clock),
        forms=forms,
        results=results,
        unit_of_work=unit_of_work,
        organisation=copy.reader,
        mongo=documents.mongo,
        policies=PolicyService(
            SqlPolicyStore(database)
            if documents.mongo is None
            else MongoPolicyStore(documents.mongo),
            frozenset(form.value for form in forms),
        ),
    )
