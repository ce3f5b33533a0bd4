"""The authorization matrix: every route and role, and the status it answers.

The callers (`actors.ROLES`), each in their part in the route's document:
- `anonymous`: no token;
- `outsider`: an employee of another department, with no part in it;
- `requester`: who drafted it;
- `approver`: an approver of the active stage;
- `later`: the approver of a stage after it;
- `cc`: a reader (참조);
- `delegate`: who stands in (대결) for the active stage's other approver;
- `manager`: the requester's own manager, who is not in its line;
- `admin`: an administrator with no part in it.
A cell is the exact status, or a class (`2xx`, `4xx`) where only that is meant.
docs/security.md is rendered from this table (`python -m tests.api.authz.render`).
"""

from __future__ import annotations

from typing import Any

from .actors import PASSWORD, ROLES

Row = dict[str, str]


def row(cells: str) -> Row:
    """One route's statuses, space-separated, for the callers of `ROLES` in their order."""
    return dict(zip(ROLES, cells.split(), strict=True))


def status_class(status: int, expected: str) -> str:
    """`status` as the matrix writes it when compared with `expected`: exact or a class."""
    if expected.endswith("xx"):
        return f"{status // 100}xx"
    return str(status)


EVERYONE = row("401 200 200 200 200 200 200 200 200")
ADMIN_ONLY = row("401 403 403 403 403 403 403 403 200")
IN_THE_DOCUMENT = row("401 404 200 200 200 200 200 404 200")
"""Those with a part in a document (its requester, approvers, delegates, cc) and
administrators see it; to anyone else, the requester's own manager included, it is 404."""

MATRIX: dict[str, Row] = {
    # cells: anonymous outsider requester approver later cc delegate manager admin
    # identity
    "POST /api/auth/login": row("200 200 200 200 200 200 200 200 200"),
    "POST /api/auth/refresh": row("401 401 401 401 401 401 401 401 401"),
    "GET /api/auth/me": EVERYONE,
    "POST /api/auth/ws-ticket": EVERYONE,
    # organisation
    "GET /api/departments": EVERYONE,
    "POST /api/departments": row("401 403 403 403 403 403 403 403 201"),
    "GET /api/departments/{department_id}": EVERYONE,
    "PATCH /api/departments/{department_id}": ADMIN_ONLY,
    "GET /api/employees": EVERYONE,
    "POST /api/employees": row("401 403 403 403 403 403 403 403 201"),
    "GET /api/employees/{employee_id}": EVERYONE,
    # an employee may rename only themself (the route's employee is the requester)
    "PATCH /api/employees/{employee_id}": row("401 403 200 403 403 403 403 403 200"),
    "DELETE /api/employees/{employee_id}": ADMIN_ONLY,
    # attendance and leave: one's own by default
    "GET /api/attendance": EVERYONE,
    "POST /api/attendance/check-in": row("401 201 201 201 201 201 201 201 201"),
    "POST /api/attendance/check-out": EVERYONE,
    "GET /api/leave/balance": EVERYONE,
    # documents
    "GET /api/forms": EVERYONE,
    "GET /api/forms/{code}": EVERYONE,
    "GET /api/approvals": EVERYONE,
    # anyone drafts; the default line needs a manager, which only the requester has here
    # (422)
    "POST /api/approvals": row("401 422 201 422 422 422 422 422 422"),
    "POST /api/approvals/preview": row("401 422 200 422 422 422 422 422 422"),
    "GET /api/approvals/{approval_id}": IN_THE_DOCUMENT,
    "GET /api/approvals/{approval_id}/versions": IN_THE_DOCUMENT,
    "GET /api/approvals/{approval_id}/versions/{version}": IN_THE_DOCUMENT,
    # a document in progress is changed only by withdrawing it: nobody edits it
    "PATCH /api/approvals/{approval_id}": row("401 404 409 403 403 403 403 404 403"),
    "POST /api/approvals/{approval_id}/comments": row("401 404 201 201 201 201 201 404 201"),
    # only cc readers mark a document read
    "POST /api/approvals/{approval_id}/read": row("401 404 403 403 403 200 403 404 403"),
    # only the approver of the active stage decides
    "POST /api/approvals/{approval_id}/approve": row("401 403 403 200 403 403 200 403 403"),
    "POST /api/approvals/{approval_id}/reject": row("401 403 403 200 403 403 200 403 403"),
    # only who made an approval takes it back; here nobody has approved yet
    "POST /api/approvals/{approval_id}/take-back": row("401 403 403 403 403 403 403 403 403"),
    # only the requester withdraws, submits and resubmits (409: not a draft, not ended)
    "POST /api/approvals/{approval_id}/withdraw": row("401 404 200 403 403 403 403 404 403"),
    "POST /api/approvals/{approval_id}/submit": row("401 404 409 403 403 403 403 404 403"),
    "POST /api/approvals/{approval_id}/resubmit": row("401 404 409 403 403 403 403 404 403"),
    # deciding's bookkeeping (approval-processing)
    "GET /api/inbox": EVERYONE,
    "GET /api/delegations": EVERYONE,
    "POST /api/delegations": row("401 201 201 201 201 201 201 422 201"),
    "DELETE /api/delegations/{delegation_id}": row("401 404 204 404 404 404 404 404 204"),
    "GET /api/admin/tasks": ADMIN_ONLY,
    "POST /api/admin/tasks/{task_id}/reassign": ADMIN_ONLY,
    # notifications: one's own only (the route's notification is the approver's)
    "GET /api/notifications": EVERYONE,
    "GET /api/notifications/unread-count": EVERYONE,
    "POST /api/notifications/read-all": EVERYONE,
    "POST /api/notifications/{notification_id}/read": row("401 404 404 200 404 404 404 404 404"),
}

BODIES: dict[str, Any] = {
    "POST /api/auth/login": {"email": "requester@dojang.example", "password": PASSWORD},
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
    "POST /api/delegations": {
        "delegate_id": "{manager_id}",
        "starts_at": "2031-03-02T09:00:00+09:00",
        "ends_at": "2031-03-06T18:00:00+09:00",
    },
    "POST /api/admin/tasks/{task_id}/reassign": {"assignee_id": "{manager_id}", "reason": "휴가"},
}
