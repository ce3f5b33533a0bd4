"""The organisation's lock row: changes to who reports to whom take turns.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "org_lock",
        sa.Column("name", sa.String(32), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("org_lock")
