"""Concurrent units of work over fakes: lock rows, and a meeting point before the first write.

Fakes run on one event loop, so two transactions only interleave where a fake suspends. A
fake unit of work calls `Meeting.arrive` before its first write, and takes `RowLocks` where
the real adapter locks a row (a lock row, or a row an `UPDATE` writes): without a lock, every
party has read before any writes, as two replicas on a server database can; with one, the
party kept out by the lock does not hold the others at the meeting.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Meeting:
    """Holds each arriving party until every party has arrived or waits for a lock row."""

    def __init__(self, parties: int) -> None:
        self._parties = parties
        self._arrived = 0
        self._blocked = 0
        self._changed = asyncio.Condition()
        self.all_met = False  # whether every party arrived before any went on

    async def arrive(self) -> None:
        """Wait here until nobody else can still get here before us."""
        async with self._changed:
            self._arrived += 1
            if self._arrived == self._parties:
                self.all_met = True
            self._changed.notify_all()
            await self._changed.wait_for(lambda: self._arrived + self._blocked >= self._parties)

    @asynccontextmanager
    async def blocked(self) -> AsyncIterator[None]:
        """Count the caller as held up (waiting for a lock) for the length of the block."""
        async with self._changed:
            self._blocked += 1
            self._changed.notify_all()
        try:
            yield
        finally:
            async with self._changed:
                self._blocked -= 1


class RowLocks:
    """The row locks of a fake database, by key; each holder releases what it took."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self.meeting: Meeting | None = None
        self.waits = 0  # how often a taker found the row locked

    def lock_of(self, key: str) -> asyncio.Lock:
        """The lock of the row `key`."""
        return self._locks.setdefault(key, asyncio.Lock())

    async def take(self, key: str) -> asyncio.Lock:
        """Lock the row `key`, waiting while another unit of work holds it."""
        lock = self.lock_of(key)
        if not lock.locked():
            await lock.acquire()
            return lock
        self.waits += 1
        if self.meeting is None:
            await lock.acquire()
            return lock
        async with self.meeting.blocked():
            await lock.acquire()
        return lock
