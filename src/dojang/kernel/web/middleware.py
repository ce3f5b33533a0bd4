"""The middleware every Dojang HTTP app runs, embedded or one service per process.

Starlette runs the last one added first, so a request meets, in order: its request id and
log line, CORS (a preflight is answered here), the security headers, and the body limit.
"""

from __future__ import annotations

from fastapi import FastAPI

from dojang.kernel.settings import KernelSettings
from dojang.kernel.web.cors import install_cors
from dojang.kernel.web.headers import SecurityHeadersMiddleware
from dojang.kernel.web.limits import BodySizeLimitMiddleware
from dojang.kernel.web.observability import RequestContextMiddleware


def install_middleware(app: FastAPI, settings: KernelSettings) -> None:
    app.add_middleware(BodySizeLimitMiddleware, default_language=settings.default_language)
    app.add_middleware(SecurityHeadersMiddleware)
    install_cors(app, settings.cors_origins)
    app.add_middleware(RequestContextMiddleware)
