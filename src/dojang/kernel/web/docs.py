"""The API's documentation page, served with its own pinned Swagger UI assets.

FastAPI's default page loads Swagger UI from a CDN, which leaves a blank page on the
air-gapped networks (망분리) many Korean offices run. The assets come from the
`swagger-ui-bundle` package instead, under `/api/docs/assets/`.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

DOCS_URL = "/api/docs"
ASSETS_URL = f"{DOCS_URL}/assets"


def install_api_docs(app: FastAPI, *, openapi_url: str, title: str) -> None:
    """Serve the documentation page at `DOCS_URL`; `app` must be built with `docs_url=None`."""
    app.mount(ASSETS_URL, StaticFiles(directory=swagger_ui_path), name="api-docs-assets")

    @app.get(DOCS_URL, include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{title} API",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url="data:,",
        )
