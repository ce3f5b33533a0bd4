"""docs/security.md from the authorization matrix: `python -m tests.api.authz.render
docs/security.md` (tests/api/authz/test_security_doc.py fails when it is stale)."""

from __future__ import annotations

import sys
from pathlib import Path

from .actors import ROLES
from .matrix import MATRIX

HEADER = """# Security: who may call what

<!-- Generated from tests/api/authz/matrix.py by `python -m tests.api.authz.render
docs/security.md`; tests/api/authz/test_security_doc.py fails when it is stale. -->

Every route of the API, called as each kind of caller, and what it answers.
`tests/api/authz/test_authorization_matrix.py` calls every route of the OpenAPI document as
each of them on the embedded app and fails when an answer differs from this table, or when a
route is missing from it. The acting user always comes from the verified token.

- **anonymous**: no token. **staff**: the requester of the route's document (reporting to
  the approver). **approver**: a manager, in that document's line. **admin**: an
  administrator with no part in the document. **other**: an employee with no part in it.
- `2xx`: allowed. `401`: no token. `403`: not allowed. `404`: not shown to this caller (a
  document they may not see answers as if it did not exist). `4xx`: past authorization, but
  refused as bad input or a state conflict for this caller's data (e.g. no manager to build
  a default line). `409`: a state conflict (the route's document is in progress).
- Not in the table, open to anyone: `/healthz`, `/readyz`, `/.well-known/*`.

| route | anonymous | staff | approver | admin | other |
|---|---|---|---|---|---|
"""


def render() -> str:
    """The document's text."""
    rows = [
        f"| `{route}` | " + " | ".join(MATRIX[route][role] for role in ROLES) + " |"
        for route in sorted(MATRIX, key=lambda route: (route.split(" ", 1)[1], route))
    ]
    return HEADER + "\n".join(rows) + "\n"


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(render(), encoding="utf-8")
