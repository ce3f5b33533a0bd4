"""Wires the approval-request service from settings and ports: `build_approval`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
from dojang.approval.service.preview import LinePreviews
from dojang.approval.service.reconcile import SlotAnnouncements
from dojang.approval.service.results import CONSUMER_GROUP, ApprovalResultsHandler
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
from dojang.kernel.service import ServiceModule

SERVICE_NAME = "approval"
ORG_CONSUMER_GROUP = "approval-org"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@dataclass
class ApprovalService:
    """The approval-request service as the composer and the tests see it."""

    module: ServiceModule
    use_cases: ApprovalUseCases
    decisions: DecisionUseCases
    slot_announcements: SlotAnnouncements
    forms: dict[FormCode, Form]
    results: ConsumerRunner[SqlApprovalUnitOfWork]
    unit_of_work: Callable[[], SqlApprovalUnitOfWork]
    organisation: OrgReadModel
    """This service's own copy of the organisation (group `approval-org`)."""


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
    database = Database(settings.database_url_for(SERVICE_NAME))
    signal = OutboxSignal()

    def unit_of_work() -> SqlApprovalUnitOfWork:
        return SqlApprovalUnitOfWork(database, kernel_tables, signal)

    copy = follow_organisation(database, org_tables, bus, unit_of_work, group=ORG_CONSUMER_GROUP)
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
    results = ConsumerRunner[SqlApprovalUnitOfWork](
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
            decisions_router(decisions),
        ],
        database=database,
        migrations=MIGRATIONS,
        relay=OutboxRelay(database, kernel_tables, bus, signal),
        consumers=[results, copy.consumer],
    )
    return ApprovalService(
        module=module,
        use_cases=use_cases,
        decisions=decisions,
        slot_announcements=SlotAnnouncements(unit_of_work, clock=clock),
        forms=forms,
        results=results,
        unit_of_work=unit_of_work,
        organisation=copy.reader,
    )
