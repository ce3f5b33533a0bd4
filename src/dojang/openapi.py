"""The OpenAPI document of the embedded app, as the web client is generated from it."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any


def openapi_document() -> dict[str, Any]:
    """The document `GET /api/openapi.json` answers, from an app that is never started."""
    from dojang.app import create_app

    # Building the app opens (lazily) its SQLite files: keep them away from any real data.
    with tempfile.TemporaryDirectory(prefix="dojang-openapi-") as data_dir:
        app = create_app(data_dir=Path(data_dir), log_level="WARNING")
        return app.openapi()


def render_openapi(document: dict[str, Any]) -> str:
    """The document as UTF-8 JSON text that only changes when the API does: keys sorted,
    two-space indents, non-ASCII text as it is, one newline at the end."""
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
