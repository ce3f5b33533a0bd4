"""Synchronous calls to another service: each through a named port, and bounded in time.

Events carry nearly everything between services. The few calls that stay synchronous
(a leave document's days held at submission, a hire's password kept by identity, a WebSocket
ticket redeemed) go through a port, so the composer wires an in-process or a remote adapter,
and through `within`, so a side that does not answer costs the caller a clear 503, not a hang.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from dojang.kernel.errors import ServiceUnavailable

T = TypeVar("T")

DEFAULT_TIMEOUT_SECONDS = 5.0


class PortUnavailable(ServiceUnavailable):
    """The other side of a port did not answer in time, or could not be reached."""


async def within(
    seconds: float,
    call: Awaitable[T],
    *,
    unavailable: str,
    error: type[ServiceUnavailable] = PortUnavailable,
) -> T:
    """The answer of `call`, or `error(unavailable)` (503) after `seconds` or a lost
    connection; the call is cancelled when it runs out of time."""
    try:
        async with asyncio.timeout(seconds):
            return await call
    except (TimeoutError, ConnectionError) as exc:
        raise error(unavailable) from exc
