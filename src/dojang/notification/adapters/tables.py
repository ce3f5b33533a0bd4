"""The notification database: SQLAlchemy Core tables, with the kernel's tables beside them."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

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
    # the sentence in English, and as a message (template and values, JSON) to render in each
    # reader's language; rows written before messages were stored have no `message_i18n`
    Column("message", Text, nullable=False),
    Column("message_i18n", Text, nullable=True),
    # the approval event that caused it: one notification per person per event
    Column("event_id", String(36), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True), nullable=True),
    # the recipient's n-th notification, in commit order (see `notification_sequences`)
    Column("sequence", Integer, nullable=False),
    UniqueConstraint("event_id", "recipient_id", name="uq_notifications_event_recipient"),
    UniqueConstraint("recipient_id", "sequence", name="uq_notifications_recipient_sequence"),
    Index("ix_notifications_recipient_created", "recipient_id", "created_at", "id"),
    Index("ix_notifications_recipient_read", "recipient_id", "read_at"),
    # retention deletes read notifications by age (docs/retention.md)
    Index("ix_notifications_read_at", "read_at"),
)

# The last sequence number each recipient was given. Taking the next one locks the row until
# commit, so a recipient's numbers are handed out in the order their transactions commit.
# `unread` counts the recipient's unread notifications, kept with every write that changes
# it, so that the badge reads one row instead of counting.
notification_sequences = Table(
    "notification_sequences",
    metadata,
    Column("recipient_id", String(64), primary_key=True),
    Column("last_sequence", Integer, nullable=False, server_default="0"),
    Column("unread", Integer, nullable=False, server_default="0"),
)

kernel_tables = define_kernel_tables(metadata)
