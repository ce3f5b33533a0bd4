"""Documents lose their copied leave year and days: the employee service counts leave.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("approval_documents") as batch:
        batch.drop_column("leave_days")
        batch.drop_column("leave_year")


def downgrade() -> None:
    with op.batch_alter_table("approval_documents") as batch:
        batch.add_column(sa.Column("leave_year", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("leave_days", sa.Float(), nullable=True))
