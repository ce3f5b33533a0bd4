"""The stack's ceiling: a minimal FastAPI endpoint served as `dojang serve` serves Dojang.

Run: `python bench/ceiling_app.py PORT`; `GET /ping` answers a tiny JSON object.
"""

from __future__ import annotations

import sys

import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.get("/ping")
async def ping() -> dict[str, bool]:
    """A tiny JSON answer: the cost of uvicorn, Starlette and FastAPI alone."""
    return {"ok": True}


if __name__ == "__main__":
    # the settings of `dojang serve` (src/dojang/cli.py), so the two are comparable
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(sys.argv[1]),
        log_config=None,
        access_log=False,
        lifespan="on",
        ws_ping_interval=None,
    )
