"""Identity's own copy of the organisation, and logins waiting for their employee.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from dojang.kernel.migrations import create_org_tables_v1, drop_org_tables_v1

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_org_tables_v1()
    op.create_table(
        "pending_logins",
        sa.Column("employee_id", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("employee_id", name="pk_pending_logins"),
    )
    op.create_index("ix_pending_logins_created_at", "pending_logins", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_pending_logins_created_at", table_name="pending_logins")
    op.drop_table("pending_logins")
    drop_org_tables_v1()
