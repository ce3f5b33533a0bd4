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

Each route is called on a document of the requester's whose line is: the approver and an
absent colleague must both approve (the active stage), then the later approver; the cc
member reads it. The delegate stands in (대결) for the absent colleague.

- **anonymous**: no token. **outsider**: an employee of another department with no part in
  the document. **requester**: who drafted it. **approver**: an approver of its active
  stage. **later**: the approver of its next stage. **cc**: its reader (참조).
  **delegate**: who stands in for the active stage's other approver. **manager**: the
  requester's own manager, who is not in the line. **admin**: an administrator with no part
  in the document.
- `200`, `201`, `204`: allowed. `401`: no token. `403`: not allowed. `404`: not shown to
  this caller (a document they may not see answers as if it did not exist). `409`: a state
  conflict (the document is in progress). `422`: past authorization, but refused as bad
  input for this caller's data (e.g. no manager to build a default line, a delegation to
  oneself).
- Not in the table, open to anyone: `/healthz`, `/readyz`, `/.well-known/*`.

| route | anonymous | outsider | requester | approver | later | cc | delegate | manager | admin |
|---|---|---|---|---|---|---|---|---|---|
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
