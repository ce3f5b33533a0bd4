"""결재 규정: the approval policy of each form, as data, with a revision for checked edits.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 00:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "approval_policies",
        sa.Column("form", sa.String(40), primary_key=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(36), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("approval_policies")
