"""The employee database: departments, employees, attendance, outbox, processed events.

Revision ID: 0001
Revises:
Create Date: 2026-01-05 09:00:00
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


def upgrade() -> None:
    op.create_table(
        "departments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column(
            "parent_id",
            sa.String(36),
            sa.ForeignKey("departments.id", name="fk_departments_parent"),
            nullable=True,
        ),
        sa.Column("head_id", sa.String(36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("name", name="uq_departments_name"),
    )
    op.create_index("ix_departments_parent_id", "departments", ["parent_id"])

    op.create_table(
        "employees",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column(
            "department_id",
            sa.String(36),
            sa.ForeignKey("departments.id", name="fk_employees_department"),
            nullable=True,
        ),
        sa.Column("position", sa.String(32), nullable=False),
        sa.Column(
            "manager_id",
            sa.String(36),
            sa.ForeignKey("employees.id", name="fk_employees_manager"),
            nullable=True,
        ),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("email", name="uq_employees_email"),
    )
    op.create_index("ix_employees_name_id", "employees", ["name", "id"])
    op.create_index("ix_employees_department_id", "employees", ["department_id"])
    op.create_index("ix_employees_manager_id", "employees", ["manager_id"])

    op.create_table(
        "attendance",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "employee_id",
            sa.String(36),
            sa.ForeignKey("employees.id", name="fk_attendance_employee"),
            nullable=False,
        ),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("check_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("check_out_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("employee_id", "work_date", name="uq_attendance_employee_day"),
    )

    create_kernel_tables_v1()


def downgrade() -> None:
    drop_kernel_tables_v1()
    op.drop_table("attendance")
    # the indexes on manager_id, department_id and parent_id go with their tables: MySQL
    # keeps an index that a foreign key needs for as long as the key exists
    op.drop_index("ix_employees_name_id", table_name="employees")
    op.drop_table("employees")
    op.drop_table("departments")
