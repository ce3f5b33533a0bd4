"""The authorization matrix: every route and role, and the status it answers.

Roles: `anonymous` (no token), `staff` (the requester of the route's document, reporting to
`approver`), `approver` (a manager, in the document's line), `admin`, `other` (an employee
with no part in the document). A cell is an exact status (`401`, `403`, `404`) or a class
(`2xx`, `4xx`: refused as bad input or a conflict after authorization passed).
docs/security.md is rendered from this table (`python -m tests.api.authz.render`).
"""

from __future__ import annotations

from typing import Any

from .actors import PASSWORD

Row = dict[str, str]


def row(anonymous: str, staff: str, approver: str, admin: str, other: str) -> Row:
    return {"anonymous": anonymous, "staff": staff, "approver": approver, "admin": admin,
            "other": other}  # fmt: skip


def status_class(status: int, expected: str) -> str:
    """`status` as the matrix writes it when compared with `expected`: exact or a class."""
    if expected.endswith("xx"):
        return f"{status // 100}xx"
    return str(status)


EVERYONE = row("401", "2xx", "2xx", "2xx", "2xx")
ADMIN_ONLY = row("401", "403", "403", "2xx", "403")
IN_THE_DOCUMENT = row("401", "2xx", "2xx", "2xx", "404")
"""The requester, the approvers and administrators see a document; to anyone else it is 404."""

MATRIX: dict[str, Row] = {
    # identity
    "POST /api/auth/login": row("2xx", "2xx", "2xx", "2xx", "2xx"),
    "POST /api/auth/refresh": row("401", "401", "401", "401", "401"),
    "GET /api/auth/me": EVERYONE,
    "POST /api/auth/ws-ticket": EVERYONE,
    # organisation
    "GET /api/departments": EVERYONE,
    "POST /api/departments": ADMIN_ONLY,
    "GET /api/departments/{department_id}": EVERYONE,
    "PATCH /api/departments/{department_id}": ADMIN_ONLY,
    "GET /api/employees": EVERYONE,
    "POST /api/employees": ADMIN_ONLY,
    "GET /api/employees/{employee_id}": EVERYONE,
    # an employee may rename only themself (the route's employee is staff)
    "PATCH /api/employees/{employee_id}": row("401", "2xx", "403", "2xx", "403"),
    "DELETE /api/employees/{employee_id}": ADMIN_ONLY,
    # attendance and leave: one's own by default
    "GET /api/attendance": EVERYONE,
    "POST /api/attendance/check-in": EVERYONE,
    "POST /api/attendance/check-out": EVERYONE,
    "GET /api/leave/balance": EVERYONE,
    # documents
    "GET /api/forms": EVERYONE,
    "GET /api/forms/{code}": EVERYONE,
    "GET /api/approvals": EVERYONE,
    # anyone drafts; the default line needs a manager, which only staff has here (422)
    "POST /api/approvals": row("401", "2xx", "4xx", "4xx", "4xx"),
    "POST /api/approvals/preview": row("401", "2xx", "4xx", "4xx", "4xx"),
    "GET /api/approvals/{approval_id}": IN_THE_DOCUMENT,
    "GET /api/approvals/{approval_id}/versions": IN_THE_DOCUMENT,
    "GET /api/approvals/{approval_id}/versions/{version}": IN_THE_DOCUMENT,
    # a document in progress is changed only by withdrawing it: nobody edits it
    "PATCH /api/approvals/{approval_id}": row("401", "4xx", "403", "403", "404"),
    "POST /api/approvals/{approval_id}/comments": IN_THE_DOCUMENT,
    # only cc readers mark a document read
    "POST /api/approvals/{approval_id}/read": row("401", "403", "403", "403", "404"),
    # only the approver of the active stage decides
    "POST /api/approvals/{approval_id}/approve": row("401", "403", "2xx", "403", "403"),
    "POST /api/approvals/{approval_id}/reject": row("401", "403", "2xx", "403", "403"),
    # only who made an approval takes it back; here nobody has approved yet
    "POST /api/approvals/{approval_id}/take-back": row("401", "403", "403", "403", "403"),
    # only the requester withdraws, submits and resubmits (409: not a draft, not ended)
    "POST /api/approvals/{approval_id}/withdraw": row("401", "2xx", "403", "403", "404"),
    "POST /api/approvals/{approval_id}/submit": row("401", "409", "403", "403", "404"),
    "POST /api/approvals/{approval_id}/resubmit": row("401", "409", "403", "403", "404"),
    # deciding's bookkeeping (approval-processing)
    "GET /api/inbox": EVERYONE,
    "GET /api/delegations": EVERYONE,
    "POST /api/delegations": row("401", "4xx", "4xx", "4xx", "4xx"),
    "DELETE /api/delegations/{delegation_id}": row("401", "404", "404", "404", "404"),
    "GET /api/admin/tasks": ADMIN_ONLY,
    "POST /api/admin/tasks/{task_id}/reassign": row("401", "403", "403", "4xx", "403"),
    # notifications: one's own only (the route's notification is the approver's)
    "GET /api/notifications": EVERYONE,
    "GET /api/notifications/unread-count": EVERYONE,
    "POST /api/notifications/read-all": EVERYONE,
    "POST /api/notifications/{notification_id}/read": row("401", "404", "2xx", "404", "404"),
}

BODIES: dict[str, Any] = {
    "POST /api/auth/login": {"email": "staff@dojang.example", "password": PASSWORD},
    "POST /api/auth/refresh": {"refresh_token": "not-a-refresh-token"},
    "POST /api/departments": {"name": "New team"},
    "PATCH /api/departments/{department_id}": {"name": "Engineering"},
    "POST /api/employees": {
        "name": "New hire",
        "email": "hire@dojang.example",
        "department_id": "{department_id}",
        "position": "staff",
    },
    "PATCH /api/employees/{employee_id}": {"name": "Staff"},
    "POST /api/approvals": {"form": "general", "title": "품의", "content": "본문", "fields": {}},
    "POST /api/approvals/preview": {"form": "general", "fields": {}},
    "PATCH /api/approvals/{approval_id}": {"title": "고친 제목"},
    "POST /api/approvals/{approval_id}/comments": {"body": "의견입니다"},
    "POST /api/approvals/{approval_id}/approve": {},
    "POST /api/approvals/{approval_id}/reject": {"reason": "반려합니다"},
    "POST /api/approvals/{approval_id}/take-back": {},
    "POST /api/approvals/{approval_id}/resubmit": {},
}
