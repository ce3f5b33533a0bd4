"""Gauges of what waits: each outbox's backlog and the age of its oldest unsent event, and
each consumer group's lag per topic, sampled every few seconds by a `PeriodicJob`.

The relays and the bus are asked (`pending`, `oldest_pending`, `lag`): on Kafka, lag is the
end offsets less the group's committed positions; on the embedded bus, the log's last
offset less the group's committed one. The age is computed when `/metrics` is scraped,
from the last sampled oldest event, so it keeps growing while a relay is stuck.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from prometheus_client import Gauge

from dojang.kernel.background import PeriodicJob
from dojang.kernel.bus.port import EventBus
from dojang.kernel.service import ServiceModule

OUTBOX_PENDING = Gauge(
    "dojang_outbox_pending_events", "Committed events not yet published", ["service"]
)
OUTBOX_OLDEST_AGE = Gauge(
    "dojang_outbox_oldest_unsent_age_seconds",
    "Age of the oldest committed event not yet published (0: none waits)",
    ["service"],
)
CONSUMER_LAG = Gauge(
    "dojang_bus_consumer_lag",
    "Records of a topic a consumer group has not committed yet",
    ["group", "topic"],
)


class _OldestAge:
    """The age, at scrape time, of the oldest unsent event last sampled."""

    def __init__(self) -> None:
        self.since: float | None = None  # epoch seconds

    def __call__(self) -> float:
        return 0.0 if self.since is None else max(time.time() - self.since, 0.0)


class BacklogSampler:
    """Samples the backlog of `modules` (their relays and consumers) on `bus`."""

    def __init__(self, modules: Sequence[ServiceModule], bus: EventBus) -> None:
        self._modules = list(modules)
        self._bus = bus
        self._ages: dict[str, _OldestAge] = {}
        for module in self._modules:
            if module.relay is not None:
                age = self._ages[module.name] = _OldestAge()
                OUTBOX_OLDEST_AGE.labels(module.name).set_function(age)

    async def sample(self) -> int:
        """Read every backlog once and set the gauges; returns 0 (nothing to log)."""
        for module in self._modules:
            if module.relay is not None:
                OUTBOX_PENDING.labels(module.name).set(await module.relay.pending())
                oldest = await module.relay.oldest_pending()
                self._ages[module.name].since = None if oldest is None else oldest.timestamp()
            for consumer in module.consumers:
                for topic in consumer.topics:
                    lag = await self._bus.lag(consumer.group, topic)
                    CONSUMER_LAG.labels(consumer.group, topic).set(lag)
        return 0


def backlog_job(
    modules: Sequence[ServiceModule], bus: EventBus, *, interval_seconds: float = 15.0
) -> PeriodicJob:
    """The job that keeps the backlog gauges of `modules` fresh."""
    return PeriodicJob(
        "backlog_sampled", BacklogSampler(modules, bus).sample, interval_seconds=interval_seconds
    )
