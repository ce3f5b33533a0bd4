"""The language of the request being answered, negotiated once by `LanguageMiddleware`."""

from __future__ import annotations

from contextvars import ContextVar
from urllib.parse import parse_qs

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dojang.kernel.i18n.languages import DEFAULT_LANGUAGE, Language, negotiate

_current: ContextVar[Language | None] = ContextVar("dojang_language", default=None)


def current_language() -> Language | None:
    """The language of the request being answered here; None outside of one."""
    return _current.get()


def scope_language(scope: Scope, default: Language = DEFAULT_LANGUAGE) -> Language:
    """The language a request or WebSocket asks for: `?lang=ko|en` on a WebSocket (a browser
    cannot set headers on one), else its `Accept-Language`."""
    if scope["type"] == "websocket":
        query = bytes(scope.get("query_string", b"")).decode("latin-1")
        asked = parse_qs(query).get("lang", [""])[0]
        if asked == "en":
            return "en"
        if asked == "ko":
            return "ko"
    return negotiate(Headers(scope=scope).get("accept-language"), default)


def connection_language(connection: HTTPConnection) -> Language:
    """The language `LanguageMiddleware` chose for a request or WebSocket (negotiated here when
    it did not run, as for the 500 answer, which is written outside every middleware)."""
    chosen = connection.scope.get("state", {}).get("language")
    if chosen == "ko" or chosen == "en":
        return "ko" if chosen == "ko" else "en"
    default: Language = getattr(connection.app.state, "default_language", DEFAULT_LANGUAGE)
    return scope_language(connection.scope, default)


class LanguageMiddleware:
    """Negotiates each request's language and says it on the answer: `Content-Language`,
    and `Vary: Accept-Language` so that no cache hands one language to a reader of another."""

    def __init__(self, app: ASGIApp, default: Language = DEFAULT_LANGUAGE) -> None:
        self.app = app
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in {"http", "websocket"}:
            await self.app(scope, receive, send)
            return
        language = scope_language(scope, self.default)
        scope.setdefault("state", {})["language"] = language
        token = _current.set(language)

        async def say_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Language", language)
                vary = headers.get("Vary")
                if vary is None:
                    headers["Vary"] = "Accept-Language"
                elif "accept-language" not in vary.lower():
                    headers["Vary"] = vary + ", Accept-Language"
            await send(message)

        try:
            await self.app(scope, receive, say_language)
        finally:
            _current.reset(token)
