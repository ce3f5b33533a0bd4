"""Cursor pagination: `limit` (default 50, max 200) and an opaque `cursor`."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from dojang.kernel.errors import InvalidInput

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list and the cursor of the next, if any."""

    items: list[T]
    next_cursor: str | None = None


def encode_cursor(*values: Any) -> str:
    """An opaque cursor holding the sort key of the last item shown."""
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    """The sort key inside a cursor; 422 if it was not made by `encode_cursor`."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput.field("cursor", "not a cursor this API issued") from exc
    if not isinstance(values, list) or len(values) != arity:
        raise InvalidInput.field("cursor", "not a cursor this API issued")
    return values


def time_id_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    """The `(UTC time, id)` inside a cursor of a newest-first list; 422 for anything else,
    including times that cannot be told in UTC (year 1 minus an offset, year 9999 plus one)."""
    if cursor is None:
        return None
    at, item_id = decode_cursor(cursor, 2)
    try:
        moment = datetime.fromisoformat(at) if isinstance(at, str) else None
        if moment is None or moment.tzinfo is None or not isinstance(item_id, str):
            raise ValueError(at)
        return moment.astimezone(UTC), item_id
    except (ValueError, OverflowError) as exc:
        raise InvalidInput.field("cursor", "not a cursor this API issued") from exc


Limit = Annotated[int, Query(ge=1, le=200, description="page size")]
Cursor = Annotated[str | None, Query(description="from `next_cursor` of the previous page")]


def page_of(items: Sequence[T], limit: int, key: Any) -> Page[T]:
    """Cut a list fetched with `limit + 1` rows into a page and its next cursor."""
    shown = list(items[:limit])
    next_cursor = encode_cursor(*key(shown[-1])) if len(items) > limit and shown else None
    return Page[T](items=shown, next_cursor=next_cursor)
