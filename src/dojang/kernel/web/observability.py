"""Request ids, access logs and HTTP metrics."""

from __future__ import annotations

import logging
import os
import re
import time
from functools import cache

import structlog
from opentelemetry import trace
from opentelemetry.trace import SpanKind
from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dojang.kernel.tracing import context_of, current_traceparent, tracer

log = structlog.get_logger("dojang.http")
_access = logging.getLogger("dojang.http")  # asked whether a request line would show at all

REQUESTS = Counter("dojang_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "dojang_http_request_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
# the OpenTelemetry semantic-convention name, so standard RED dashboards and alerts apply
SERVER_DURATION = Histogram(
    "http_server_request_duration_seconds",
    "Duration of HTTP server requests, by route template",
    ["http_route", "http_request_method", "http_response_status_code", "status_class"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10),
)


@cache
def _counted(method: str, route: str, status: str) -> Counter:
    return REQUESTS.labels(method, route, status)  # a labelled child, looked up once


@cache
def _timed(method: str, route: str) -> Histogram:
    return LATENCY.labels(method, route)


@cache
def _served(method: str, route: str, status: int) -> Histogram:
    return SERVER_DURATION.labels(route, method, str(status), f"{status // 100}xx")


class RequestContextMiddleware:
    """Gives each request an id (or keeps the caller's `X-Request-ID`), logs and times it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if trace.get_current_span().get_span_context().is_valid:
            # FastAPI's own server span (its native telemetry, once a provider is installed)
            await self._serve(scope, receive, send)
            return
        # else the caller's trace goes on (a no-op span carrying its context, when tracing
        # is off)
        with tracer().start_as_current_span(
            "HTTP " + scope["method"],
            context=context_of(_incoming_traceparent(scope)),
            kind=SpanKind.SERVER,
        ):
            await self._serve(scope, receive, send)

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = _incoming_request_id(scope) or os.urandom(16).hex()
        structlog.contextvars.bind_contextvars(
            request_id=request_id, traceparent=current_traceparent()
        )
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", "unmatched")
            _counted(scope["method"], template, str(status)).inc()
            _timed(scope["method"], template).observe(elapsed)
            _served(scope["method"], template, status).observe(elapsed)
            if template not in _UNLOGGED and _access.isEnabledFor(logging.INFO):
                principal = scope.get("state", {}).get("principal")
                client = scope.get("client")
                log.info(
                    "request",
                    method=scope["method"],
                    path=scope["path"],
                    status=status,
                    ms=round(elapsed * 1000, 2),
                    user=getattr(principal, "user_id", None),
                    client=client[0] if client else None,
                )
            structlog.contextvars.unbind_contextvars("request_id", "traceparent")


_UNLOGGED = frozenset({"/healthz", "/readyz", "/metrics"})


# W3C Trace Context: version-traceid-parentid-flags, lower-case hex
_TRACEPARENT = re.compile(r"[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")


def _incoming_traceparent(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"traceparent":
            candidate = bytes(value).decode("latin-1").strip()
            if _TRACEPARENT.fullmatch(candidate):
                return candidate
    return None


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            candidate: str = bytes(value).decode("latin-1")[:64]
            if candidate.replace("-", "").isalnum():
                return candidate
    return None
