"""The outbox's lock rows: commits append in turn, and one relay at a time holds the lease.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 14:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from dojang.kernel.migrations import create_outbox_locks_v1, drop_outbox_locks_v1

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_outbox_locks_v1()


def downgrade() -> None:
    drop_outbox_locks_v1()
