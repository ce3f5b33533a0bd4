"""Security headers on every HTTP answer, and no caching of personal data.

Every answer says `nosniff`, may not be framed and sends no referrer. The API's JSON gets a
policy that forbids everything (`default-src 'none'`) and `Cache-Control: no-store`: it holds
personal data that a shared proxy or the browser's disk must not keep. The web app's pages
may load only what comes from Dojang itself, and reach only Dojang (its API and WebSocket).
The API's own documentation page runs an inline bootstrap script, so only it may.
An answer that already chose its `Cache-Control` (hashed web assets) keeps it.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_POLICY = "default-src 'none'; frame-ancestors 'none'"
APP_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
DOCS_PATH = "/api/docs"


def _policy(path: str) -> str:
    if path == DOCS_PATH or path.startswith(DOCS_PATH + "/"):
        return DOCS_POLICY
    if path.startswith("/api/") or path in {"/healthz", "/readyz", "/metrics"}:
        return API_POLICY
    return APP_POLICY


class SecurityHeadersMiddleware:
    """Adds the headers above to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        policy = _policy(path)
        private = policy == API_POLICY

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "no-referrer"
                headers["Content-Security-Policy"] = policy
                if private and "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)
