"""The approval database: documents, participants, number counters, outbox, processed events.

Revision ID: 0001
Revises:
Create Date: 2026-01-12 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from dojang.kernel.migrations import create_kernel_tables_v1, drop_kernel_tables_v1

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "approval_documents",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("requester_id", sa.String(36), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(40), nullable=True),
        sa.Column("leave_year", sa.Integer(), nullable=True),
        sa.Column("leave_days", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.UniqueConstraint("number", name="uq_approval_documents_number"),
    )
    op.create_index(
        "ix_approval_documents_requester", "approval_documents", ["requester_id", "status"]
    )

    op.create_table(
        "approval_participants",
        sa.Column(
            "document_id",
            sa.String(36),
            sa.ForeignKey("approval_documents.id", name="fk_approval_participants_document"),
            primary_key=True,
        ),
        sa.Column("employee_id", sa.String(36), primary_key=True),
        sa.Column("role", sa.String(16), primary_key=True),
    )
    op.create_index(
        "ix_approval_participants_employee", "approval_participants", ["employee_id", "role"]
    )

    op.create_table(
        "approval_number_counters",
        sa.Column("form", sa.String(20), primary_key=True),
        sa.Column("year", sa.Integer(), primary_key=True),
        sa.Column("last_number", sa.Integer(), nullable=False),
    )

    create_kernel_tables_v1()


def downgrade() -> None:
    drop_kernel_tables_v1()
    op.drop_table("approval_number_counters")
    op.drop_index("ix_approval_participants_employee", table_name="approval_participants")
    op.drop_table("approval_participants")
    op.drop_index("ix_approval_documents_requester", table_name="approval_documents")
    op.drop_table("approval_documents")
