"""`within`: a synchronous call to another service answers, or fails as a clear 503."""

from __future__ import annotations

import asyncio

import pytest

from dojang.kernel.calls import PortUnavailable, within
from dojang.kernel.errors import ServiceUnavailable


class LedgerUnavailable(ServiceUnavailable):
    pass


async def answer(value: int, delay: float = 0) -> int:
    await asyncio.sleep(delay)
    return value


async def test_an_answer_in_time_is_returned() -> None:
    assert await within(1, answer(7), unavailable="x") == 7


async def test_no_answer_in_time_is_a_503_and_the_call_is_cancelled() -> None:
    started = asyncio.Event()
    cancelled = asyncio.Event()

    async def hangs() -> int:
        started.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return 0

    with pytest.raises(PortUnavailable) as raised:
        await within(0.02, hangs(), unavailable="the ledger did not answer in time")
    assert raised.value.status == 503
    assert raised.value.detail == "the ledger did not answer in time"
    assert started.is_set()
    assert cancelled.is_set()


async def test_a_lost_connection_is_a_503_of_the_kind_asked_for() -> None:
    async def refused() -> int:
        raise ConnectionRefusedError("connection refused")

    with pytest.raises(LedgerUnavailable):
        await within(1, refused(), unavailable="down", error=LedgerUnavailable)


async def test_other_failures_pass_through() -> None:
    async def broken() -> int:
        raise ValueError("a bug, not an outage")

    with pytest.raises(ValueError, match="a bug"):
        await within(1, broken(), unavailable="x")
