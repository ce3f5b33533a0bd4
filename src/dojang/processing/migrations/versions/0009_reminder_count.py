"""How many reminders each task's holder was sent: at most a few, each after a longer wait.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 13:50:00
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
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(
            sa.Column("reminders_sent", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
    # a task reminded before counts as reminded once
    op.execute("UPDATE tasks SET reminders_sent = 1 WHERE reminded_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("reminders_sent")
