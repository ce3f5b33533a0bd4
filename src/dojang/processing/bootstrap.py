"""Wires the approval-processing service from settings and ports: `build_processing`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from dojang.kernel.background import PeriodicJob
from dojang.kernel.bus.consumer import ConsumerRunner
from dojang.kernel.bus.dead_letters import BusDeadLetters
from dojang.kernel.bus.port import EventBus
from dojang.kernel.bus.relay import OutboxRelay
from dojang.kernel.bus.unit_of_work import OutboxSignal
from dojang.kernel.clock import Clock
from dojang.kernel.db import Database
from dojang.kernel.org.wiring import follow_organisation
from dojang.kernel.ports import EmployeeDirectory
from dojang.kernel.service import ServiceModule
from dojang.processing.adapters.tables import kernel_tables, org_tables
from dojang.processing.adapters.unit_of_work import SqlProcessingUnitOfWork
from dojang.processing.api.admin import admin_tasks_router
from dojang.processing.api.delegations import delegations_router
from dojang.processing.api.inbox import inbox_router
from dojang.processing.service.administration import TaskAdministration
from dojang.processing.service.consumer import CONSUMER_GROUP, TOPICS, ProcessingEventHandler
from dojang.processing.service.delegations import DelegationUseCases
from dojang.processing.service.inbox import InboxQueries
from dojang.processing.service.reconcile import PendingTaskReport
from dojang.processing.service.reminders import TaskReminders
from dojang.processing.settings import ProcessingSettings

SERVICE_NAME = "processing"
ORG_CONSUMER_GROUP = "processing-org"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@dataclass
class ProcessingService:
    """The approval-processing service as the composer and the tests see it."""

    module: ServiceModule
    inbox: InboxQueries
    delegations: DelegationUseCases
    administration: TaskAdministration
    pending_report: PendingTaskReport
    consumer: ConsumerRunner[SqlProcessingUnitOfWork]
    sweeper: PeriodicJob
    reminders: PeriodicJob | None
    unit_of_work: Callable[[], SqlProcessingUnitOfWork]


def build_processing(
    settings: ProcessingSettings,
    bus: EventBus,
    *,
    clock: Clock,
    directory: EmployeeDirectory | None = None,
) -> ProcessingService:
    """The approval-processing service on its own database; nothing runs until started.

    It consumes `approval-requests` and `employee-events` as group `processing` and
    publishes `approval-results` through its outbox. It keeps its own copy of the
    organisation from `employee-events` as group `processing-org`, which answers its
    questions about people unless `directory` (a test's fake) is given. Starting the module
    also starts the sweeper that moves tasks as delegations start and end, and the reminders
    of tasks left waiting (unless `reminder_after_hours` is 0).
    """
    database = Database(
        settings.database_url_for(SERVICE_NAME, settings.processing_database_url),
        mysql=settings.mysql_options,
    )
    signal = OutboxSignal()

    def unit_of_work() -> SqlProcessingUnitOfWork:
        return SqlProcessingUnitOfWork(database, kernel_tables, signal)

    copy = follow_organisation(database, org_tables, bus, unit_of_work, group=ORG_CONSUMER_GROUP)
    if directory is None:
        directory = copy.reader

    inbox = InboxQueries(unit_of_work, clock=clock)
    delegations = DelegationUseCases(unit_of_work, directory, clock=clock, zone=settings.zone)
    administration = TaskAdministration(unit_of_work, directory, clock=clock)
    sweeper = PeriodicJob(
        "delegation_windows_followed",
        delegations.follow_windows,
        interval_seconds=settings.delegation_sweep_seconds,
        due_in=delegations.seconds_to_next_window_change,
    )
    delegations.on_schedule_change = sweeper.wake
    reminders: PeriodicJob | None = None
    background = [sweeper]
    if settings.reminder_after_hours > 0:
        reminders = PeriodicJob(
            "task_reminders_sent",
            TaskReminders(
                unit_of_work,
                every=timedelta(hours=settings.reminder_after_hours),
                most=settings.reminder_max_count,
                clock=clock,
            ).remind_overdue,
            interval_seconds=settings.reminder_scan_seconds,
        )
        background.append(reminders)
    consumer = ConsumerRunner[SqlProcessingUnitOfWork](
        bus=bus,
        group=CONSUMER_GROUP,
        topics=TOPICS,
        handler=ProcessingEventHandler(clock=clock),
        unit_of_work=unit_of_work,
        dead_letters=BusDeadLetters(bus),
    )
    module = ServiceModule(
        name=SERVICE_NAME,
        routers=[
            inbox_router(inbox),
            delegations_router(delegations),
            admin_tasks_router(administration),
        ],
        database=database,
        migrations=MIGRATIONS,
        relay=OutboxRelay(database, kernel_tables, bus, signal),
        consumers=[consumer, copy.consumer],
        on_start=[job.start for job in background],
        on_stop=[job.stop for job in background],
    )
    return ProcessingService(
        module=module,
        inbox=inbox,
        delegations=delegations,
        administration=administration,
        pending_report=PendingTaskReport(unit_of_work, clock=clock),
        consumer=consumer,
        sweeper=sweeper,
        reminders=reminders,
        unit_of_work=unit_of_work,
    )
