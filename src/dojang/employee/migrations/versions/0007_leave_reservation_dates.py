"""Leave reservations keep the dates they hold, so that one employee's leave cannot overlap.

Reservations made before this have no dates; they never refuse an overlap.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 13:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("leave_reservations") as batch:
        batch.add_column(sa.Column("start_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("end_date", sa.Date(), nullable=True))
    op.create_index(
        "ix_leave_reservations_employee_dates",
        "leave_reservations",
        ["employee_id", "start_date", "end_date"],
    )


def downgrade() -> None:
    with op.batch_alter_table("leave_reservations") as batch:
        # MySQL keeps an index a foreign key needs: the key has ix_..._year_status as well
        batch.drop_index("ix_leave_reservations_employee_dates")
        batch.drop_column("end_date")
        batch.drop_column("start_date")
