"""`/api/approvals`: drafting, submitting, withdrawing, resubmitting, commenting, reading."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status

from dojang.approval.api.common import id_cursor, offset_cursor, problems
from dojang.approval.api.schemas import (
    CommentBody,
    CommentOut,
    ContentChangesBody,
    DocumentOut,
    ListedDocumentOut,
    NewApprovalBody,
    VersionList,
    VersionOut,
)
from dojang.approval.domain.document import DocumentStatus
from dojang.approval.domain.forms import FormCode
from dojang.approval.service.documents import ApprovalUseCases
from dojang.approval.service.search import match_of, query_terms
from dojang.approval.service.unit_of_work import Box, DocumentQuery
from dojang.kernel.errors import NotFound
from dojang.kernel.web.deps import CurrentPrincipal
from dojang.kernel.web.pagination import Cursor, Limit, Page, encode_cursor, page_of


def approvals_router(approvals: ApprovalUseCases) -> APIRouter:
    """Routes of approval documents; who may do what is the use cases' call."""
    router = APIRouter(prefix="/api/approvals", tags=["approvals"])

    @router.post("", status_code=status.HTTP_201_CREATED, responses=problems(401, 403, 422, 503))
    async def create_approval(caller: CurrentPrincipal, body: NewApprovalBody) -> DocumentOut:
        """Submit a document (or save a draft with `submit: false`)."""
        return DocumentOut.of(await approvals.create(caller, body.command()))

    @router.get("", responses=problems(401, 422))
    async def list_approvals(
        caller: CurrentPrincipal,
        box: Annotated[Box | None, Query(description="omit for every document of mine")] = None,
        form: FormCode | None = None,
        status: DocumentStatus | None = None,
        q: Annotated[
            str | None,
            Query(
                max_length=100,
                description="words of the title, number, content or fields (Korean particles"
                " such as 를 may stay on); each item then says how it matched",
            ),
        ] = None,
        sort: Annotated[
            Literal["newest", "relevance"],
            Query(description="`relevance` (with `q`): best match first"),
        ] = "newest",
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Page[ListedDocumentOut]:
        """The caller's documents of one box (결재함), newest first (or best match first)."""
        query = DocumentQuery(
            viewer_id=caller.user_id,
            box=box,
            form=form,
            status=status,
            text=q.strip() if q and q.strip() else None,
        )
        if sort == "relevance" and query.text is not None:
            offset = offset_cursor(cursor)
            ranked = await approvals.search_ranked(query, offset=offset, limit=limit + 1)
            more = len(ranked) > limit
            return Page[ListedDocumentOut](
                items=[ListedDocumentOut.listed(doc, found) for doc, found in ranked[:limit]],
                next_cursor=encode_cursor("rank", offset + limit) if more else None,
            )
        found = await approvals.search(query, before=id_cursor(cursor), limit=limit + 1)
        page = page_of(found, limit, lambda document: (document.id,))
        terms = query_terms(query.text) if query.text else None
        return Page[ListedDocumentOut](
            items=[
                ListedDocumentOut.listed(doc, None if terms is None else match_of(doc, terms))
                for doc in page.items
            ],
            next_cursor=page.next_cursor,
        )

    @router.get("/{approval_id}", responses=problems(401, 404))
    async def get_approval(caller: CurrentPrincipal, approval_id: str) -> DocumentOut:
        """One document the caller may see."""
        return DocumentOut.of(await approvals.get(caller, approval_id))

    @router.patch("/{approval_id}", responses=problems(401, 403, 404, 409, 422))
    async def edit_draft(
        caller: CurrentPrincipal, approval_id: str, body: ContentChangesBody
    ) -> DocumentOut:
        """Change a draft (the requester)."""
        return DocumentOut.of(await approvals.edit_draft(caller, approval_id, body.changes()))

    @router.post("/{approval_id}/submit", responses=problems(401, 403, 404, 409, 422, 503))
    async def submit_draft(caller: CurrentPrincipal, approval_id: str) -> DocumentOut:
        """Submit a draft (the requester): its line is built and the first stage opened."""
        return DocumentOut.of(await approvals.submit(caller, approval_id))

    @router.post("/{approval_id}/withdraw", responses=problems(401, 403, 404, 409))
    async def withdraw(caller: CurrentPrincipal, approval_id: str) -> DocumentOut:
        """Withdraw a document in progress (the requester); its open tasks are cancelled."""
        return DocumentOut.of(await approvals.withdraw(caller, approval_id))

    @router.post("/{approval_id}/resubmit", responses=problems(401, 403, 404, 409, 422, 503))
    async def resubmit(
        caller: CurrentPrincipal, approval_id: str, body: ContentChangesBody | None = None
    ) -> DocumentOut:
        """Submit a rejected or withdrawn document again, as its next version."""
        changes = (body or ContentChangesBody()).changes()
        return DocumentOut.of(await approvals.resubmit(caller, approval_id, changes))

    @router.post(
        "/{approval_id}/comments",
        status_code=status.HTTP_201_CREATED,
        responses=problems(401, 404, 422),
    )
    async def add_comment(
        caller: CurrentPrincipal, approval_id: str, body: CommentBody
    ) -> CommentOut:
        """Comment on a document the caller may see."""
        return CommentOut.of(await approvals.comment(caller, approval_id, body.body))

    @router.post("/{approval_id}/read", responses=problems(401, 403, 404))
    async def mark_read(caller: CurrentPrincipal, approval_id: str) -> DocumentOut:
        """Record the caller's read receipt as a cc member (참조); kept from the first read."""
        return DocumentOut.of(await approvals.mark_read(caller, approval_id))

    @router.get("/{approval_id}/versions", responses=problems(401, 404))
    async def list_versions(caller: CurrentPrincipal, approval_id: str) -> VersionList:
        """Every version of the document, oldest first; the last is the current one."""
        versions = await approvals.versions(caller, approval_id)
        return VersionList(items=[VersionOut.of(snapshot) for snapshot in versions])

    @router.get("/{approval_id}/versions/{version}", responses=problems(401, 404))
    async def get_version(caller: CurrentPrincipal, approval_id: str, version: int) -> VersionOut:
        """One version of the document."""
        for snapshot in await approvals.versions(caller, approval_id):
            if snapshot.version == version:
                return VersionOut.of(snapshot)
        raise NotFound(
            "Approval document {approval_id} has no version {version}.",
            approval_id=approval_id,
            version=version,
        )

    return router
