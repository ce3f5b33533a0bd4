"""The processing database: SQLAlchemy Core tables, with the kernel's tables beside them."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from dojang.kernel.bus.tables import define_kernel_tables
from dojang.kernel.db import UtcDateTime
from dojang.kernel.org.tables import define_org_tables
from dojang.processing.domain.tasks import MAX_TITLE_LENGTH

metadata = MetaData()

ID = String(36)
EMPLOYEE_ID = String(64)

tasks = Table(
    "tasks",
    metadata,
    Column("id", ID, primary_key=True),
    Column("approval_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("stage_index", Integer, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("title", String(MAX_TITLE_LENGTH), nullable=False),
    Column("form", String(32), nullable=False),
    Column("requester_id", EMPLOYEE_ID, nullable=False),
    Column("requester_name", String(100), nullable=False),
    Column("approver_id", EMPLOYEE_ID, nullable=False),
    Column("assignee_id", EMPLOYEE_ID, nullable=False),
    Column("on_behalf_of", EMPLOYEE_ID, nullable=True),
    # the delegation the task was handed over under; it goes back when that one ends
    Column("delegation_id", ID, nullable=True),
    Column("final_authority", Boolean, nullable=False),
    Column("status", String(16), nullable=False),
    Column("decided_by", EMPLOYEE_ID, nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("comment", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    # the last reminder to its holder, while pending (see service/reminders.py)
    Column("reminded_at", UtcDateTime, nullable=True),
    Column("reminders_sent", Integer, nullable=False, server_default=text("0")),
    # compared and set by every write, so a lost race is seen and holder reports are ordered
    Column("revision", Integer, nullable=False, server_default=text("1")),
    UniqueConstraint(
        "approval_id", "version", "stage_index", "approver_id", name="uq_tasks_stage_approver"
    ),
    Index("ix_tasks_assignee_status_created", "assignee_id", "status", "created_at", "id"),
    Index("ix_tasks_decided_by_decided", "decided_by", "decided_at", "id"),
    Index("ix_tasks_delegation_id", "delegation_id"),
    Index("ix_tasks_status_created", "status", "created_at"),
)

delegations = Table(
    "delegations",
    metadata,
    Column("id", ID, primary_key=True),
    Column("delegator_id", EMPLOYEE_ID, nullable=False),
    Column("delegate_id", EMPLOYEE_ID, nullable=False),
    Column("starts_at", UtcDateTime, nullable=False),
    Column("ends_at", UtcDateTime, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("reason", String(16), nullable=True),  # DelegationReason; null before 0010
    Column("reason_note", String(200), nullable=True),
    # each side's delegations, newest first (a list walks one per side)
    Index("ix_delegations_delegator_created", "delegator_id", "created_at", "id"),
    Index("ix_delegations_delegate_created", "delegate_id", "created_at", "id"),
    Index("ix_delegations_ends_at", "ends_at"),
)

# one row per employee who ever delegated: every grant locks its delegator's row before it
# checks for overlapping windows, so two grants of one delegator take turns (kernel.locks)
delegators = Table(
    "delegators",
    metadata,
    Column("delegator_id", EMPLOYEE_ID, primary_key=True),
)

# who left, and to whom their work went: learnt from `employee.deactivated`
departures = Table(
    "departures",
    metadata,
    Column("employee_id", EMPLOYEE_ID, primary_key=True),
    Column("manager_id", EMPLOYEE_ID, nullable=True),
    Column("departed_at", UtcDateTime, nullable=False),
)

kernel_tables = define_kernel_tables(metadata)
org_tables = define_org_tables(metadata)
