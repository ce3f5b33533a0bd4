"""Round trips to the MongoDB-wire server, counted by command name (pymongo's command
monitoring): `dojang_mongodb_commands_total{command}` on `/metrics`, and `counts` for tests
that pin how many commands an operation costs."""

from __future__ import annotations

from collections import Counter as Tally

from prometheus_client import Counter
from pymongo import monitoring

COMMANDS = Counter(
    "dojang_mongodb_commands", "Commands sent to the approval MongoDB server", ["command"]
)


class CommandCounts(monitoring.CommandListener):
    """Counts every command the client starts, by name."""

    def __init__(self) -> None:
        self.counts: Tally[str] = Tally()
        self._series: dict[str, Counter] = {}

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        """Count one command."""
        name = event.command_name
        self.counts[name] += 1
        series = self._series.get(name)
        if series is None:
            series = self._series[name] = COMMANDS.labels(command=name)
        series.inc()

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        """Nothing more to count."""

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        """Nothing more to count."""

    def total(self) -> int:
        """Every command counted so far."""
        return sum(self.counts.values())
