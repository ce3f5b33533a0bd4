"""Leave balances: one row per employee and year (granted, used, pending days).

Revision ID: 0002
Revises: 0001
Create Date: 2026-03-02 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "leave_balances",
        sa.Column(
            "employee_id",
            sa.String(36),
            sa.ForeignKey("employees.id", name="fk_leave_balances_employee"),
            primary_key=True,
        ),
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("granted", sa.Numeric(6, 1), nullable=False),
        sa.Column("used", sa.Numeric(6, 1), nullable=False),
        sa.Column("pending", sa.Numeric(6, 1), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("leave_balances")
