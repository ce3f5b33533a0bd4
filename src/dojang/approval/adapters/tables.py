"""The approval database: SQLAlchemy Core tables, with the kernel's outbox beside them.

A document is stored whole as JSON in `body` (the same data a MongoDB document holds), with
the columns that lists filter on copied beside it, and `revision` for optimistic saves.
`approval_participants` indexes who is involved in which document, for visibility;
`approval_box_entries` holds one row per (viewer, box, document) so that a box's page is a
walk of its primary key from the newest document down (service/boxes.py says which).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

from dojang.kernel.bus.tables import define_kernel_tables
from dojang.kernel.org.tables import define_org_tables

metadata = MetaData()

ID = String(36)

documents = Table(
    "approval_documents",
    metadata,
    Column("id", ID, primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("form", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("requester_id", ID, nullable=False),
    Column("title", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("number", String(40), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=True),
    Column("completed_at", DateTime(timezone=True), nullable=True),
    Column("body", JSON, nullable=False),
    UniqueConstraint("number", name="uq_approval_documents_number"),
    Index("ix_approval_documents_requester", "requester_id", "status"),
)

participants = Table(
    "approval_participants",
    metadata,
    Column(
        "document_id",
        ID,
        ForeignKey("approval_documents.id", name="fk_approval_participants_document"),
        primary_key=True,
    ),
    Column("employee_id", ID, primary_key=True),
    Column("role", String(16), primary_key=True),
    Index("ix_approval_participants_employee", "employee_id", "role"),
)

box_entries = Table(
    "approval_box_entries",
    metadata,
    Column("viewer_id", ID, primary_key=True),
    Column("box", String(16), primary_key=True),
    Column(
        "document_id",
        ID,
        ForeignKey("approval_documents.id", name="fk_approval_box_entries_document"),
        primary_key=True,
    ),
)

number_counters = Table(
    "approval_number_counters",
    metadata,
    Column("form", String(20), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_number", Integer, nullable=False),
)

delegations = Table(
    "approval_delegations",
    metadata,
    Column("id", ID, primary_key=True),
    Column("delegator_id", ID, nullable=False),
    Column("delegate_id", ID, nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Index("ix_approval_delegations_delegator", "delegator_id", "ends_at"),
)

# The first answer to a decision sent with an Idempotency-Key, so a retry gets it again.
decision_answers = Table(
    "approval_decision_answers",
    metadata,
    Column("caller_id", ID, primary_key=True),
    Column("idempotency_key", String(200), primary_key=True),
    Column("request", String(120), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("document", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

kernel_tables = define_kernel_tables(metadata)
org_tables = define_org_tables(metadata)

# 결재 규정: one row per form code, the policy as JSON, `revision` for checked edits
policies = Table(
    "approval_policies",
    metadata,
    Column("form", String(40), primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("body", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", ID, nullable=False),
)
