"""Walking up a tree of parents (managers, parent departments) that might hold a cycle."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def walk_up(
    start_id: str, find: Callable[[str], T | None], parent_of: Callable[[T], str | None]
) -> list[T]:
    """What lies above `start_id`, nearest first: its parent, the parent's parent, ...

    The walk stops before anything already seen (the start included), so a corrupt cycle
    cannot loop, and at a parent id that `find` does not know.
    """
    chain: list[T] = []
    seen = {start_id}
    start = find(start_id)
    parent_id = parent_of(start) if start is not None else None
    while parent_id is not None and parent_id not in seen:
        parent = find(parent_id)
        if parent is None:
            break
        chain.append(parent)
        seen.add(parent_id)
        parent_id = parent_of(parent)
    return chain
