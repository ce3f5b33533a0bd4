"""Tracing a request: its spans and its log lines share one trace id, continued from the
caller's `traceparent`; events emitted while serving it carry that trace."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
import structlog
from fastapi import FastAPI
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from structlog.testing import LogCapture

from dojang.kernel.tracing import add_trace_ids, current_traceparent
from dojang.kernel.web.observability import RequestContextMiddleware
from tests.tracing import spans

__all__ = ["spans"]

CALLER_TRACE = "0af7651916cd43dd8448eb211c80319c"  # pragma: allowlist secret (a trace id)
CALLER = f"00-{CALLER_TRACE}-b7ad6b7169203331-01"


@pytest.fixture
def logs() -> Iterator[LogCapture]:
    saved = structlog.get_config()
    capture = LogCapture()
    structlog.configure(
        processors=[structlog.contextvars.merge_contextvars, add_trace_ids, capture]
    )
    try:
        yield capture
    finally:
        structlog.configure(**saved)


def _app(seen: list[str | None]) -> FastAPI:
    app = FastAPI()
    app.add_middleware(RequestContextMiddleware)

    @app.get("/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        structlog.get_logger("test").info("serving", thing=thing_id)
        seen.append(structlog.contextvars.get_contextvars().get("traceparent"))
        return {"id": thing_id}

    return app


async def _get(app: FastAPI, **headers: str) -> None:
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://dojang.test") as client:
        assert (await client.get("/things/a", headers=headers)).status_code == 200


async def test_a_requests_log_lines_and_spans_share_its_trace_id(
    spans: InMemorySpanExporter, logs: LogCapture, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "dojang.http")  # the access line too
    seen: list[str | None] = []
    await _get(_app(seen), traceparent=CALLER)
    [server] = [s for s in spans.get_finished_spans() if s.kind is SpanKind.SERVER]
    assert server.kind is SpanKind.SERVER
    assert server.name == "GET /things/{thing_id}"
    assert server.attributes is not None
    assert server.attributes["http.route"] == "/things/{thing_id}"
    assert f"{server.context.trace_id:032x}" == CALLER_TRACE
    assert server.parent is not None
    assert f"{server.parent.span_id:016x}" == "b7ad6b7169203331"
    lines = [line for line in logs.entries if line["event"] in {"serving", "request"}]
    assert {line["event"] for line in lines} == {"serving", "request"}
    recorded = {f"{span.context.span_id:016x}" for span in spans.get_finished_spans()}
    for line in lines:
        assert line["trace_id"] == CALLER_TRACE
        assert line["span_id"] in recorded  # the server span, or FastAPI's endpoint span in it
    # what the request emits continues the request's span, a child of the caller's
    assert seen == [f"00-{CALLER_TRACE}-{server.context.span_id:016x}-01"]


async def test_a_request_without_a_caller_starts_a_trace_of_its_own(
    spans: InMemorySpanExporter, logs: LogCapture
) -> None:
    await _get(_app([]))
    [server] = [s for s in spans.get_finished_spans() if s.kind is SpanKind.SERVER]
    assert server.parent is None
    [line] = [line for line in logs.entries if line["event"] == "serving"]
    assert line["trace_id"] == f"{server.context.trace_id:032x}"


async def test_with_tracing_off_the_callers_trace_is_passed_on_as_it_came(
    logs: LogCapture,
) -> None:
    seen: list[str | None] = []
    await _get(_app(seen), traceparent=CALLER)
    assert seen == [CALLER]
    [line] = [line for line in logs.entries if line["event"] == "serving"]
    assert line["trace_id"] == CALLER_TRACE
    assert current_traceparent() is None


def test_outside_any_span_log_lines_carry_no_trace() -> None:
    event: dict[str, Any] = add_trace_ids(None, "info", {"event": "x"})  # type: ignore[assignment]
    assert "trace_id" not in event
