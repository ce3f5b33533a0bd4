"""Each side's delegations in creation order: a list walks one index per side.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_delegations_delegator_created", "delegations", ["delegator_id", "created_at", "id"]
    )
    op.create_index(
        "ix_delegations_delegate_created", "delegations", ["delegate_id", "created_at", "id"]
    )
    op.drop_index("ix_delegations_delegator_id", table_name="delegations")
    op.drop_index("ix_delegations_delegate_id", table_name="delegations")


def downgrade() -> None:
    op.create_index("ix_delegations_delegate_id", "delegations", ["delegate_id"])
    op.create_index("ix_delegations_delegator_id", "delegations", ["delegator_id"])
    op.drop_index("ix_delegations_delegate_created", table_name="delegations")
    op.drop_index("ix_delegations_delegator_created", table_name="delegations")
