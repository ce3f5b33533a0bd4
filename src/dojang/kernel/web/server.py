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
import signal
import socket
from types import FrameType
from typing import Any

import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from dojang.kernel.errors import StartupError
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


# seconds a stopping server waits for open requests and sockets before it closes them
GRACEFUL_SHUTDOWN_SECONDS = 20


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
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
    }


def check_port_free(host: str, port: int) -> None:
    """`StartupError` if something already listens on `host:port` (checked before the
    databases are migrated, so that a busy port is told at once)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise StartupError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                "stop what uses it or choose another --port"
            ) from None


class _Server(uvicorn.Server):
    """uvicorn's server, whose clean shutdown on SIGTERM exits with status 0.

    uvicorn raises the signal again once it has shut down, so that the process ends "killed
    by SIGTERM" (status 143); a service manager then reports a failure for a normal stop."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        captured: list[int] = getattr(self, "_captured_signals", [])
        if sig == signal.SIGTERM and sig in captured:
            captured.remove(sig)


def serve(app: ASGIApp, *, host: str, port: int, settings: KernelSettings) -> None:
    """Run `app` until SIGTERM or SIGINT, with the bounds of `uvicorn_options`."""
    config = uvicorn.Config(app, host=host, port=port, **uvicorn_options(settings))
    _Server(config).run()
