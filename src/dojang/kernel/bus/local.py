"""The in-process bus: Kafka's contract on a durable log in the embedded SQLite data.

Each topic is one append-only partition; a message's offset is its position in the log,
so per-key order holds because every key's messages are in log order. A consumer group
keeps one committed offset per topic and sees each message once; what it fetched but had
not committed when the process stopped is delivered again, exactly as with Kafka. Each
topic is read from the group's own position on it, by the (topic, offset) index, so a
restart costs the same however far one topic of the group lags behind another.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    Column,
    CursorResult,
    DateTime,
    Index,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from dojang.kernel import json_codec
from dojang.kernel.bus.port import Headers, Message, Record
from dojang.kernel.bus.tables import AutoIncrementId
from dojang.kernel.db import Database

metadata = MetaData()

log = Table(
    "bus_log",
    metadata,
    Column("offset", AutoIncrementId, primary_key=True, autoincrement=True),
    Column("topic", String(200), nullable=False),
    Column("message_key", String(200), nullable=False),
    Column("value", LargeBinary, nullable=False),
    Column("headers", Text, nullable=True),  # JSON pairs; NULL when there are none
    Column("appended_at", DateTime(timezone=True), nullable=False),
    Index("ix_bus_log_topic_offset", "topic", "offset"),
)

committed = Table(
    "bus_offsets",
    metadata,
    Column("consumer_group", String(200), primary_key=True),
    Column("topic", String(200), primary_key=True),
    Column("offset", AutoIncrementId, nullable=False),
)


# Statements built once (every event passes through them)
_APPEND = insert(log)
_READ = (
    select(log.c.offset, log.c.topic, log.c.message_key, log.c.value, log.c.headers)
    .where(log.c.topic == bindparam("topic"), log.c.offset > bindparam("after"))
    .order_by(log.c.offset)
    .limit(bindparam("limit"))
)
_COMMITTED = select(committed.c.topic, committed.c.offset).where(
    committed.c.consumer_group == bindparam("group"),
    committed.c.topic.in_(bindparam("topics", expanding=True)),
)
_LAG = select(func.count()).where(
    log.c.topic == bindparam("topic"),
    log.c.offset
    > func.coalesce(
        select(committed.c.offset)
        .where(committed.c.consumer_group == bindparam("group"), committed.c.topic == log.c.topic)
        .scalar_subquery(),
        0,
    ),
)
# retention: the first message young enough to keep, the sizes of the newest messages and
# the offset of the message `skip` places below the newest; all walk (topic, offset)
_FIRST_KEPT_BY_AGE = (
    select(log.c.offset)
    .where(log.c.topic == bindparam("topic"), log.c.appended_at >= bindparam("at"))
    .order_by(log.c.offset)
    .limit(1)
)
_NEWEST_SIZES = (
    select(func.length(log.c.value))
    .where(log.c.topic == bindparam("topic"))
    .order_by(log.c.offset.desc())
    .limit(1_000)
)
_NTH_NEWEST = (
    select(log.c.offset)
    .where(log.c.topic == bindparam("topic"))
    .order_by(log.c.offset.desc())
    .limit(1)
    .offset(bindparam("skip"))
)
_PRUNE = log.delete().where(
    log.c.offset.in_(
        select(log.c.offset)
        .where(log.c.topic == bindparam("topic"), log.c.offset < bindparam("below"))
        .order_by(log.c.offset)
        .limit(bindparam("batch"))
    )
)
_upsert = sqlite_insert(committed)
_COMMIT = _upsert.on_conflict_do_update(
    index_elements=[committed.c.consumer_group, committed.c.topic],
    set_={"offset": func.max(committed.c.offset, _upsert.excluded.offset)},  # never backwards
)


class LocalSubscription:
    """One consumer group reading some topics of a `LocalBus`."""

    def __init__(self, bus: LocalBus, group: str, committed: dict[str, int]) -> None:
        self._bus = bus
        self.group = group
        self.topics = tuple(committed)
        self._committed = committed
        # per topic, the offset of the last record fetched
        self._positions = dict(committed)
        self._closed = False

    async def fetch(self, max_records: int, timeout: float) -> list[Record]:
        """The next records after this subscription's position, waiting up to `timeout`."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not self._closed:
            appended = self._bus.next_append(self.topics)
            try:
                records = await self._bus.read_from(self._positions, max_records)
                if records:
                    for record in records:
                        self._positions[record.topic] = record.offset
                    return records
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    return []
                # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation
                # that arrives just as the append wakes us, and stop() would then wait forever
                try:
                    async with asyncio.timeout(remaining):
                        await appended.wait()
                except TimeoutError:
                    return []
            finally:
                self._bus.stop_waiting(appended, self.topics)
        return []

    async def commit(self, records: Sequence[Record]) -> None:
        """Mark these records (and all before them) done for the group."""
        last: dict[str, int] = {}
        for record in records:
            last[record.topic] = max(last.get(record.topic, 0), record.offset)
        await self._bus.commit_offsets(self.group, last)
        for topic, offset in last.items():
            self._committed[topic] = max(self._committed[topic], offset)

    async def close(self) -> None:
        """Stop fetching; uncommitted records are delivered again to the next subscriber."""
        self._closed = True
        self._bus.wake_all()


class LocalBus:
    """An `EventBus` for one process, backed by its own SQLite file."""

    def __init__(self, db: Database) -> None:
        self._db = db
        # per topic, the wake-ups of the subscriptions waiting for its next append
        self._waiting: dict[str, set[asyncio.Event]] = {}

    async def start(self) -> None:
        """Create the log tables if they are missing (and the headers column of a log
        written before messages had headers)."""
        async with self._db.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            columns = await conn.execute(text("SELECT name FROM pragma_table_info('bus_log')"))
            if "headers" not in set(columns.scalars()):
                await conn.execute(text("ALTER TABLE bus_log ADD COLUMN headers TEXT"))

    async def stop(self) -> None:
        """Wake every waiting consumer so that it can notice it is closed."""
        self.wake_all()

    async def ping(self) -> None:
        """Raise unless the log database answers."""
        await self._db.ping()

    async def publish(self, topic: str, messages: Sequence[Message]) -> None:
        """Append messages to a topic durably and in order, then wake consumers."""
        if not messages:
            return
        now = datetime.now(UTC)
        async with self._db.engine.begin() as conn:
            await conn.execute(
                _APPEND,
                [
                    {
                        "topic": topic,
                        "message_key": m.key,
                        "value": m.value,
                        "headers": _encode_headers(m.headers),
                        "appended_at": now,
                    }
                    for m in messages
                ],
            )
        self._wake(topic)

    async def subscribe(self, group: str, topics: Sequence[str]) -> LocalSubscription:
        """Join `group` on `topics`, starting after the group's committed offsets."""
        async with self._db.engine.connect() as conn:
            found = await conn.execute(_COMMITTED, {"group": group, "topics": list(topics)})
            offsets = {row.topic: row.offset for row in found}
        return LocalSubscription(self, group, {t: offsets.get(t, 0) for t in topics})

    async def read(self, topics: Sequence[str], after: int, limit: int) -> list[Record]:
        """Records of `topics` with an offset above `after`, oldest first."""
        return await self.read_from(dict.fromkeys(topics, after), limit)

    async def read_from(self, positions: dict[str, int], limit: int) -> list[Record]:
        """Up to `limit` records, oldest first, of each topic above its own position."""
        found: list[Record] = []
        async with self._db.engine.connect() as conn:
            for topic, after in positions.items():
                rows = await conn.execute(_READ, {"topic": topic, "after": after, "limit": limit})
                found.extend(
                    Record(
                        topic=r.topic,
                        partition=0,
                        offset=r.offset,
                        key=r.message_key,
                        value=r.value,
                        headers=_decode_headers(r.headers),
                    )
                    for r in rows
                )
        found.sort(key=lambda record: record.offset)
        return found[:limit]

    async def commit_offsets(self, group: str, offsets: dict[str, int]) -> None:
        """Store a group's committed offset per topic (never moving it backwards)."""
        if not offsets:
            return
        async with self._db.engine.begin() as conn:
            await conn.execute(
                _COMMIT,
                [
                    {"consumer_group": group, "topic": topic, "offset": offset}
                    for topic, offset in offsets.items()
                ],
            )

    async def lag(self, group: str, topic: str) -> int:
        """How many records of `topic` lie beyond the group's committed offset."""
        async with self._db.engine.connect() as conn:
            found = await conn.execute(_LAG, {"group": group, "topic": topic})
            return int(found.scalar_one())

    async def committed_offset(self, group: str, topic: str) -> int:
        """The group's committed offset on a topic (0 when it has none)."""
        async with self._db.engine.connect() as conn:
            found = await conn.execute(
                select(committed.c.offset).where(
                    committed.c.consumer_group == group, committed.c.topic == topic
                )
            )
            return found.scalar_one_or_none() or 0

    async def prune(self, *, older_than: datetime, max_bytes: int, batch: int = 5_000) -> int:
        """Delete, per topic, the messages appended before `older_than` and the oldest ones
        beyond about `max_bytes`, as Kafka's retention does; how many went. A topic's size
        is judged from the size of its newest messages, so no pass reads the whole log."""
        deleted = 0
        async with self._db.engine.connect() as conn:
            topics = list((await conn.execute(select(log.c.topic).distinct())).scalars())
        for topic in topics:
            limit = await self._retention_offset(topic, older_than, max_bytes)
            while limit is not None:
                async with self._db.engine.begin() as conn:
                    gone = await conn.execute(
                        _PRUNE, {"topic": topic, "below": limit, "batch": batch}
                    )
                    count = cast(CursorResult[Any], gone).rowcount
                deleted += count
                if count < batch:
                    break
        return deleted

    async def _retention_offset(
        self, topic: str, older_than: datetime, max_bytes: int
    ) -> int | None:
        """The offset below which `topic` keeps nothing, or None when it keeps everything."""
        async with self._db.engine.connect() as conn:
            aged = await conn.scalar(_FIRST_KEPT_BY_AGE, {"topic": topic, "at": older_than})
            sizes = list((await conn.execute(_NEWEST_SIZES, {"topic": topic})).scalars())
            average = sum(sizes) / len(sizes) if sizes else 0
            kept = int(max_bytes // average) if average else None
            sized = (
                None
                if kept is None
                else await conn.scalar(_NTH_NEWEST, {"topic": topic, "skip": kept})
            )
        if aged is None:  # every message is old enough to go: keep none
            newest = await self._newest_offset(topic)
            return None if newest is None else newest + 1
        limits = [int(aged)] + ([int(sized) + 1] if sized is not None else [])
        return max(limits)

    async def _newest_offset(self, topic: str) -> int | None:
        async with self._db.engine.connect() as conn:
            found = await conn.scalar(select(func.max(log.c.offset)).where(log.c.topic == topic))
            return None if found is None else int(found)

    def next_append(self, topics: Sequence[str]) -> asyncio.Event:
        """An event that is set at the next append to any of `topics` (or any wake-up)."""
        appended = asyncio.Event()
        for topic in topics:
            self._waiting.setdefault(topic, set()).add(appended)
        return appended

    def stop_waiting(self, appended: asyncio.Event, topics: Sequence[str]) -> None:
        """Forget a wake-up from `next_append` that is no longer waited for."""
        for topic in topics:
            waiting = self._waiting.get(topic)
            if waiting is not None:
                waiting.discard(appended)

    def _wake(self, topic: str) -> None:
        for appended in self._waiting.pop(topic, ()):
            appended.set()

    def wake_all(self) -> None:
        """Tell every waiting subscription to look again."""
        for topic in list(self._waiting):
            self._wake(topic)


def _encode_headers(headers: Headers) -> str | None:
    return json_codec.dump_text([list(pair) for pair in headers]) if headers else None


def _decode_headers(stored: str | None) -> Headers:
    if stored is None:
        return ()
    return tuple((str(name), str(value)) for name, value in json_codec.load(stored))
