"""An unread counter per recipient, and read notifications indexed by age for retention.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 13:45:00
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
    with op.batch_alter_table("notification_sequences") as batch:
        batch.add_column(sa.Column("unread", sa.Integer(), nullable=False, server_default="0"))
    op.execute(
        "UPDATE notification_sequences SET unread = (SELECT count(*) FROM notifications n "
        "WHERE n.recipient_id = notification_sequences.recipient_id AND n.read_at IS NULL)"
    )
    op.create_index("ix_notifications_read_at", "notifications", ["read_at"])


def downgrade() -> None:
    op.drop_index("ix_notifications_read_at", table_name="notifications")
    with op.batch_alter_table("notification_sequences") as batch:
        batch.drop_column("unread")
