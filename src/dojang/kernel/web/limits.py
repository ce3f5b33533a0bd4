"""Refuses request bodies above a size limit with a 413 problem, before a handler reads them."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dojang.kernel.i18n import Language, render
from dojang.kernel.i18n.context import scope_language
from dojang.kernel.web.problems import PROBLEM_JSON, TYPE_BASE


class BodySizeLimitMiddleware:
    """413 for bodies over `max_bytes`, whether declared by Content-Length or streamed."""

    def __init__(
        self, app: ASGIApp, max_bytes: int = 1_048_576, default_language: Language = "ko"
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.default_language = default_language

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await self._refuse(scope, send)
                return
        # A body without a declared length is read here first (it is small by definition),
        # so that the limit holds even for chunked uploads.
        chunks: list[bytes] = []
        received = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await self._refuse(scope, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        # this answer leaves before `LanguageMiddleware` runs: it negotiates on its own
        language = scope_language(scope, self.default_language)
        body = json.dumps(
            {
                "type": TYPE_BASE + "too-large",
                "title": render("Payload too large", {}, language),
                "status": 413,
                "detail": render(
                    "The request body is larger than {max_bytes} bytes.",
                    {"max_bytes": self.max_bytes},
                    language,
                ),
            },
            ensure_ascii=False,
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", PROBLEM_JSON.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"content-language", language.encode()),
                    (b"vary", b"Accept-Language"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
