"""docs/security.md is the authorization matrix as `tests.api.authz.render` renders it."""

from __future__ import annotations

from pathlib import Path

from .render import render

DOC = Path(__file__).resolve().parents[3] / "docs" / "security.md"


def test_the_committed_security_doc_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/security.md is stale: run `python -m tests.api.authz.render docs/security.md`"
    )
