"""How a Dojang process runs its HTTP server: uvicorn, with every input bounded.

- Proxy headers (`X-Forwarded-For`, `X-Forwarded-Proto`) are believed only from the
  addresses in `DOJANG_TRUSTED_PROXIES`; otherwise any client could pick the address the
  login throttle counts by.
- A request's headers must arrive within `DOJANG_HTTP_HEADER_TIMEOUT_SECONDS` of its first
  byte (or of the connection's opening): a client that trickles them, or opens connections
  and sends nothing, is disconnected instead of holding a connection forever. uvicorn has
  no such timeout of its own, so `BoundedHttpToolsProtocol` adds it.
- At most `DOJANG_HTTP_MAX_CONNECTIONS` connections are served at once (503 above).
- A WebSocket client may send messages of at most `DOJANG_WS_MAX_MESSAGE_BYTES`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from dojang.kernel.settings import KernelSettings


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline for each request's headers."""

    header_timeout_seconds: float = 10.0
    _header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_deadline()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm_header_deadline()

    def on_headers_complete(self) -> None:
        self._disarm_header_deadline()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_deadline()
        super().connection_lost(exc)

    def _arm_header_deadline(self) -> None:
        self._disarm_header_deadline()
        self._header_deadline = self.loop.call_later(
            self.header_timeout_seconds, self._headers_too_slow
        )

    def _disarm_header_deadline(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        if not self.transport.is_closing():
            self.transport.close()


def bounded_protocol(header_timeout_seconds: float) -> type[BoundedHttpToolsProtocol]:
    """The protocol class with this header deadline (uvicorn takes a class, not a value)."""
    return type(
        "BoundedHttpToolsProtocol",
        (BoundedHttpToolsProtocol,),
        {"header_timeout_seconds": header_timeout_seconds},
    )


def trusted_proxies(settings: KernelSettings) -> list[str]:
    """The addresses and networks whose proxy headers are believed."""
    return [part.strip() for part in settings.trusted_proxies.split(",") if part.strip()]


def uvicorn_options(settings: KernelSettings) -> dict[str, Any]:
    """The keyword arguments of `uvicorn.run` and `uvicorn.Config` for a Dojang process."""
    proxies = trusted_proxies(settings)
    return {
        "http": bounded_protocol(settings.http_header_timeout_seconds),
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": proxies or [],
        "limit_concurrency": settings.http_max_connections,
        "ws_max_size": settings.ws_max_message_bytes,
        "server_header": False,
        "log_config": None,
        "access_log": False,
        "lifespan": "on",
        "ws_ping_interval": None,
    }
