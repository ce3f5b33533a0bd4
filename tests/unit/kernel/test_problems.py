"""Every failure path answers application/problem+json."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx2
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, Field
from structlog.testing import capture_logs

from dojang.kernel.errors import Conflict, InvalidInput, TooManyRequests
from dojang.kernel.mysql import LockContention
from dojang.kernel.web.limits import BodySizeLimitMiddleware
from dojang.kernel.web.observability import RequestContextMiddleware
from dojang.kernel.web.problems import install_problem_handlers


class Payload(BaseModel):
    name: str = Field(min_length=1)
    amount: int


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=1000)
    app.add_middleware(RequestContextMiddleware)

    @app.post("/things")
    async def create(payload: Payload) -> dict[str, str]:
        return {"name": payload.name}

    @app.get("/conflict")
    async def conflict() -> None:
        raise Conflict("already decided")

    @app.get("/invalid")
    async def invalid() -> None:
        raise InvalidInput.field("line[0].approvers", "must not be empty")

    @app.get("/throttled")
    async def throttled() -> None:
        raise TooManyRequests("slow down", retry_after=42)

    @app.get("/deadlocked")
    async def deadlocked() -> None:
        raise LockContention(1213, "Deadlock found when trying to get lock")

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("unexpected")

    return app


@pytest.fixture
async def http() -> AsyncIterator[httpx2.AsyncClient]:
    transport = httpx2.ASGITransport(app=_app(), raise_app_exceptions=False)
    english = {"Accept-Language": "en"}
    async with httpx2.AsyncClient(transport=transport, base_url="http://t", headers=english) as c:
        yield c


@pytest.fixture
async def korean() -> AsyncIterator[httpx2.AsyncClient]:
    transport = httpx2.ASGITransport(app=_app(), raise_app_exceptions=False)
    async with httpx2.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


async def test_without_accept_language_problems_speak_korean(korean: httpx2.AsyncClient) -> None:
    answer = await korean.post("/things", json={"amount": "many", "extra": 1})
    assert answer.headers["content-language"] == "ko"
    assert answer.headers["vary"] == "Accept-Language"
    assert answer.json()["title"] == "입력값 오류"
    assert answer.json()["detail"] == "입력값이 올바르지 않은 항목이 있습니다."
    assert answer.json()["errors"] == [
        {"field": "name", "message": "필수 항목입니다."},
        {"field": "amount", "message": "정수를 입력하세요."},
    ]
    assert (await korean.get("/boom")).json()["detail"] == (
        "서버에서 문제가 발생했습니다. 오류는 기록되었습니다."
    )
    too_large = await korean.post("/things", content=b"x" * 2000)
    assert too_large.headers["content-language"] == "ko"
    assert too_large.json()["detail"] == "요청 본문이 1000바이트를 넘습니다."
    assert (await korean.get("/nowhere")).json()["title"] == "찾을 수 없음"


async def test_english_validation_messages_are_sentences_not_pydantic_wording(
    http: httpx2.AsyncClient,
) -> None:
    answer = await http.post("/things", json={"name": "", "amount": "many"})
    assert answer.headers["content-language"] == "en"
    assert answer.json()["errors"] == [
        {"field": "name", "message": "This field must not be empty."},
        {"field": "amount", "message": "Enter a whole number."},
    ]


async def test_validation_errors_name_each_field(http: httpx2.AsyncClient) -> None:
    answer = await http.post("/things", json={"name": "", "amount": "many"})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["title"] == "Invalid input"
    assert {e["field"] for e in body["errors"]} == {"name", "amount"}


async def test_malformed_json_is_a_400_problem(http: httpx2.AsyncClient) -> None:
    answer = await http.post(
        "/things", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert answer.status_code == 400
    assert answer.json()["status"] == 400
    assert answer.json()["errors"] == [
        {"field": "body", "message": "not valid JSON (at character 1)"}
    ]


async def test_domain_errors_keep_their_status_and_detail(http: httpx2.AsyncClient) -> None:
    answer = await http.get("/conflict")
    assert answer.status_code == 409
    assert answer.json() == {
        "type": "https://dojang.dev/problems/conflict",
        "title": "Conflict",
        "status": 409,
        "detail": "already decided",
    }


async def test_field_errors_from_use_cases_are_listed(http: httpx2.AsyncClient) -> None:
    answer = await http.get("/invalid")
    assert answer.json()["errors"] == [
        {"field": "line[0].approvers", "message": "must not be empty"}
    ]


async def test_rate_limits_say_when_to_retry(http: httpx2.AsyncClient) -> None:
    answer = await http.get("/throttled")
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "42"


async def test_a_lost_lock_race_is_a_503_problem_to_try_again(http: httpx2.AsyncClient) -> None:
    answer = await http.get("/deadlocked")
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["retry-after"] == "1"
    assert answer.json()["type"].endswith("/try-again")
    assert "Deadlock" not in answer.text


async def test_unknown_routes_are_404_problems(http: httpx2.AsyncClient) -> None:
    answer = await http.get("/nowhere")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


async def test_unexpected_errors_are_500_problems_without_internals(
    http: httpx2.AsyncClient,
) -> None:
    answer = await http.get("/boom")
    assert answer.status_code == 500
    assert "unexpected" not in answer.text
    assert answer.headers["content-type"] == "application/problem+json"


async def test_every_answer_carries_a_request_id(http: httpx2.AsyncClient) -> None:
    mine = await http.get("/conflict", headers={"X-Request-ID": "abc-123"})
    assert mine.headers["x-request-id"] == "abc-123"
    generated = await http.get("/conflict")
    assert len(generated.headers["x-request-id"]) == 32


async def test_a_body_over_the_limit_is_a_413_problem(http: httpx2.AsyncClient) -> None:
    answer = await http.post("/things", json={"name": "x" * 2000, "amount": 1})
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"


async def test_a_streamed_body_over_the_limit_is_a_413_problem(http: httpx2.AsyncClient) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(5):
            yield b"x" * 400

    answer = await http.post(
        "/things", content=chunks(), headers={"content-type": "application/json"}
    )
    assert answer.status_code == 413


@pytest.mark.parametrize(("level", "logged"), [(logging.INFO, True), (logging.WARNING, False)])
async def test_each_request_is_logged_when_info_shows(
    http: httpx2.AsyncClient, level: int, logged: bool
) -> None:
    access = logging.getLogger("dojang.http")
    before = access.level
    access.setLevel(level)
    try:
        with capture_logs() as logs:
            await http.get("/conflict")
    finally:
        access.setLevel(before)
    lines = [line for line in logs if line["event"] == "request"]
    if logged:
        assert lines == [
            {
                "event": "request",
                "log_level": "info",
                "method": "GET",
                "path": "/conflict",
                "status": 409,
                "ms": lines[0]["ms"],
                "user": None,
                "client": "127.0.0.1",
            }
        ]
    else:
        assert lines == []
