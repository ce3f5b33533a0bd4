"""Processed event ids by age, so that retention deletes the old ones without a scan.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 13:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from dojang.kernel.migrations import create_processed_age_index, drop_processed_age_index

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_processed_age_index()


def downgrade() -> None:
    drop_processed_age_index()
