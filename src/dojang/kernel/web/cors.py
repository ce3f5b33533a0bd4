"""Which other sites' pages may call the API (`DOJANG_CORS_ORIGINS`).

By default none: the web app is served by Dojang itself, from the same origin, and needs no
CORS. A company that serves the app from its own intranet host names that origin. Tokens
travel in `Authorization`, never in cookies, so no origin is ever allowed credentials, and
`*` is refused by the setting.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

ALLOWED_HEADERS = [
    "Authorization",
    "Content-Type",
    "Accept-Language",
    "Idempotency-Key",
    "X-Request-ID",
]
EXPOSED_HEADERS = ["X-Request-ID", "Retry-After", "Location", "Content-Language"]
PREFLIGHT_CACHE_SECONDS = 600


def install_cors(app: FastAPI, origins: Sequence[str]) -> None:
    """Answers preflights and tags answers for `origins`; adds nothing when it is empty."""
    if not origins:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(origins),
        allow_credentials=False,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=ALLOWED_HEADERS,
        expose_headers=EXPOSED_HEADERS,
        max_age=PREFLIGHT_CACHE_SECONDS,
    )
