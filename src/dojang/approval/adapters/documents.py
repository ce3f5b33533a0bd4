"""SQL adapters of the approval store: whole-document repository and number counters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Dialect,
    Executable,
    Select,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from dojang.approval.adapters import full_text as full_text_module
from dojang.approval.adapters.tables import (
    box_entries,
    documents,
    number_counters,
    participants,
)
from dojang.approval.domain.document import ApprovalDocument, DocumentStatus, Role
from dojang.approval.domain.forms import FormCode
from dojang.approval.service.boxes import BoxEntry, box_entries_of, box_name
from dojang.approval.service.search import SearchableText, query_terms
from dojang.approval.service.unit_of_work import (
    DocumentQuery,
    Outgoing,
    StaleDocument,
)
from dojang.kernel.bus.envelope import Event
from dojang.kernel.locks import count_up_statement
from dojang.kernel.sql import SqlSession

Emit = Callable[[str, Event], None]
Participants = set[tuple[str, Role]]


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


def _columns(document: ApprovalDocument) -> dict[str, Any]:
    return {
        "form": document.form.value,
        "status": document.status.value,
        "requester_id": document.requester.id,
        "title": document.title,
        "version": document.version,
        "number": document.number,
        "created_at": _utc(document.created_at),
        "updated_at": _utc(document.updated_at),
        "submitted_at": _utc(document.submitted_at),
        "completed_at": _utc(document.completed_at),
        "body": document.to_dict(),
    }


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# Statements built once: SQLAlchemy then finds them in its compiled cache without rebuilding
# them for every call, which matters on the paths every submission takes.
_GET = select(documents.c.revision, documents.c.body).where(
    documents.c.id == bindparam("document_id")
)
_ADD = insert(documents)
_INDEX = insert(participants)
_SAVE = update(documents).where(
    documents.c.id == bindparam("saved_id"), documents.c.revision == bindparam("saved_revision")
)


class SqlDocumentRepository:
    """Documents in `approval_documents`; their events go to the same transaction's outbox."""

    def __init__(self, session: SqlSession, emit: Emit, *, full_text: bool = False) -> None:
        self._session = session
        self._emit = emit
        # whether the embedded full-text index is kept (SQLite FTS5; adapters/full_text.py)
        self._full_text = full_text
        # The participant and box index rows of each document as loaded, so a save writes
        # only the change.
        self._indexed: dict[str, Participants] = {}
        self._boxed: dict[str, set[BoxEntry]] = {}

    async def get(self, document_id: str) -> ApprovalDocument | None:
        """The document with this id, if any, at its stored revision."""
        row = (await self._session.execute(_GET, {"document_id": document_id})).first()
        if row is None:
            return None
        document = ApprovalDocument.from_dict(row.body, revision=row.revision)
        self._indexed[document.id] = document.participants()
        self._boxed[document.id] = box_entries_of(document)
        return document

    async def add(self, document: ApprovalDocument, events: Sequence[Outgoing]) -> None:
        """Store a new document and the events its creation causes."""
        await self._session.execute(_ADD, {"id": document.id, "revision": 1, **_columns(document)})
        now_indexed = document.participants()
        await self._write_index(document.id, set(), now_indexed)
        await self._write_boxes(document, set())
        await self._write_text(document, new=True)
        document.revision = 1
        self._indexed[document.id] = now_indexed
        self._queue(events)

    async def save(self, document: ApprovalDocument, events: Sequence[Outgoing]) -> None:
        """Store a changed document and its events; `StaleDocument` if saved meanwhile."""
        result = await self._session.execute(
            _SAVE,
            {
                "saved_id": document.id,
                "saved_revision": document.revision,
                "revision": document.revision + 1,
                **_columns(document),
            },
        )
        saved = cast(CursorResult[Any], result).rowcount
        if saved != 1:
            raise StaleDocument(
                f"approval document {document.id} changed since revision {document.revision}"
            )
        before = self._indexed.get(document.id)
        if before is None:
            await self._session.execute(
                delete(participants).where(participants.c.document_id == document.id)
            )
            before = set()
        now_indexed = document.participants()
        await self._write_index(document.id, before, now_indexed)
        boxed = self._boxed.get(document.id)
        if boxed is None:
            await self._session.execute(
                delete(box_entries).where(box_entries.c.document_id == document.id)
            )
            boxed = set()
        await self._write_boxes(document, boxed)
        await self._write_text(document, new=False)
        document.revision += 1
        self._indexed[document.id] = now_indexed
        self._queue(events)

    async def search(
        self, query: DocumentQuery, *, before: str | None, limit: int
    ) -> list[ApprovalDocument]:
        """Up to `limit` documents matching `query`, newest first, older than `before`."""
        statement = (
            text_page(query, before=before, limit=limit, full_text=self._full_text)
            if query.text
            else box_page(query, before=before, limit=limit)
        )
        rows = await self._session.execute(statement)
        return [ApprovalDocument.from_dict(row.body, revision=row.revision) for row in rows]

    async def ids_in_progress(self, *, after: str | None, limit: int) -> list[str]:
        """Up to `limit` ids of documents in progress, in id order, above `after`."""
        conditions = [documents.c.status == DocumentStatus.IN_PROGRESS.value]
        if after is not None:
            conditions.append(documents.c.id > after)
        found = await self._session.scalars(
            select(documents.c.id).where(*conditions).order_by(documents.c.id).limit(limit)
        )
        return list(found)

    async def _write_index(
        self, document_id: str, before: Participants, after: Participants
    ) -> None:
        gone = before - after
        if gone:
            await self._session.execute(
                delete(participants).where(
                    participants.c.document_id == document_id,
                    or_(
                        *(
                            and_(
                                participants.c.employee_id == employee_id,
                                participants.c.role == role.value,
                            )
                            for employee_id, role in gone
                        )
                    ),
                )
            )
        new = after - before
        if new:
            await self._session.execute(
                _INDEX,
                [
                    {"document_id": document_id, "employee_id": employee_id, "role": role.value}
                    for employee_id, role in sorted(new)
                ],
            )

    async def _write_text(self, document: ApprovalDocument, *, new: bool) -> None:
        if not self._full_text:
            return
        if not new:
            await self._session.execute(full_text_module.DELETE, {"document_id": document.id})
        row = full_text_module.row_of(document.id, SearchableText.of(document))
        await self._session.execute(full_text_module.INSERT, row)

    async def _write_boxes(self, document: ApprovalDocument, before: set[BoxEntry]) -> None:
        after = box_entries_of(document)
        gone = before - after
        if gone:
            await self._session.execute(
                delete(box_entries).where(
                    box_entries.c.document_id == document.id,
                    or_(
                        *(
                            and_(box_entries.c.viewer_id == viewer, box_entries.c.box == box)
                            for viewer, box in gone
                        )
                    ),
                )
            )
        new = after - before
        if new:
            await self._session.execute(
                insert(box_entries),
                [
                    {"viewer_id": viewer, "box": box, "document_id": document.id}
                    for viewer, box in sorted(new)
                ],
            )
        self._boxed[document.id] = after

    def _queue(self, events: Sequence[Outgoing]) -> None:
        for topic, event in events:
            self._emit(topic, event)


def _filters(query: DocumentQuery) -> list[ColumnElement[bool]]:
    conditions = [
        box_entries.c.viewer_id == query.viewer_id,
        box_entries.c.box == box_name(query.box),
    ]
    if query.form is not None:
        conditions.append(documents.c.form == query.form.value)
    if query.status is not None:
        conditions.append(documents.c.status == query.status.value)
    return conditions


def box_page(query: DocumentQuery, *, before: str | None, limit: int) -> Select[Any]:
    """The statement of one page of a box: a walk of the box index from the newest entry
    (or the one below `before`) down, joined to the documents, that stops at `limit`."""
    conditions = _filters(query)
    if before is not None:
        conditions.append(box_entries.c.document_id < before)
    return (
        select(documents.c.revision, documents.c.body)
        .select_from(box_entries.join(documents, documents.c.id == box_entries.c.document_id))
        .where(and_(*conditions))
        .order_by(box_entries.c.document_id.desc())
        .limit(limit)
    )


def text_page(
    query: DocumentQuery, *, before: str | None, limit: int, full_text: bool
) -> Executable:
    """One page of the documents of a box whose text holds every word of `query.text`,
    newest first. With the full-text index and words it can find, the matches lead and
    each is checked against the box by its primary key; otherwise the box's walk compares
    the title and number (docs/search.md)."""
    terms = query_terms(query.text or "")
    expression = full_text_module.match_expression(terms) if full_text else None
    if expression is not None:
        return full_text_module.matching_page(
            expression,
            viewer_id=query.viewer_id,
            box=box_name(query.box),
            form=None if query.form is None else query.form.value,
            status=None if query.status is None else query.status.value,
            before=before,
            limit=limit,
        )
    conditions = _filters(query)
    if before is not None:
        conditions.append(box_entries.c.document_id < before)
    for term in terms:
        pattern = f"%{_escape_like(term)}%"
        conditions.append(
            or_(
                func.lower(documents.c.title).like(pattern, escape="\\"),
                func.lower(documents.c.number).like(pattern, escape="\\"),
            )
        )
    return (
        select(documents.c.revision, documents.c.body)
        .select_from(box_entries.join(documents, documents.c.id == box_entries.c.document_id))
        .where(and_(*conditions))
        .order_by(box_entries.c.document_id.desc())
        .limit(limit)
    )


class SqlNumberSequence:
    """A counter row per form and year, incremented in the approving transaction."""

    def __init__(self, session: SqlSession, dialect: Dialect) -> None:
        self._session = session
        self._dialect = dialect

    async def next(self, form: FormCode, year: int, *, document_id: str) -> int:
        """The next number of `form` in `year`; a rollback gives it back, so none is lost
        (and the document needs no claim on it).

        One upsert counts up, or starts the year at 1, and keeps the row locked until the
        transaction ends: two documents approved at once take turns, even for the year's
        first number.
        """
        await self._session.execute(
            count_up_statement(
                self._dialect,
                number_counters,
                {"form": form.value, "year": year},
                "last_number",
            )
        )
        key = and_(number_counters.c.form == form.value, number_counters.c.year == year)
        number = await self._session.scalar(select(number_counters.c.last_number).where(key))
        assert number is not None
        return int(number)
