"""OpenTelemetry tracing: the provider and exporter, the W3C `traceparent` of the current
span, the log processor that stamps log lines with trace and span ids, and the spans around
consuming an event.

Off (the default), the API's no-op tracer still carries an incoming trace: a span started
from a caller's `traceparent` keeps that trace and span id, so events and log lines name the
caller's trace as before. On (`DOJANG_TRACING=true`), spans are recorded and exported by
OTLP over HTTP; the endpoint and headers come from the standard `OTEL_EXPORTER_OTLP_*`
variables. The database, MongoDB and Redis clients are instrumented too.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, MutableMapping
from typing import Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Span, SpanKind, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

PROPAGATOR = TraceContextTextMapPropagator()

_configured = False


def configure_tracing(enabled: bool, service_name: str) -> bool:
    """Install the exporting tracer provider once, if `enabled`; whether tracing is on."""
    global _configured
    if not enabled or _configured:
        return _configured
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.pymongo import PymongoInstrumentor
    from opentelemetry.instrumentation.redis import RedisInstrumentor
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    # before any engine or client is built: the instrumentors wrap their constructors
    SQLAlchemyInstrumentor().instrument()
    PymongoInstrumentor().instrument()
    RedisInstrumentor().instrument()
    _configured = True
    return True


def tracer() -> Tracer:
    """Dojang's tracer, from the provider installed now (asked each time, not kept)."""
    return trace.get_tracer("dojang")


def context_of(traceparent: str | None) -> Context | None:
    """The trace context a W3C `traceparent` names (None: none, or not a valid one)."""
    if not traceparent:
        return None
    context = PROPAGATOR.extract({"traceparent": traceparent})
    if not trace.get_current_span(context).get_span_context().is_valid:
        return None
    return context


def current_traceparent() -> str | None:
    """The W3C `traceparent` of the current span (None outside any trace)."""
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier)
    return carrier.get("traceparent")


def add_trace_ids(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """A structlog processor: the current span's `trace_id` and `span_id`, in hex."""
    span_context = trace.get_current_span().get_span_context()
    if span_context.is_valid:
        event_dict.setdefault("trace_id", f"{span_context.trace_id:032x}")
        event_dict.setdefault("span_id", f"{span_context.span_id:016x}")
    return event_dict


@contextlib.contextmanager
def consuming(topic: str, group: str, traceparent: str | None) -> Iterator[Span]:
    """The consumer span of applying one event of `topic`, a child of the span that
    produced it (its envelope's `traceparent`), so that one trace follows the event."""
    with tracer().start_as_current_span(
        f"process {topic}",
        context=context_of(traceparent),
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.operation.type": "process",
            "messaging.destination.name": topic,
            "messaging.consumer.group.name": group,
        },
    ) as span:
        yield span


_ENVELOPE_TRACEPARENT = re.compile(
    rb'"traceparent":\s*"([0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2})"'
)


def traceparent_header(payload: bytes) -> tuple[tuple[str, str], ...]:
    """The `traceparent` message header of an encoded event: its envelope's, read without
    decoding the whole event (none when the envelope carries none)."""
    found = _ENVELOPE_TRACEPARENT.search(payload)
    return () if found is None else (("traceparent", found.group(1).decode()),)
