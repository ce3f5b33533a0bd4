"""Identifiers: UUIDv7-like, time-ordered strings so that ids sort by creation."""

from __future__ import annotations

import os
import time


def new_id() -> str:
    """A new time-ordered UUID (version 7 layout) as a string."""
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= (rand >> 64 & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    h = f"{value:032x}"  # the canonical text, without building a `uuid.UUID` first
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
