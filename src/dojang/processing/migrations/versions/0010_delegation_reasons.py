"""Why a delegator is away: a reason (출장, 휴가, 교육, 병가, 기타) and a free-text note.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 01:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # delegations granted before keep no reason (null): nobody was asked
    with op.batch_alter_table("delegations") as batch:
        batch.add_column(sa.Column("reason", sa.String(16), nullable=True))
        batch.add_column(sa.Column("reason_note", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("delegations") as batch:
        batch.drop_column("reason_note")
        batch.drop_column("reason")
