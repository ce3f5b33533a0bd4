"""`/api/admin/tasks`: administrators find tasks left with leavers and hand them on."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from dojang.kernel.web.deps import AdminPrincipal
from dojang.kernel.web.pagination import Cursor, Limit, Page, page_of, time_id_cursor
from dojang.processing.api.common import problems
from dojang.processing.api.schemas import AdminTaskBody, ReassignBody
from dojang.processing.service.administration import TaskAdministration


def admin_tasks_router(administration: TaskAdministration) -> APIRouter:
    """Routes to list pending tasks and reassign one (administrators only)."""
    router = APIRouter(prefix="/api/admin/tasks", tags=["admin"])

    @router.get("", responses=problems(401, 403, 422))
    async def list_pending_tasks(
        _admin: AdminPrincipal,
        stranded: Annotated[
            bool, Query(description="only tasks whose holder is a deactivated employee")
        ] = False,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Page[AdminTaskBody]:
        """Pending tasks, oldest first; with `stranded`, those left with someone who left."""
        found = await administration.pending(
            stranded=stranded, after=time_id_cursor(cursor), limit=limit + 1
        )
        bodies = [AdminTaskBody.of(task) for task in found]
        return page_of(bodies, limit, lambda t: (t.created_at.isoformat(), t.id))

    @router.post("/{task_id}/reassign", responses=problems(401, 403, 404, 409, 422))
    async def reassign_task(
        admin: AdminPrincipal, task_id: str, body: ReassignBody
    ) -> AdminTaskBody:
        """Hand a pending task to another employee, who may decide it at once."""
        task = await administration.reassign(
            admin, task_id, assignee_id=body.assignee_id, reason=body.reason
        )
        return AdminTaskBody.of(task)

    return router
