"""대결 as the approval-request service knows it: a copy of approval-processing's delegations.

Processing owns delegations and announces every grant and revocation; this copy only lets
a stage that opens put each slot straight into the hands of whoever stands in for its
approver, so a decision sent at once after the submission is taken, not refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class KnownDelegation:
    """One delegation: `delegate_id` decides for `delegator_id` from `starts_at` until
    before `ends_at`, unless revoked."""

    id: str
    delegator_id: str
    delegate_id: str
    starts_at: datetime
    ends_at: datetime
    revoked_at: datetime | None = None

    def is_active(self, at: datetime) -> bool:
        """Whether the delegate stands in for the delegator at `at`."""
        return self.revoked_at is None and self.starts_at <= at < self.ends_at
