"""The HTTP server's bounds, on a real uvicorn server on loopback."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest
import uvicorn
import websockets
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from dojang.kernel.settings import KernelSettings
from dojang.kernel.web.server import uvicorn_options


async def _client_address(request: Request) -> PlainTextResponse:
    return PlainTextResponse(request.client.host if request.client else "")


async def _echo(websocket: WebSocket) -> None:
    await websocket.accept()
    while True:
        await websocket.send_text(await websocket.receive_text())


app = Starlette(routes=[Route("/who", _client_address), WebSocketRoute("/echo", _echo)])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@asynccontextmanager
async def serving(**settings: object) -> AsyncIterator[int]:
    options = uvicorn_options(KernelSettings(**settings))  # type: ignore[arg-type]
    options["lifespan"] = "off"
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **options))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield port
    finally:
        server.should_exit = True
        await task


async def _closed_within(
    seconds: float, port: int, send: Callable[[asyncio.StreamWriter], None]
) -> bool:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    send(writer)
    await writer.drain()
    try:
        data = await asyncio.wait_for(reader.read(), timeout=seconds)
    except TimeoutError:
        return False
    finally:
        writer.close()
    return data == b""


async def test_a_connection_that_sends_nothing_is_closed() -> None:
    async with serving(http_header_timeout_seconds=0.3) as port:
        assert await _closed_within(3, port, lambda w: None)


async def test_headers_that_never_finish_are_cut_off() -> None:
    async with serving(http_header_timeout_seconds=0.3) as port:
        assert await _closed_within(3, port, lambda w: w.write(b"GET /who HTTP/1.1\r\nHost: x\r\n"))


async def test_a_second_request_on_a_kept_alive_connection_is_bounded_too() -> None:
    async with serving(http_header_timeout_seconds=0.3) as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /who HTTP/1.1\r\nHost: x\r\n\r\n")
        await writer.drain()
        first = await asyncio.wait_for(reader.readuntil(b"127.0.0.1"), timeout=3)
        assert first.startswith(b"HTTP/1.1 200")
        writer.write(b"GET /who HTTP/1.1\r\n")  # and then nothing more
        await writer.drain()
        assert await asyncio.wait_for(reader.read(), timeout=3) == b""
        writer.close()


async def test_a_prompt_request_is_served() -> None:
    async with serving(http_header_timeout_seconds=0.3) as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /who HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), timeout=3)
        writer.close()
        assert answer.startswith(b"HTTP/1.1 200")
        assert b"server: uvicorn" not in answer.lower()


async def _who(port: int, forwarded_for: str) -> str:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        b"GET /who HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + f"X-Forwarded-For: {forwarded_for}\r\n\r\n".encode()
    )
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), timeout=3)
    writer.close()
    return answer.rsplit(b"\r\n\r\n", 1)[1].decode()


async def test_proxy_headers_are_ignored_unless_the_proxy_is_trusted() -> None:
    async with serving() as port:
        assert await _who(port, "203.0.113.9") == "127.0.0.1"


@pytest.mark.parametrize("trusted", ["127.0.0.1", "10.0.0.0/8, 127.0.0.0/8"])
async def test_a_trusted_proxy_names_the_client(trusted: str) -> None:
    async with serving(trusted_proxies=trusted) as port:
        assert await _who(port, "203.0.113.9") == "203.0.113.9"


async def test_an_oversized_websocket_message_closes_the_socket() -> None:
    async with (
        serving(ws_max_message_bytes=1024) as port,
        websockets.connect(f"ws://127.0.0.1:{port}/echo") as socket_,
    ):
        await socket_.send("작" * 100)
        assert await socket_.recv() == "작" * 100
        await socket_.send("x" * 2048)
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await socket_.recv()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1009
