"""Approval flow metrics: status transitions and the time from submission to the decision.

Counted after the transaction commits, so a rolled-back or retried attempt counts nothing;
a replica counts only the transitions it made itself (sum over replicas in the queries).
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from dojang.approval.domain.document import ApprovalDocument
from dojang.approval.domain.line import LineStatus

TRANSITIONS = Counter(
    "dojang_approval_transitions_total",
    "Documents entering a status: in_progress (submitted), approved, rejected or withdrawn",
    ["form", "status"],
)
TIME_TO_DECISION = Histogram(
    "dojang_approval_time_to_decision_seconds",
    "From (re)submission to the final approval or rejection, per form",
    ["form", "outcome"],
    buckets=(60, 300, 900, 3600, 4 * 3600, 8 * 3600, 86400, 3 * 86400, 7 * 86400, 30 * 86400),
)

_DECIDED = frozenset({LineStatus.APPROVED.value, LineStatus.REJECTED.value})


def count_transition(document: ApprovalDocument) -> None:
    """Count the status `document` has just reached (and committed)."""
    status = document.status.value
    TRANSITIONS.labels(document.form.value, status).inc()
    if status in _DECIDED and document.submitted_at and document.completed_at:
        waited = (document.completed_at - document.submitted_at).total_seconds()
        TIME_TO_DECISION.labels(document.form.value, status).observe(max(waited, 0.0))
