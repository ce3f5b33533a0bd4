"""The embedded full-text index (SQLite FTS5, trigram), filled from the documents there.

A server database has none: MariaDB compares the title and number (docs/search.md).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 13:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from dojang.approval.adapters.full_text import CREATE

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the same text as service.search.SearchableText: title, number, content, the fields' values
_FILL = """
INSERT INTO approval_search (rowid, title, number, content, fields)
SELECT d.rowid, d.title, coalesce(d.number, ''),
       coalesce(json_extract(d.body, '$.content'), ''),
       coalesce((SELECT group_concat(f.value, ' ') FROM json_each(d.body, '$.fields') AS f
                 WHERE f.type IN ('text', 'integer', 'real')), '')
FROM approval_documents AS d
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(CREATE)
    op.execute(_FILL)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS approval_search")
