"""The distributed mode's bus: Apache Kafka through aiokafka, with the port's contract.

Offsets: Kafka counts a partition's records from 0, the port from 1 (a `Record.offset` is
what its group commits once it has applied it, and `read(after=...)` resumes behind it), so
every record reports its Kafka offset + 1. Commits are manual and carry exactly what the
runner hands `commit()`; a rebalance waits for the batch in flight to be committed before
it gives its partitions up. See docs/kafka.md.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, TypeVar

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import (
    CommitFailedError,
    IllegalStateError,
    KafkaError,
    TopicAlreadyExistsError,
)

from dojang.kernel.bus.dead_letters import dead_letter_topic
from dojang.kernel.bus.port import Headers, Message, Record
from dojang.kernel.bus.replay import replayed_topic

log = structlog.get_logger(__name__)

_TOPIC_ALREADY_EXISTS = TopicAlreadyExistsError.errno

T = TypeVar("T")


def has_one_partition(topic: str) -> bool:
    """Whether `topic` is a dead-letter topic (or its replay markers), which tools read in
    order with `EventBus.read` and which therefore has a single partition."""
    return topic.endswith(dead_letter_topic("")) or topic.endswith(replayed_topic(""))


class KafkaSubscription:
    """One member of a consumer group on a `KafkaBus`; commits only what it is given."""

    def __init__(
        self,
        bus: KafkaBus,
        group: str,
        topics: Sequence[str],
        consumer: AIOKafkaConsumer,
        *,
        revoke_grace_seconds: float,
        catch_up_seconds: float,
    ) -> None:
        self._bus = bus
        self.group = group
        self.topics = tuple(topics)
        self._consumer = consumer
        self._revoke_grace = revoke_grace_seconds
        self._catch_up = catch_up_seconds
        # set while no fetched batch waits for its commit
        self._settled = asyncio.Event()
        self._settled.set()
        self.rebalance_waiting = False
        """Whether the group's rebalance waits for this member to commit its batch."""

    async def fetch(self, max_records: int, timeout: float) -> list[Record]:
        """The next records of this member's partitions, waiting up to `timeout`; with
        `timeout=0`, waits for the broker while a partition has records not yet fetched."""
        self._settled.set()  # whatever was fetched before is done with
        batches = await self._consumer.getmany(
            timeout_ms=int(timeout * 1000), max_records=max_records
        )
        if not batches and timeout == 0 and await self._behind():
            batches = await self._consumer.getmany(
                timeout_ms=int(self._catch_up * 1000), max_records=max_records
            )
        records = [
            self._bus.record_of(message) for messages in batches.values() for message in messages
        ]
        if records:
            self._settled.clear()
        return records

    async def commit(self, records: Sequence[Record]) -> None:
        """Commit, per partition, the offset after the last of these records; partitions this
        member no longer holds are skipped (their new owner gets the records again)."""
        offsets: dict[TopicPartition, int] = {}
        for record in records:
            partition = TopicPartition(self._bus.physical(record.topic), record.partition)
            offsets[partition] = max(offsets.get(partition, 0), record.offset)
        held = self._consumer.assignment()
        kept = {partition: offset for partition, offset in offsets.items() if partition in held}
        try:
            if len(kept) < len(offsets):
                log.warning(
                    "kafka_commit_skipped_unassigned",
                    group=self.group,
                    partitions=sorted(str(p) for p in offsets.keys() - kept.keys()),
                )
            if kept:
                await self._consumer.commit(kept)
        except (CommitFailedError, IllegalStateError) as exc:
            # the group rebalanced under this batch: whoever holds its partitions now gets
            # the records again, and the consumers' recorded event ids make that harmless
            log.warning("kafka_commit_skipped_rebalanced", group=self.group, error=repr(exc))
        finally:
            self._settled.set()

    async def close(self) -> None:
        """Leave the group; what was not committed is delivered again to its next owner."""
        self._settled.set()
        await self._consumer.stop()

    async def finish_batch_in_flight(self) -> None:
        """Wait (a bounded time) until the batch fetched last is committed or dropped."""
        if self._settled.is_set():
            return
        self.rebalance_waiting = True
        try:
            async with asyncio.timeout(self._revoke_grace):
                await self._settled.wait()
        except TimeoutError:
            log.warning("kafka_revoke_before_commit", group=self.group)
        finally:
            self.rebalance_waiting = False

    async def _behind(self) -> bool:
        held = list(self._consumer.assignment())
        if not held:
            return False
        ends = await self._consumer.end_offsets(held)
        for partition in held:
            if await self._consumer.position(partition) < ends[partition]:
                return True
        return False

    async def wait_for_assignment(self, timeout: float) -> None:
        """Return once this member holds partitions, or after `timeout` (a group with more
        members than partitions leaves some without)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not self._consumer.assignment():
            if asyncio.get_running_loop().time() > deadline:
                return
            await asyncio.sleep(0.02)


class _CommitBeforeRevoke(ConsumerRebalanceListener):  # type: ignore[misc]
    """Lets a rebalance take partitions only after the batch in flight was committed."""

    def __init__(self, subscription: KafkaSubscription) -> None:
        self._subscription = subscription

    async def on_partitions_revoked(self, revoked: Iterable[TopicPartition]) -> None:
        """Before the group moves partitions: wait for the runner's commit of its batch."""
        await self._subscription.finish_batch_in_flight()
        log.info(
            "kafka_partitions_revoked",
            group=self._subscription.group,
            partitions=sorted(str(p) for p in revoked),
        )

    async def on_partitions_assigned(self, assigned: Iterable[TopicPartition]) -> None:
        """After the rebalance: the member resumes from the group's committed offsets."""
        log.info(
            "kafka_partitions_assigned",
            group=self._subscription.group,
            partitions=sorted(str(p) for p in assigned),
        )


class KafkaBus:
    """An `EventBus` on Kafka: idempotent, fully acknowledged publishing; consumer groups
    with manual commits; topics created with explicit partitions when missing."""

    def __init__(
        self,
        bootstrap: str,
        *,
        topics: Sequence[str] = (),
        partitions: int = 6,
        replication_factor: int = 1,
        namespace: str = "",
        client_id: str = "dojang",
        revoke_grace_seconds: float = 30.0,
        catch_up_seconds: float = 5.0,
        ping_timeout_seconds: float = 5.0,
    ) -> None:
        self._bootstrap = bootstrap
        self._topics = tuple(topics)
        self._partitions = partitions
        self._replication_factor = replication_factor
        self._namespace = namespace
        self._client_id = client_id
        self._revoke_grace = revoke_grace_seconds
        self._catch_up = catch_up_seconds
        self._ping_timeout = ping_timeout_seconds
        self._producer: AIOKafkaProducer | None = None
        self._admin: AIOKafkaAdminClient | None = None
        self._reader: AIOKafkaConsumer | None = None  # outside any group: read, lag
        self._partition_counts: dict[str, int] = {}  # physical topic -> partitions
        self._creating = asyncio.Lock()
        self._reading = asyncio.Lock()

    def physical(self, topic: str) -> str:
        """The Kafka topic that carries `topic` in this namespace."""
        return self._namespace + topic

    def record_of(self, message: Any) -> Record:
        """The port's record of an aiokafka `ConsumerRecord` (offset counted from 1)."""
        headers: Headers = tuple(
            (name, value.decode("utf-8", errors="replace")) for name, value in message.headers
        )
        return Record(
            topic=message.topic[len(self._namespace) :],
            partition=message.partition,
            offset=message.offset + 1,
            key=(message.key or b"").decode(),
            value=message.value or b"",
            headers=headers,
        )

    async def start(self) -> None:
        """Connect, and create the configured topics, their dead-letter topics and replay
        markers if missing."""
        self._admin = AIOKafkaAdminClient(
            bootstrap_servers=self._bootstrap, client_id=f"{self._client_id}-admin"
        )
        await self._admin.start()
        self._producer = AIOKafkaProducer(
            bootstrap_servers=self._bootstrap,
            client_id=self._client_id,
            enable_idempotence=True,
            acks="all",
        )
        await self._producer.start()
        self._reader = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            client_id=f"{self._client_id}-reader",
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        )
        await self._reader.start()
        await self.ensure_topics(
            [
                name
                for topic in self._topics
                for name in (topic, dead_letter_topic(topic), replayed_topic(topic))
            ]
        )

    async def stop(self) -> None:
        """Flush what is being sent, then disconnect."""
        if self._producer is not None:
            await self._producer.flush()
            await self._producer.stop()
            self._producer = None
        if self._reader is not None:
            await self._reader.stop()
            self._reader = None
        if self._admin is not None:
            await self._admin.close()
            self._admin = None

    async def ensure_topics(self, topics: Sequence[str]) -> None:
        """Create whichever of `topics` Kafka does not have yet: `kafka_partitions`
        partitions each, one for dead letters and replay markers."""
        admin = self._require(self._admin)
        async with self._creating:
            known = self._partition_counts
            missing = [t for t in dict.fromkeys(topics) if self.physical(t) not in known]
            if not missing:
                return
            wanted = {
                self.physical(t): 1 if has_one_partition(t) else self._partitions for t in missing
            }
            answer = await admin.create_topics(
                [
                    NewTopic(name, num_partitions=n, replication_factor=self._replication_factor)
                    for name, n in wanted.items()
                ]
            )
            for name, error_code, *message in answer.topic_errors:
                if error_code not in (0, _TOPIC_ALREADY_EXISTS):
                    raise RuntimeError(f"Kafka refused to create {name}: {error_code} {message}")
            # a new topic takes a moment to get a leader per partition; sending before
            # that only earns retries
            deadline = asyncio.get_running_loop().time() + self._catch_up
            while True:
                for described in await admin.describe_topics(list(wanted)):
                    partitions = described["partitions"]
                    if described["error_code"] == 0 and all(p["leader"] >= 0 for p in partitions):
                        self._partition_counts[described["topic"]] = len(partitions)
                unknown = set(wanted) - set(self._partition_counts)
                if not unknown:
                    return
                if asyncio.get_running_loop().time() > deadline:
                    raise RuntimeError(f"Kafka has no leaders for {sorted(unknown)} yet")
                await asyncio.sleep(0.05)

    async def publish(self, topic: str, messages: Sequence[Message]) -> None:
        """Send messages keyed by their key; returns once Kafka acknowledged every one (all
        in-sync replicas, idempotently, so retries neither duplicate nor reorder them)."""
        if not messages:
            return
        producer = self._require(self._producer)
        await self.ensure_topics([topic])
        name = self.physical(topic)
        sent = [
            await producer.send(
                name,
                m.value,
                key=m.key.encode(),
                headers=[(header, value.encode()) for header, value in m.headers] or None,
            )
            for m in messages
        ]
        await asyncio.gather(*sent)

    async def subscribe(self, group: str, topics: Sequence[str]) -> KafkaSubscription:
        """Join `group` on `topics` (a new group starts at their beginning); returns once the
        member holds partitions, or after the catch-up wait."""
        await self.ensure_topics(topics)
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            client_id=self._client_id,
            group_id=self.physical(group),
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        )
        subscription = KafkaSubscription(
            self,
            group,
            topics,
            consumer,
            revoke_grace_seconds=self._revoke_grace,
            catch_up_seconds=self._catch_up,
        )
        consumer.subscribe(
            topics=[self.physical(t) for t in topics], listener=_CommitBeforeRevoke(subscription)
        )
        await consumer.start()
        await subscription.wait_for_assignment(self._catch_up)
        return subscription

    async def read(self, topics: Sequence[str], after: int, limit: int) -> list[Record]:
        """Up to `limit` records of one-partition `topics` with an offset above `after`,
        outside any group; refuses a topic with more partitions."""
        reader = self._require(self._reader)
        await self.ensure_topics(topics)
        partitions = []
        for topic in topics:
            if self._partition_counts[self.physical(topic)] != 1:
                raise ValueError(f"{topic} has several partitions; read() reads one")
            partitions.append(TopicPartition(self.physical(topic), 0))
        records: list[Record] = []
        async with self._reading:
            reader.assign(partitions)
            starts = await reader.beginning_offsets(partitions)
            ends = await reader.end_offsets(partitions)
            wanted = {p for p in partitions if max(after, starts[p]) < ends[p]}
            for partition in wanted:
                reader.seek(partition, max(after, starts[partition]))
            deadline = asyncio.get_running_loop().time() + self._catch_up
            while wanted and len(records) < limit:
                if asyncio.get_running_loop().time() > deadline:
                    raise TimeoutError(f"Kafka did not hand over {sorted(map(str, wanted))}")
                batches = await reader.getmany(
                    *wanted, timeout_ms=200, max_records=limit - len(records)
                )
                for partition, messages in batches.items():
                    records.extend(self.record_of(m) for m in messages)
                    if messages and messages[-1].offset + 1 >= ends[partition]:
                        wanted.discard(partition)
            reader.unsubscribe()
        return sorted(records, key=lambda r: (r.offset, r.topic))[:limit]

    async def lag(self, group: str, topic: str) -> int:
        """Records of `topic` beyond what `group` committed, summed over its partitions."""
        admin, reader = self._require(self._admin), self._require(self._reader)
        await self.ensure_topics([topic])
        name = self.physical(topic)
        partitions = [TopicPartition(name, p) for p in range(self._partition_counts[name])]
        committed = await _retried(
            lambda: admin.list_consumer_group_offsets(self.physical(group), partitions=partitions)
        )
        starts = await reader.beginning_offsets(partitions)
        ends = await reader.end_offsets(partitions)
        behind = 0
        for partition in partitions:
            done = committed.get(partition)
            position = max(starts[partition], done.offset if done is not None else -1)
            behind += max(0, ends[partition] - position)
        return behind

    async def ping(self) -> None:
        """Raise unless a broker answers a metadata request in time."""
        admin = self._require(self._admin)
        async with asyncio.timeout(self._ping_timeout):
            await admin.describe_cluster()

    async def partition_count(self, topic: str) -> int:
        """How many partitions `topic` has on Kafka (asked, not remembered)."""
        admin = self._require(self._admin)
        [described] = await admin.describe_topics([self.physical(topic)])
        return len(described["partitions"])

    @staticmethod
    def _require(part: T | None) -> T:
        if part is None:
            raise RuntimeError("the Kafka bus is not started")
        return part


async def _retried(call: Callable[[], Awaitable[T]], attempts: int = 10) -> T:
    """`call()`, tried again after a retriable Kafka error (a group coordinator that is
    still being elected, the first time a cluster sees a group)."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except KafkaError as exc:
            if not exc.retriable or attempt == attempts:
                raise
            await asyncio.sleep(0.1 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover
