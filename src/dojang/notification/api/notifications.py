"""`/api/notifications`: the caller's own notifications, newest first, and their read state."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from dojang.kernel.web.deps import AnswerLanguage, CurrentPrincipal
from dojang.kernel.web.pagination import Cursor, Limit, Page, page_of, time_id_cursor
from dojang.kernel.web.problems import OpenApiResponses, problem_responses
from dojang.notification.service.inbox import NotificationInbox
from dojang.notification.service.views import NotificationView

_MEANINGS = {
    401: "no or bad bearer token",
    404: "no such notification of the caller",
    422: "invalid fields, listed in `errors`",
}


class UnreadCount(BaseModel):
    """How many of the caller's notifications are unread."""

    count: int


class ReadAll(BaseModel):
    """How many notifications `read-all` marked read."""

    updated: int


def _problems(*statuses: int) -> OpenApiResponses:
    return problem_responses(_MEANINGS, *statuses)


def notifications_router(inbox: NotificationInbox) -> APIRouter:
    """Routes to read and acknowledge the caller's notifications."""
    router = APIRouter(prefix="/api/notifications", tags=["notifications"])

    @router.get("", responses=_problems(401, 422))
    async def list_notifications(
        caller: CurrentPrincipal,
        language: AnswerLanguage,
        unread: Annotated[
            bool | None, Query(description="true: unread only; false: read only; omit for both")
        ] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Page[NotificationView]:
        """The caller's notifications, newest first."""
        found = await inbox.newest(
            caller, unread=unread, after=time_id_cursor(cursor), limit=limit + 1
        )
        views = [NotificationView.of(n, language) for n in found]
        return page_of(views, limit, lambda v: (v.created_at.isoformat(), v.id))

    @router.get("/unread-count", responses=_problems(401))
    async def unread_count(caller: CurrentPrincipal) -> UnreadCount:
        """How many of the caller's notifications are unread."""
        return UnreadCount(count=await inbox.unread_count(caller))

    @router.post("/read-all", responses=_problems(401))
    async def read_all(caller: CurrentPrincipal) -> ReadAll:
        """Mark every unread notification of the caller read."""
        return ReadAll(updated=await inbox.mark_all_read(caller))

    @router.post("/{notification_id}/read", responses=_problems(401, 404))
    async def read(
        caller: CurrentPrincipal, language: AnswerLanguage, notification_id: str
    ) -> NotificationView:
        """Mark one of the caller's notifications read; reading it again changes nothing."""
        return NotificationView.of(await inbox.mark_read(caller, notification_id), language)

    return router
