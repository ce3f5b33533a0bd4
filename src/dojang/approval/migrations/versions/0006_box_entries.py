"""The box index: one row per (viewer, box, document), filled from the documents.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same boxes as dojang.approval.service.boxes, computed from the stored columns and
# the participant index of the documents already there.
_FILL = """
INSERT INTO approval_box_entries (viewer_id, box, document_id)
SELECT DISTINCT viewer_id, box, document_id FROM (
    SELECT requester_id AS viewer_id, 'all' AS box, id AS document_id FROM approval_documents
    UNION SELECT employee_id, 'all', document_id FROM approval_participants
    UNION SELECT requester_id, 'drafts', id FROM approval_documents WHERE status = 'draft'
    UNION SELECT requester_id, 'submitted', id FROM approval_documents WHERE status <> 'draft'
    UNION SELECT employee_id, 'cc', document_id FROM approval_participants WHERE role = 'cc'
    UNION SELECT p.employee_id, 'inbox', p.document_id FROM approval_participants p
        JOIN approval_documents d ON d.id = p.document_id
        WHERE p.role = 'holder' AND d.status = 'in_progress'
    UNION SELECT requester_id, 'completed', id FROM approval_documents WHERE status = 'approved'
    UNION SELECT requester_id, 'rejected', id FROM approval_documents WHERE status = 'rejected'
    UNION SELECT p.employee_id, CASE d.status WHEN 'approved' THEN 'completed' ELSE 'rejected' END,
        p.document_id FROM approval_participants p
        JOIN approval_documents d ON d.id = p.document_id
        WHERE p.role IN ('approver', 'decider') AND d.status IN ('approved', 'rejected')
) AS entries
"""


def upgrade() -> None:
    op.create_table(
        "approval_box_entries",
        sa.Column("viewer_id", sa.String(36), primary_key=True),
        sa.Column("box", sa.String(16), primary_key=True),
        sa.Column(
            "document_id",
            sa.String(36),
            sa.ForeignKey("approval_documents.id", name="fk_approval_box_entries_document"),
            primary_key=True,
        ),
    )
    op.execute(_FILL)


def downgrade() -> None:
    op.drop_table("approval_box_entries")
