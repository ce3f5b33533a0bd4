"""Wires a service's copy of the organisation: its reader and the consumer that feeds it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from dojang.kernel.bus.consumer import ConsumerRunner, IdempotentUnitOfWork
from dojang.kernel.bus.dead_letters import BusDeadLetters
from dojang.kernel.bus.port import EventBus
from dojang.kernel.db import Database
from dojang.kernel.org.applier import TOPIC, OrgEventApplier, OrgUnitOfWork, is_org_event
from dojang.kernel.org.reader import OrgReadModel
from dojang.kernel.org.tables import OrgTables


class _CopyUnitOfWork(IdempotentUnitOfWork, OrgUnitOfWork, Protocol):
    """A unit of work the consumer runner and the applier can both use."""


U = TypeVar("U", bound=_CopyUnitOfWork)


@dataclass
class OrgCopy(Generic[U]):
    """The copy's reader (the service's `EmployeeDirectory` and `OrgChart`) and its consumer."""

    reader: OrgReadModel
    consumer: ConsumerRunner[U]


def follow_organisation(
    db: Database,
    tables: OrgTables,
    bus: EventBus,
    unit_of_work: Callable[[], U],
    *,
    group: str,
) -> OrgCopy[U]:
    """A copy of the organisation in `db`, fed from `employee-events` as consumer `group`."""
    reader = OrgReadModel(db, tables)
    consumer = ConsumerRunner[U](
        bus=bus,
        group=group,
        topics=[TOPIC],
        handler=OrgEventApplier(tables, on_applied=reader.invalidate),
        unit_of_work=unit_of_work,
        dead_letters=BusDeadLetters(bus),
        accepts=is_org_event,
    )
    return OrgCopy(reader=reader, consumer=consumer)
