"""How long a document keeps the event ids applied to it and the answers it remembers.

Each applied id has its time in the parallel list `applied_at`, each answer its `kept_at`
(seconds since the epoch, when its save was written), and the document's `prune_due_at` is
the first moment one of them may go. A save before that moment pushes its new entries (and
lowers `prune_due_at` with `$min`: both in the one update); the first save after it reads
the lists at its revision and sets them without what has run out. That read and the write
are at one revision, guarded as every save is, so nothing pushed meanwhile can be lost.

- An answer is kept `answers` long (24 h by default): a retry of a decision within it
  hears the first answer; later the decision is taken again on the line as it then is.
- An applied id is kept `applied` long (14 days by default), which must be at least the
  `approval-results` topic's retention plus its dead-letter topic's (Kafka keeps 7 days by
  default): an event applied at t was published before t, so the bus can deliver it again
  only until t + retention, and a replayed dead letter of it (another group failed it, at
  most a retention later) only for one retention of the dead-letter topic more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Retention:
    """How long, in seconds, applied event ids and remembered answers are kept."""

    applied: float = 14 * 24 * 3600.0
    answers: float = 24 * 3600.0

    def due(self, applied_at: list[float], answers: list[dict[str, Any]]) -> float | None:
        """The first moment one of these entries may be forgotten; None if there are none."""
        dues = [at + self.applied for at in applied_at]
        dues += [answer["kept_at"] + self.answers for answer in answers]
        return min(dues, default=None)

    def kept(
        self, record: dict[str, Any], now: float
    ) -> tuple[list[str], list[float], list[dict[str, Any]]]:
        """The applied ids (with their times) and the answers of a stored document that are
        still to be kept at `now`. Entries stored without a time count from `now`."""
        applied: list[str] = record.get("applied", [])
        times: list[float] = record.get("applied_at", [])
        times = [now] * (len(applied) - len(times)) + times  # untimed entries came first
        pairs = zip(applied, times, strict=True)
        kept = [(key, at) for key, at in pairs if at + self.applied > now]
        answers = [
            {"kept_at": now, **answer}
            for answer in record.get("answers", [])
            if answer.get("kept_at", now) + self.answers > now
        ]
        return [key for key, _ in kept], [at for _, at in kept], answers
