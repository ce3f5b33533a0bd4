"""Leave reservations: one per version of a leave document; balances lose `pending`.

`pending` is now what the held reservations add up to. Days that were pending when this
runs belonged to documents submitted without a reservation; their approval still counts
them used, but until it comes they no longer count as pending.

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
    op.create_table(
        "leave_reservations",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "employee_id",
            sa.String(36),
            sa.ForeignKey("employees.id", name="fk_leave_reservations_employee"),
            nullable=False,
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("days", sa.Numeric(6, 1), nullable=False),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint(
            "document_id", "version", name="uq_leave_reservations_document_version"
        ),
    )
    op.create_index(
        "ix_leave_reservations_employee_year_status",
        "leave_reservations",
        ["employee_id", "year", "status"],
    )
    with op.batch_alter_table("leave_balances") as batch:
        batch.drop_column("pending")


def downgrade() -> None:
    with op.batch_alter_table("leave_balances") as batch:
        batch.add_column(sa.Column("pending", sa.Numeric(6, 1), nullable=False, server_default="0"))
    # its index (employee_id first) goes with the table: MySQL keeps an index that a foreign
    # key needs for as long as the key exists
    op.drop_table("leave_reservations")
