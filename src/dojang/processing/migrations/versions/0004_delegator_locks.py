"""Delegator lock rows: grants of one delegator take turns for the overlap check.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "delegators",
        sa.Column("delegator_id", sa.String(64), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("delegators")
