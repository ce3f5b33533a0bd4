"""Task reminders: when a pending task's holder was last reminded, and an index to find them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 09:00:00
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
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_tasks_status_created", "tasks", ["status", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_tasks_status_created", table_name="tasks")
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("reminded_at")
