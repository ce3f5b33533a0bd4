"""The approval database: documents, participants, number counters, outbox, processed events.

Revision ID: 0001
Revises:
Create Date: 2026-01-12 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUTO_INCREMENT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


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

    # the kernel's tables, exactly as `define_kernel_tables` declares them
    op.create_table(
        "outbox",
        sa.Column("seq", AUTO_INCREMENT_ID, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("message_key", sa.String(200), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_outbox_sent_at", "outbox", ["sent_at"])
    op.create_table(
        "processed_events",
        sa.Column("consumer_group", sa.String(200), primary_key=True),
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("processed_events")
    op.drop_index("ix_outbox_sent_at", table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("approval_number_counters")
    op.drop_index("ix_approval_participants_employee", table_name="approval_participants")
    op.drop_table("approval_participants")
    op.drop_index("ix_approval_documents_requester", table_name="approval_documents")
    op.drop_table("approval_documents")
