"""`/api/inbox`: the caller's tasks (결재함), pending or done."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from dojang.kernel.web.deps import CurrentPrincipal
from dojang.kernel.web.pagination import Cursor, Limit, Page, page_of, time_id_cursor
from dojang.processing.api.common import problems
from dojang.processing.api.schemas import InboxItem, InboxStatus
from dojang.processing.service.inbox import InboxQueries


def inbox_router(inbox: InboxQueries) -> APIRouter:
    """Routes to list the caller's tasks."""
    router = APIRouter(prefix="/api/inbox", tags=["inbox"])

    @router.get("", responses=problems(401, 422))
    async def list_inbox(
        caller: CurrentPrincipal,
        status: Annotated[
            InboxStatus,
            Query(description="pending: waiting for the caller; done: decided by the caller"),
        ] = "pending",
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Page[InboxItem]:
        """The caller's pending or decided tasks, newest first."""
        after = time_id_cursor(cursor)
        if status == "pending":
            tasks = await inbox.pending(caller.user_id, after=after, limit=limit + 1)
            items = [InboxItem.of(t, caller.user_id) for t in tasks]
            return page_of(items, limit, lambda i: (i.created_at.isoformat(), i.id))
        tasks = await inbox.done(caller.user_id, after=after, limit=limit + 1)
        items = [InboxItem.of(t, caller.user_id) for t in tasks]
        return page_of(items, limit, _decided_key)

    return router


def _decided_key(item: InboxItem) -> tuple[str, str]:
    assert item.decided_at is not None  # the done list holds decided tasks only
    return item.decided_at.isoformat(), item.id
