"""The built web app (`web/dist`) served beside the API by `dojang serve`.

Vite names every file under `assets/` after a hash of its content, so those are cached for a
year and never revalidated; `index.html` and the other files at the top of `dist` keep their
names across builds and are revalidated on every use. A page the SPA routes itself
(`/approvals/42`) has no file: a browser asking for HTML there gets `index.html`. Nothing
under `/api` or `/ws` is ever answered with the app, and anything that matches no route and
no file is the usual 404 problem.
"""

from __future__ import annotations

from pathlib import Path

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response
from starlette.routing import Router
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
ASSETS = "assets"
INDEX = "index.html"
# Paths the app never answers for: the API and the WebSocket endpoints.
SERVER_PREFIXES = ("/api", "/ws")


def repository_web_dist() -> Path:
    """Where `npm run build` puts the app in a checkout of the repository."""
    return Path(__file__).resolve().parents[4] / "web" / "dist"


def find_web_dir(configured: Path | None) -> Path | None:
    """The directory to serve: the configured one, else the checkout's build if present."""
    if configured is not None:
        return configured
    built = repository_web_dist()
    return built if (built / INDEX).is_file() else None


def is_server_path(path: str) -> bool:
    """True for `/api`, `/ws` and everything under them."""
    return any(path == prefix or path.startswith(prefix + "/") for prefix in SERVER_PREFIXES)


def _accepts_html(scope: Scope) -> bool:
    return "text/html" in Headers(scope=scope).get("accept", "")


class HashedAssets(StaticFiles):
    """`/assets/*`: content-hashed names, so cached for good."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        """The file with a long-lived `Cache-Control`; a 404 problem when it is missing."""
        response = await super().get_response(path, scope)
        response.headers["Cache-Control"] = IMMUTABLE
        return response


class SinglePageApp(StaticFiles):
    """What no route matched: a file at the top of the build, or `index.html` for a page."""

    def __init__(self, directory: Path, not_found: Router) -> None:
        super().__init__(directory=directory)
        self._index = directory / INDEX
        self._router = not_found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the app for GET and HEAD outside `/api` and `/ws`; 404 otherwise."""
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or is_server_path(scope["path"])
        ):
            await self._router.not_found(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    async def get_response(self, path: str, scope: Scope) -> Response:
        """A top-level file as it is, `index.html` for `/` and for a page asking for HTML."""
        if path in (".", INDEX):
            return self._index_response()
        try:
            response = await super().get_response(path, scope)
        except HTTPException as missing:
            if missing.status_code == 404 and _accepts_html(scope):
                return self._index_response()
            raise
        response.headers["Cache-Control"] = REVALIDATE
        return response

    def _index_response(self) -> Response:
        return FileResponse(self._index, headers={"Cache-Control": REVALIDATE})


def serve_web_app(router: Router, directory: Path) -> None:
    """Serve the build in `directory` (which holds `index.html`) from `router`, after, and
    never instead of, its routes."""
    assets = directory / ASSETS
    if assets.is_dir():
        router.mount(f"/{ASSETS}", HashedAssets(directory=assets), name=ASSETS)
    router.default = SinglePageApp(directory, router)
