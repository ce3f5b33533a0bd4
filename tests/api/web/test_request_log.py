"""Each request line says who made the request and from where."""

from __future__ import annotations

import logging

import httpx2
from fastapi import FastAPI
from structlog.testing import capture_logs

from dojang.demo import DEMO_PASSWORD, load_demo
from tests.conftest import login


async def test_the_request_line_names_the_user_and_the_client(
    app: FastAPI, client: httpx2.AsyncClient
) -> None:
    await load_demo(app.state.dojang)
    headers = await login(client, "ceo@dojang.example", DEMO_PASSWORD)
    me = (await client.get("/api/auth/me", headers=headers)).json()["employee"]
    access = logging.getLogger("dojang.http")
    before = access.level
    access.setLevel(logging.INFO)
    try:
        with capture_logs() as logs:
            await client.get("/api/auth/me", headers=headers)
            await client.get("/api/auth/me")
    finally:
        access.setLevel(before)
    lines = [
        (line["user"], line["client"], line["status"])
        for line in logs
        if line["event"] == "request"
    ]
    assert lines == [(me["id"], "127.0.0.1", 200), (None, "127.0.0.1", 401)]
