"""The bus the settings choose: Kafka when `kafka_bootstrap` is set, else the embedded log."""

from __future__ import annotations

from dojang.contracts.approval_events import TOPIC as APPROVAL_EVENTS
from dojang.contracts.approval_requests import TOPIC as APPROVAL_REQUESTS
from dojang.contracts.approval_results import TOPIC as APPROVAL_RESULTS
from dojang.contracts.employee_events import TOPIC as EMPLOYEE_EVENTS
from dojang.kernel.bus.port import EventBus
from dojang.kernel.db import Database
from dojang.kernel.settings import KernelSettings

TOPICS = (EMPLOYEE_EVENTS, APPROVAL_REQUESTS, APPROVAL_RESULTS, APPROVAL_EVENTS)
"""Every topic Dojang's services talk over; the Kafka bus creates them (and their dead
letters) at start."""


def configured_bus(settings: KernelSettings) -> tuple[EventBus, Database | None]:
    """The bus of these settings and, for the embedded log, the database it lives in (the
    caller disposes of it after stopping the bus)."""
    # each bus imported only when chosen: aiokafka costs a process that does not use it
    if settings.kafka_bootstrap:
        from dojang.kernel.bus.kafka import KafkaBus

        kafka = KafkaBus(
            settings.kafka_bootstrap,
            topics=TOPICS,
            partitions=settings.kafka_partitions,
            replication_factor=settings.kafka_replication_factor,
            namespace=settings.kafka_namespace,
        )
        return kafka, None
    from dojang.kernel.bus.local import LocalBus

    database = Database(settings.sqlite_url("bus"))
    return LocalBus(database), database
