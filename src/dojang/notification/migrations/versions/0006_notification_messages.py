"""Notifications keep their message as a template and its values, for each reader's language.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 13:00:00

Existing rows keep their English sentence in `message` and have no `message_i18n`; they are
shown as they were written.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("message_i18n", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("message_i18n")
