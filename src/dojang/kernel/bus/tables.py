"""Tables every service database carries: its outbox, the outbox's lock rows, and its record
of processed events."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Delete,
    Index,
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
    or_,
    select,
    update,
)

# SQLite only autoincrements INTEGER PRIMARY KEY; elsewhere a BIGINT is wanted.
AutoIncrementId = BigInteger().with_variant(Integer(), "sqlite")

APPEND_LOCK = "append"
"""The `outbox_locks` row a transaction locks before it appends to the outbox (on a server
database), so that rows become visible in `seq` order (see docs/messaging.md)."""

RELAY_LEASE = "relay"
"""The `outbox_locks` row whose `holder` is the one relay publishing, until `expires_at`."""


@dataclass(frozen=True)
class KernelTables:
    """A service's outbox and processed-event tables, with the statements run on them.

    Every event goes through these statements, so each is built once: SQLAlchemy then finds
    it in its compiled cache without rebuilding it (and its cache key) for every call.
    """

    outbox: Table
    outbox_locks: Table
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
    def take_lease(self) -> Update:
        """Parameters: relay, now, until; one row changed if `relay` now holds the lease."""
        lock = self.outbox_locks.c
        return (
            update(self.outbox_locks)
            .where(
                lock.name == RELAY_LEASE,
                or_(
                    lock.holder == bindparam("relay"),
                    lock.holder.is_(None),
                    lock.expires_at <= bindparam("now"),
                ),
            )
            .values(holder=bindparam("relay"), expires_at=bindparam("until"))
        )

    @cached_property
    def release_lease(self) -> Update:
        """Parameters: relay; frees the lease if `relay` holds it."""
        lock = self.outbox_locks.c
        return (
            update(self.outbox_locks)
            .where(lock.name == RELAY_LEASE, lock.holder == bindparam("relay"))
            .values(holder=None, expires_at=None)
        )

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
    """Add the outbox, its lock rows and the processed-event tables to a service's metadata."""
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
    # lock rows of the outbox, by name: APPEND_LOCK and RELAY_LEASE
    outbox_locks = Table(
        "outbox_locks",
        metadata,
        Column("name", String(32), primary_key=True),
        Column("holder", String(64), nullable=True),
        Column("expires_at", DateTime(timezone=True), nullable=True),
    )
    processed = Table(
        "processed_events",
        metadata,
        Column("consumer_group", String(200), primary_key=True),
        Column("event_id", String(36), primary_key=True),
        Column("event_type", String(200), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False),
        Column("note", Text, nullable=True),
        # retention deletes by age (kernel/retention.py)
        Index("ix_processed_events_processed_at", "processed_at"),
    )
    return KernelTables(outbox=outbox, outbox_locks=outbox_locks, processed_events=processed)
