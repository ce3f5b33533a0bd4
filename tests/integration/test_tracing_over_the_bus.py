"""A trace follows an event over the bus, the embedded log and the real Kafka alike: the
relay puts the envelope's `traceparent` in the message headers, the consumer's span is a
child of the span that emitted the event, and what the consumer emits continues it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import structlog
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from dojang.kernel.bus.consumer import ConsumerRunner
from dojang.kernel.bus.dead_letters import BusDeadLetters
from dojang.kernel.bus.envelope import Event
from dojang.kernel.bus.port import EventBus, Record
from dojang.kernel.bus.relay import OutboxRelay
from dojang.kernel.bus.unit_of_work import SqlUnitOfWork
from dojang.kernel.tracing import current_traceparent, tracer
from tests.integration.buses import any_bus
from tests.tracing import spans
from tests.unit.kernel.conftest import tiny_service

__all__ = ["any_bus", "spans"]


def _event(name: str) -> Event:
    return Event(
        type="counter.bumped", aggregate_id=name, data={"name": name}, occurred_at=datetime.now(UTC)
    )


def _ids(traceparent: str | None) -> tuple[int, int]:
    """The trace and parent span ids a `traceparent` names."""
    assert traceparent is not None
    _version, trace_id, span_id, _flags = traceparent.split("-")
    return int(trace_id, 16), int(span_id, 16)


async def _fetch(bus: EventBus, group: str, topic: str) -> list[Record]:
    subscription = await bus.subscribe(group, [topic])
    try:
        for _ in range(50):
            if records := await subscription.fetch(10, timeout=0.2):
                await subscription.commit(records)
                return records
    finally:
        await subscription.close()
    raise AssertionError(f"nothing arrived on {topic}")


async def test_a_trace_survives_a_hop_over_the_bus(
    any_bus: EventBus, spans: InMemorySpanExporter, tmp_path: Path
) -> None:
    async with tiny_service(f"sqlite:///{tmp_path / 'tiny.db'}") as service:
        relay = OutboxRelay(service.db, service.tables, any_bus, service.signal)

        # a request's work, as the request middleware binds it
        with (
            tracer().start_as_current_span("POST /api/approvals", kind=SpanKind.SERVER) as root,
            structlog.contextvars.bound_contextvars(traceparent=current_traceparent()),
        ):
            async with service.unit_of_work() as uow:
                uow.emit("traced", _event("first"))
                await uow.commit()
        assert await relay.relay_once() == 1
        trace_id = root.get_span_context().trace_id

        [record] = await _fetch(any_bus, "inspector", "traced")
        envelope = Event.from_json(record.value)
        assert _ids(envelope.traceparent) == (trace_id, root.get_span_context().span_id)
        assert dict(record.headers)["traceparent"] == envelope.traceparent

        async def echo(event: Event, uow: SqlUnitOfWork) -> None:
            uow.emit("echoed", _event("echo"))

        runner: ConsumerRunner[SqlUnitOfWork] = ConsumerRunner(
            bus=any_bus,
            group="tracer",
            topics=["traced"],
            handler=echo,
            unit_of_work=service.unit_of_work,
            dead_letters=BusDeadLetters(any_bus),
        )
        await runner.handle_batch(await _fetch(any_bus, "tracer", "traced"))
        assert await relay.relay_once() == 1
        [echoed] = await _fetch(any_bus, "inspector", "echoed")

    [consumer] = [s for s in spans.get_finished_spans() if s.kind is SpanKind.CONSUMER]
    assert consumer.name == "process traced"
    assert consumer.context.trace_id == trace_id
    assert consumer.parent is not None
    assert consumer.parent.span_id == root.get_span_context().span_id
    assert consumer.attributes is not None
    assert consumer.attributes["messaging.consumer.group.name"] == "tracer"
    # what the consumer emitted continues its span: the next hop is in the same trace
    assert _ids(Event.from_json(echoed.value).traceparent) == (trace_id, consumer.context.span_id)
