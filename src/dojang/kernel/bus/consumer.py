"""The consumer runner: idempotent handling, bounded retries, dead letters, then commit.

For each record: open the consumer's own unit of work, skip the event if its id is already
recorded there, run the handler, record the id, commit. Only after the effect is committed
does the runner commit the bus offset, so a crash in between means a redelivery that the
recorded id turns into a no-op. Transient failures (a lock, a stale revision, a lost
connection) are retried with a backoff capped at a couple of seconds, for about a minute by
default: long enough to outlast what a store needs to recover, e.g. the 30 s after which
the MongoDB store takes over a write token a killed replica left behind. Anything else, or a
transient failure that outlasts the retries, goes to the dead letters and the consumer moves
on. Too many dead letters in a row stop the consumer instead: that
is a bad deploy or a broken store, not bad messages.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, Protocol, TypeVar

import structlog
from prometheus_client import Counter, Histogram
from sqlalchemy.exc import IntegrityError, OperationalError

from dojang.kernel.background import Pace, cancel_and_wait
from dojang.kernel.bus.dead_letters import DeadLetterSink
from dojang.kernel.bus.envelope import Event, MalformedEvent
from dojang.kernel.bus.port import EventBus, Record, Subscription
from dojang.kernel.bus.unit_of_work import TransactionalUnitOfWork
from dojang.kernel.errors import TransientError
from dojang.kernel.tracing import consuming, current_traceparent

log = structlog.get_logger(__name__)

CONSUMED = Counter(
    "dojang_events_consumed_total",
    "Events handled by consumers, by outcome",
    ["group", "topic", "outcome"],
)

CONSUME_DURATION = Histogram(
    "dojang_bus_consume_duration_seconds",
    "Time to handle one record or one batch of records, retries included",
    ["group", "topic"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
CONSUME_ERRORS = Counter(
    "dojang_bus_consume_errors_total",
    "Handler failures: a transient one that is retried, or one that dead-letters the record",
    ["group", "topic", "kind"],
)
DEAD_LETTERS = Counter(
    "dojang_dead_letters_total",
    "Records a consumer gave up on and sent to the dead letters",
    ["group", "topic"],
)

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    TransientError,
    OperationalError,
    IntegrityError,  # a concurrent duplicate: the retry finds the event already processed
    ConnectionError,
    TimeoutError,
)


class IdempotentUnitOfWork(TransactionalUnitOfWork, Protocol):
    """What the runner needs from a consumer's unit of work."""

    async def already_processed(self, group: str, event_id: str) -> bool:
        """Whether `group` has already applied the event with this id."""
        ...

    async def mark_processed(self, group: str, event: Event, note: str | None = None) -> None:
        """Record, in this transaction, that `group` applied the event."""
        ...

    async def processed_among(self, group: str, event_ids: Sequence[str]) -> set[str]:
        """Which of these events `group` has already applied."""
        ...

    async def mark_all_processed(
        self, group: str, events: Sequence[Event], note: str | None = None
    ) -> None:
        """Record, in this transaction, that `group` applied these events."""
        ...


U = TypeVar("U", bound=IdempotentUnitOfWork)
Handler = Callable[[Event, U], Awaitable[None]]


class ConsumerStopped(RuntimeError):
    """The runner gave up: too many dead letters in a row."""


class ConsumerRunner(Generic[U]):
    """Runs one consumer group's handler over its topics until stopped."""

    def __init__(
        self,
        *,
        bus: EventBus,
        group: str,
        topics: Sequence[str],
        handler: Handler[U],
        unit_of_work: Callable[[], U],
        dead_letters: DeadLetterSink,
        max_attempts: int = 40,
        retry_backoff_seconds: float = 0.05,
        retry_backoff_cap_seconds: float = 2.0,
        max_consecutive_dead_letters: int = 50,
        batch_size: int = 100,
        pace_seconds: float = 0.005,
        accepts: Callable[[Event], bool] | None = None,
        stop_grace_seconds: float = 10.0,
    ) -> None:
        self.group = group
        self.topics = tuple(topics)
        self._bus = bus
        self._handler = handler
        self._unit_of_work = unit_of_work
        self._dead_letters = dead_letters
        self._max_attempts = max_attempts
        self._backoff = retry_backoff_seconds
        self._backoff_cap = retry_backoff_cap_seconds
        self._max_consecutive_dead_letters = max_consecutive_dead_letters
        self._batch_size = batch_size
        self._pace = Pace(pace_seconds)
        self._accepts = accepts
        self._consecutive_dead_letters = 0
        self._stop_grace = stop_grace_seconds
        self._stopping = False
        self._in_batch = False
        self._task: asyncio.Task[None] | None = None
        self._subscription: Subscription | None = None
        self.failure: BaseException | None = None

    @property
    def healthy(self) -> bool:
        """False once the runner has stopped on its own."""
        return self.failure is None

    async def handle(self, record: Record) -> str:
        """Apply one record; returns the outcome: applied, duplicate or dead_lettered."""
        with CONSUME_DURATION.labels(self.group, record.topic).time():
            return await self._handle(record)

    async def _handle(self, record: Record) -> str:
        try:
            event = Event.from_json(record.value)
        except MalformedEvent as exc:
            return await self._dead_letter(record, f"malformed: {exc}")
        if self._accepts is not None and not self._accepts(event):
            CONSUMED.labels(self.group, record.topic, "ignored").inc()
            return "ignored"
        for attempt in range(1, self._max_attempts + 1):
            try:
                outcome = await self._apply_once(record.topic, event)
            except TRANSIENT_ERRORS as exc:
                if attempt == self._max_attempts:
                    return await self._dead_letter(
                        record, f"transient failure after {attempt} attempts: {exc!r}"
                    )
                CONSUME_ERRORS.labels(self.group, record.topic, "retried").inc()
                log.warning(
                    "consumer_retry",
                    group=self.group,
                    event_id=event.id,
                    attempt=attempt,
                    error=repr(exc),
                )
                await asyncio.sleep(min(self._backoff * 2 ** (attempt - 1), self._backoff_cap))
            except Exception as exc:
                return await self._dead_letter(record, f"{type(exc).__name__}: {exc}")
            else:
                self._consecutive_dead_letters = 0
                CONSUMED.labels(self.group, record.topic, outcome).inc()
                return outcome
        raise AssertionError("unreachable")  # pragma: no cover

    async def handle_batch(self, records: Sequence[Record]) -> None:
        """Apply records in one unit of work when all apply cleanly; else one at a time.

        One transaction per batch instead of per event is what keeps a busy consumer
        ahead of its topic; any failure rolls the batch back and replays it record by
        record, so retries and dead letters keep their per-record meaning.
        """
        wanted: list[tuple[Record, Event]] = []
        for record in records:
            try:
                event = Event.from_json(record.value)
            except MalformedEvent:
                wanted = []
                break
            if self._accepts is None or self._accepts(event):
                wanted.append((record, event))
        if len(wanted) > 1:
            try:
                with CONSUME_DURATION.labels(self.group, wanted[0][0].topic).time():
                    outcomes = await self._apply_together(wanted)
            except Exception as exc:
                log.info("consumer_batch_replayed_one_by_one", group=self.group, error=repr(exc))
            else:
                self._consecutive_dead_letters = 0
                for (record, _), outcome in zip(wanted, outcomes, strict=True):
                    CONSUMED.labels(self.group, record.topic, outcome).inc()
                return
        for record in records:
            await self.handle(record)

    async def _apply_together(self, wanted: Sequence[tuple[Record, Event]]) -> list[str]:
        outcomes: list[str] = []
        applied: list[Event] = []
        async with self._unit_of_work() as uow:
            seen = await uow.processed_among(self.group, [event.id for _, event in wanted])
            for record, event in wanted:
                if event.id in seen:
                    outcomes.append("duplicate")
                    continue
                with consuming(record.topic, self.group, event.traceparent), bound_to(event):
                    await self._handler(event, uow)
                seen.add(event.id)
                applied.append(event)
                outcomes.append("applied")
            await uow.mark_all_processed(self.group, applied)
            await uow.commit()
        return outcomes

    async def _apply_once(self, topic: str, event: Event) -> str:
        async with self._unit_of_work() as uow:
            if await uow.already_processed(self.group, event.id):
                return "duplicate"
            with consuming(topic, self.group, event.traceparent), bound_to(event):
                await self._handler(event, uow)
            await uow.mark_processed(self.group, event)
            await uow.commit()
        return "applied"

    async def _dead_letter(self, record: Record, error: str) -> str:
        log.error(
            "consumer_dead_letter",
            group=self.group,
            topic=record.topic,
            offset=record.offset,
            error=error,
        )
        await self._dead_letters.send(record, self.group, error)
        CONSUMED.labels(self.group, record.topic, "dead_lettered").inc()
        CONSUME_ERRORS.labels(self.group, record.topic, "dead_lettered").inc()
        DEAD_LETTERS.labels(self.group, record.topic).inc()
        self._consecutive_dead_letters += 1
        if self._consecutive_dead_letters > self._max_consecutive_dead_letters:
            raise ConsumerStopped(
                f"{self.group}: {self._consecutive_dead_letters} dead letters in a row"
            )
        return "dead_lettered"

    async def run(self) -> None:
        """Fetch, handle and commit until stopped (by `stop`, a cancel or dead letters).

        A bus that fails under it (a broker lost for good, a refused commit) stops it too,
        as unhealthy: `/readyz` says so, where a task dying quietly would not.
        """
        try:
            self._subscription = await self._bus.subscribe(self.group, self.topics)
        except Exception as exc:
            self.failure = exc
            log.exception("consumer_failed", group=self.group)
            return
        try:
            while not self._stopping:
                await self._pace.next_cycle()
                records = await self._subscription.fetch(self._batch_size, timeout=1.0)
                if not records:
                    continue
                # from here to the commit, `stop` lets the batch finish (see `stop`)
                self._in_batch = True
                try:
                    # Each step runs without a pause of its own (an embedded database
                    # answers at once), so give the loop back between them: requests that
                    # are ready are not held up behind a whole fetch, apply and commit.
                    await asyncio.sleep(0)
                    await self.handle_batch(records)
                    await asyncio.sleep(0)
                    await self._subscription.commit(records)
                finally:
                    self._in_batch = False
        except ConsumerStopped as exc:
            self.failure = exc
            log.critical("consumer_stopped", group=self.group, error=str(exc))
        except Exception as exc:
            self.failure = exc
            log.exception("consumer_failed", group=self.group)
        finally:
            await self._subscription.close()

    def start(self) -> None:
        """Run in the background."""
        self._stopping = False
        self._task = asyncio.get_running_loop().create_task(
            self.run(), name=f"consumer:{self.group}"
        )

    async def stop(self) -> None:
        """Let the batch in flight finish and commit, then leave the group.

        A runner waiting for records (or for its pace) has applied nothing it has not
        committed, so it is cancelled at once. One in the middle of a batch gets up to
        `stop_grace_seconds` to apply and commit it; after that it is cancelled too, and
        what it had not committed is delivered again (to a replica, or after the restart).
        """
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        if self._in_batch:
            await asyncio.wait([task], timeout=self._stop_grace)
            if not task.done():
                log.warning("consumer_stop_cut_a_batch_short", group=self.group)
        await cancel_and_wait(task)

    async def drain(self) -> None:
        """Process everything currently on the topics, then return (for tools and tests)."""
        subscription = await self._bus.subscribe(self.group, self.topics)
        try:
            while records := await subscription.fetch(self._batch_size, timeout=0):
                await self.handle_batch(records)
                await subscription.commit(records)
        finally:
            await subscription.close()


def bound_to(event: Event) -> contextlib.AbstractContextManager[object]:
    """The log context of applying `event`: its id and type, what caused it, its trace (the
    current consumer span's, a child of the event's). The events its handler emits name it
    as their cause and continue its trace."""
    return structlog.contextvars.bound_contextvars(
        event_id=event.id,
        event_type=event.type,
        causation_id=event.causation_id,
        traceparent=current_traceparent() or event.traceparent,
    )
