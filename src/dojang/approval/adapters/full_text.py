"""The embedded full-text index: an SQLite FTS5 table with the trigram tokenizer.

`approval_search` holds, under the rowid of each row of `approval_documents`, the searchable
text of its current version (service/search.py). A trigram index finds any substring of at
least three characters, which suits Korean, whose words carry their particles: "출장비"
is found inside "출장비를". The repository rewrites a document's row in the transaction
that saves the document.
"""

from __future__ import annotations

from sqlalchemy import JSON, Integer, TextClause, TextualSelect, text

from dojang.approval.service.search import TRIGRAM, SearchableText

CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS approval_search USING fts5("
    "title, number, content, fields, tokenize = 'trigram')"
)


def is_index_table(name: str) -> bool:
    """Whether a table is the FTS5 index or one of the tables SQLite keeps for it."""
    return name == "approval_search" or name.startswith("approval_search_")


# a document's row in the index has the rowid of its row in approval_documents
DELETE: TextClause = text(
    "DELETE FROM approval_search "
    "WHERE rowid = (SELECT rowid FROM approval_documents WHERE id = :document_id)"
)
INSERT: TextClause = text(
    "INSERT INTO approval_search (rowid, title, number, content, fields) "
    "VALUES ((SELECT rowid FROM approval_documents WHERE id = :document_id), "
    ":title, :number, :content, :fields)"
)


def row_of(document_id: str, searchable: SearchableText) -> dict[str, str]:
    """The parameters of `INSERT` for one document."""
    return {
        "document_id": document_id,
        "title": searchable.title,
        "number": searchable.number,
        "content": searchable.content,
        "fields": searchable.fields,
    }


def match_expression(terms: list[str]) -> str | None:
    """The FTS5 query that finds every term as a substring, or None when a term is too short
    for the trigram index (the caller then compares text instead)."""
    if not terms or any(len(term) < TRIGRAM for term in terms):
        return None
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)


_MATCHING_PAGE = (
    "SELECT d.revision, d.body FROM approval_search "
    "CROSS JOIN approval_documents AS d ON d.rowid = approval_search.rowid "
    "CROSS JOIN approval_box_entries AS b ON b.document_id = d.id "
    "WHERE {where} ORDER BY d.id DESC LIMIT :limit"
)


def matching_page(
    expression: str,
    *,
    viewer_id: str,
    box: str,
    form: str | None,
    status: str | None,
    before: str | None,
    limit: int,
) -> TextualSelect:
    """The newest `limit` documents of a box that match `expression`.

    `CROSS JOIN` keeps SQLite's join order as written: the index's matches first, then each
    one's document and box entry by primary key, and a sort of the matches alone. Left to
    itself the planner walks the box for its order and asks the index about every
    document in it, which reads the whole box for a rare word.
    """
    clauses = [
        "approval_search MATCH :expression",
        "b.viewer_id = :viewer_id",
        "b.box = :box",
    ]
    params: dict[str, object] = {
        "expression": expression,
        "viewer_id": viewer_id,
        "box": box,
        "limit": limit,
    }
    if form is not None:
        clauses.append("d.form = :form")
        params["form"] = form
    if status is not None:
        clauses.append("d.status = :status")
        params["status"] = status
    if before is not None:
        clauses.append("d.id < :before")
        params["before"] = before
    # only the fixed clauses above go into the text; every value is a bound parameter
    statement = text(_MATCHING_PAGE.format(where=" AND ".join(clauses)))
    return statement.bindparams(**params).columns(revision=Integer, body=JSON)
