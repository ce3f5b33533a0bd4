"""Deciding in the approval store: the copy of delegations, and first answers by key.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 10:00:00
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
        "approval_delegations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("delegator_id", sa.String(36), nullable=False),
        sa.Column("delegate_id", sa.String(36), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "ix_approval_delegations_delegator", "approval_delegations", ["delegator_id", "ends_at"]
    )
    op.create_table(
        "approval_decision_answers",
        sa.Column("caller_id", sa.String(36), primary_key=True),
        sa.Column("idempotency_key", sa.String(200), primary_key=True),
        sa.Column("request", sa.String(120), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("approval_decision_answers")
    op.drop_index("ix_approval_delegations_delegator", table_name="approval_delegations")
    op.drop_table("approval_delegations")
