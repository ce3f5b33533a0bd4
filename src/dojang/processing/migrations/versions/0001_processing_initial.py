"""The processing database: tasks, delegations, departures, outbox, processed events.

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

INSTANT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "tasks",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("approval_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("stage_index", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("form", sa.String(32), nullable=False),
        sa.Column("requester_id", sa.String(64), nullable=False),
        sa.Column("requester_name", sa.String(100), nullable=False),
        sa.Column("approver_id", sa.String(64), nullable=False),
        sa.Column("assignee_id", sa.String(64), nullable=False),
        sa.Column("on_behalf_of", sa.String(64), nullable=True),
        sa.Column("delegation_id", sa.String(36), nullable=True),
        sa.Column("final_authority", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("decided_at", INSTANT, nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.UniqueConstraint(
            "approval_id",
            "version",
            "stage_index",
            "approver_id",
            name="uq_tasks_stage_approver",
        ),
    )
    op.create_index(
        "ix_tasks_assignee_status_created",
        "tasks",
        ["assignee_id", "status", "created_at", "id"],
    )
    op.create_index("ix_tasks_decided_by_decided", "tasks", ["decided_by", "decided_at", "id"])
    op.create_index("ix_tasks_delegation_id", "tasks", ["delegation_id"])

    op.create_table(
        "delegations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("delegator_id", sa.String(64), nullable=False),
        sa.Column("delegate_id", sa.String(64), nullable=False),
        sa.Column("starts_at", INSTANT, nullable=False),
        sa.Column("ends_at", INSTANT, nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("revoked_at", INSTANT, nullable=True),
    )
    op.create_index("ix_delegations_delegator_id", "delegations", ["delegator_id"])
    op.create_index("ix_delegations_delegate_id", "delegations", ["delegate_id"])
    op.create_index("ix_delegations_ends_at", "delegations", ["ends_at"])

    op.create_table(
        "departures",
        sa.Column("employee_id", sa.String(64), primary_key=True),
        sa.Column("manager_id", sa.String(64), nullable=True),
        sa.Column("departed_at", INSTANT, nullable=False),
    )

    create_kernel_tables_v1()


def downgrade() -> None:
    drop_kernel_tables_v1()
    op.drop_table("departures")
    op.drop_index("ix_delegations_ends_at", table_name="delegations")
    op.drop_index("ix_delegations_delegate_id", table_name="delegations")
    op.drop_index("ix_delegations_delegator_id", table_name="delegations")
    op.drop_table("delegations")
    op.drop_index("ix_tasks_delegation_id", table_name="tasks")
    op.drop_index("ix_tasks_decided_by_decided", table_name="tasks")
    op.drop_index("ix_tasks_assignee_status_created", table_name="tasks")
    op.drop_table("tasks")
