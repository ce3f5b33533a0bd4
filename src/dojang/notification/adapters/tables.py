"""The notification database: SQLAlchemy Core tables, with the kernel's tables beside them."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, MetaData, String, Table, Text, UniqueConstraint

from dojang.kernel.bus.tables import define_kernel_tables
from dojang.notification.domain.rules import MAX_TITLE_LENGTH

metadata = MetaData()

notifications = Table(
    "notifications",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("recipient_id", String(64), nullable=False),
    Column("type", String(64), nullable=False),
    Column("approval_id", String(64), nullable=False),
    Column("title", String(MAX_TITLE_LENGTH), nullable=False),
    Column("message", Text, nullable=False),
    # the approval event that caused it: one notification per person per event
    Column("event_id", String(36), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("event_id", "recipient_id", name="uq_notifications_event_recipient"),
    Index("ix_notifications_recipient_created", "recipient_id", "created_at", "id"),
    Index("ix_notifications_recipient_read", "recipient_id", "read_at"),
)

kernel_tables = define_kernel_tables(metadata)
