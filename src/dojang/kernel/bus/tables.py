"""Tables every service database carries: its outbox and its record of processed events."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Delete,
    Insert,
    Integer,
    LargeBinary,
    MetaData,
    Select,
    String,
    Table,
    Text,
    Update,
    bindparam,
    delete,
    insert,
    select,
    update,
)

# SQLite only autoincrements INTEGER PRIMARY KEY; elsewhere a BIGINT is wanted.
AutoIncrementId = BigInteger().with_variant(Integer(), "sqlite")


@dataclass(frozen=True)
class KernelTables:
    """A service's outbox and processed-event tables, with the statements run on them.

    Every event goes through these statements, so each is built once: SQLAlchemy then finds
    it in its compiled cache without rebuilding it (and its cache key) for every call.
    """

    outbox: Table
    processed_events: Table

    @cached_property
    def add_to_outbox(self) -> Insert:
        """Rows: event_id, topic, message_key, payload, created_at."""
        return insert(self.outbox)

    @cached_property
    def unsent(self) -> Select[int, str, str, bytes]:
        """The oldest `limit` unsent outbox rows."""
        o = self.outbox.c
        return (
            select(o.seq, o.topic, o.message_key, o.payload)
            .where(o.sent_at.is_(None))
            .order_by(o.seq)
            .limit(bindparam("limit"))
        )

    @cached_property
    def mark_sent(self) -> Update:
        """Parameters: seqs (a list), sent_at."""
        o = self.outbox.c
        return (
            update(self.outbox)
            .where(o.seq.in_(bindparam("seqs", expanding=True)))
            .values(sent_at=bindparam("sent_at"))
        )

    @cached_property
    def forget_sent(self) -> Delete:
        """Parameters: cutoff; deletes the rows sent before it."""
        o = self.outbox.c
        return delete(self.outbox).where(o.sent_at.is_not(None), o.sent_at < bindparam("cutoff"))

    @cached_property
    def processed_among(self) -> Select[str]:
        """Parameters: group, event_ids (a list)."""
        p = self.processed_events.c
        return select(p.event_id).where(
            p.consumer_group == bindparam("group"),
            p.event_id.in_(bindparam("event_ids", expanding=True)),
        )

    @cached_property
    def add_processed(self) -> Insert:
        """Rows: consumer_group, event_id, event_type, processed_at, note."""
        return insert(self.processed_events)


def define_kernel_tables(metadata: MetaData) -> KernelTables:
    """Add the outbox and processed-event tables to a service's metadata."""
    outbox = Table(
        "outbox",
        metadata,
        Column("seq", AutoIncrementId, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("message_key", String(200), nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("sent_at", DateTime(timezone=True), nullable=True, index=True),
    )
    processed = Table(
        "processed_events",
        metadata,
        Column("consumer_group", String(200), primary_key=True),
        Column("event_id", String(36), primary_key=True),
        Column("event_type", String(200), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False),
        Column("note", Text, nullable=True),
    )
    return KernelTables(outbox=outbox, processed_events=processed)
