"""Each recipient's notifications are numbered 1, 2, 3, ... in commit order.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 10:00:00

Existing notifications are numbered per recipient by `created_at`, then `id`, and each
recipient's counter starts after the last of them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_notifications = sa.table(
    "notifications",
    sa.column("id", sa.String),
    sa.column("recipient_id", sa.String),
    sa.column("created_at", sa.DateTime),
    sa.column("sequence", sa.Integer),
)
_sequences = sa.table(
    "notification_sequences",
    sa.column("recipient_id", sa.String),
    sa.column("last_sequence", sa.Integer),
)


def upgrade() -> None:
    op.create_table(
        "notification_sequences",
        sa.Column("recipient_id", sa.String(64), nullable=False),
        sa.Column("last_sequence", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("recipient_id", name="pk_notification_sequences"),
    )
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("sequence", sa.Integer(), nullable=True))
    _number_existing_notifications()
    with op.batch_alter_table("notifications") as batch:
        batch.alter_column("sequence", existing_type=sa.Integer(), nullable=False)
        batch.create_unique_constraint(
            "uq_notifications_recipient_sequence", ["recipient_id", "sequence"]
        )


def _number_existing_notifications() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_notifications.c.id, _notifications.c.recipient_id).order_by(
            _notifications.c.recipient_id, _notifications.c.created_at, _notifications.c.id
        )
    ).all()
    last: dict[str, int] = {}
    numbered: list[dict[str, object]] = []
    for notification_id, recipient_id in rows:
        last[recipient_id] = last.get(recipient_id, 0) + 1
        numbered.append({"row_id": notification_id, "number": last[recipient_id]})
    if numbered:
        connection.execute(
            _notifications.update()
            .where(_notifications.c.id == sa.bindparam("row_id"))
            .values(sequence=sa.bindparam("number")),
            numbered,
        )
        connection.execute(
            _sequences.insert(),
            [{"recipient_id": r, "last_sequence": n} for r, n in last.items()],
        )


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.drop_constraint("uq_notifications_recipient_sequence", type_="unique")
        batch.drop_column("sequence")
    op.drop_table("notification_sequences")
