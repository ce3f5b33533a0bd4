"""Every kind of problem, and the notifications of a document's life, in Korean and English.

Korean is the default; `Accept-Language: en` (or `en-US`, or `en` preferred by q-value)
asks for English. Whatever the language, `type`, `status` and the field paths stay the same
machine values, and no answer shows pydantic's wording or a regular expression.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI

from dojang.demo import DEMO_PASSWORD, PEOPLE, load_demo
from tests.conftest import login, test_overrides

HANGUL = re.compile(r"[\uac00-\ud7a3]")
FRAMEWORK_WORDING = re.compile(
    r"Value error|Input should|pattern|regex|\\[dDsSwWbB]|\[A-Z\]|\{\d", re.IGNORECASE
)
STAFF = "haeun.jung@dojang.example"  # 정하은, whose manager is 박서연
MANAGER = "seoyeon.park@dojang.example"
ADMIN = "ceo@dojang.example"

Headers = dict[str, str]
Call = Callable[[httpx2.AsyncClient, Headers, Headers], Awaitable[httpx2.Response]]


@dataclass(frozen=True)
class Case:
    """A request that must fail with `status` and problem `slug`."""

    name: str
    status: int
    slug: str
    call: Call


async def _unauthenticated(c: httpx2.AsyncClient, _staff: Headers, lang: Headers) -> Any:
    return await c.get("/api/auth/me", headers=lang)


async def _forbidden(c: httpx2.AsyncClient, staff: Headers, lang: Headers) -> Any:
    body = {"name": "새 부서"}
    return await c.post("/api/departments", json=body, headers=staff | lang)


async def _not_found(c: httpx2.AsyncClient, staff: Headers, lang: Headers) -> Any:
    return await c.get("/api/approvals/no-such-document", headers=staff | lang)


async def _conflict(c: httpx2.AsyncClient, staff: Headers, lang: Headers) -> Any:
    await c.post("/api/attendance/check-in", headers=staff)
    return await c.post("/api/attendance/check-in", headers=staff | lang)


async def _missing_and_extra(c: httpx2.AsyncClient, staff: Headers, lang: Headers) -> Any:
    body = {"form": "general", "content": "본문", "colour": "red"}
    return await c.post("/api/approvals", json=body, headers=staff | lang)


async def _wrong_types(c: httpx2.AsyncClient, staff: Headers, lang: Headers) -> Any:
    body = {"form": "memo", "title": "", "content": 3, "submit": "perhaps", "cc": "x"}
    return await c.post("/api/approvals", json=body, headers=staff | lang)


async def _bad_form_fields(c: httpx2.AsyncClient, staff: Headers, lang: Headers) -> Any:
    fields = {"start_date": "2026/03/02", "end_date": "2026-03-01", "days": -1}
    fields |= {"leave_type": "holiday"}
    body = {"form": "leave", "title": "휴가", "content": "", "fields": fields}
    return await c.post("/api/approvals", json=body, headers=staff | lang)


async def _bad_currency(c: httpx2.AsyncClient, staff: Headers, lang: Headers) -> Any:
    fields = {"amount": 1000, "currency": "won", "category": "meals"}
    body = {"form": "expense", "title": "식대", "content": "", "fields": fields}
    return await c.post("/api/approvals", json=body, headers=staff | lang)


async def _bad_line(c: httpx2.AsyncClient, staff: Headers, lang: Headers) -> Any:
    line = [{"kind": "approval", "approvers": [], "rule": "most"}]
    body = {"form": "general", "title": "결재선", "content": "", "line": line}
    return await c.post("/api/approvals", json=body, headers=staff | lang)


async def _bad_times(c: httpx2.AsyncClient, staff: Headers, lang: Headers) -> Any:
    body = {"delegate_id": "x", "starts_at": "yesterday", "ends_at": "2026-13-40T00:00:00Z"}
    return await c.post("/api/delegations", json=body, headers=staff | lang)


async def _bad_query(c: httpx2.AsyncClient, staff: Headers, lang: Headers) -> Any:
    return await c.get("/api/approvals?box=trash&limit=0", headers=staff | lang)


async def _malformed(c: httpx2.AsyncClient, staff: Headers, lang: Headers) -> Any:
    headers = staff | lang | {"Content-Type": "application/json"}
    return await c.post("/api/approvals", content=b'{"form": ', headers=headers)


async def _method(c: httpx2.AsyncClient, staff: Headers, lang: Headers) -> Any:
    return await c.delete("/api/forms", headers=staff | lang)


async def _too_large(c: httpx2.AsyncClient, staff: Headers, lang: Headers) -> Any:
    body = b'{"title": "' + b"x" * 1_100_000 + b'"}'
    headers = staff | lang | {"Content-Type": "application/json"}
    return await c.post("/api/approvals", content=body, headers=headers)


async def _rate_limited(c: httpx2.AsyncClient, _staff: Headers, lang: Headers) -> Any:
    wrong = {"email": MANAGER, "password": "not-the-password"}
    for _ in range(10):
        answer = await c.post("/api/auth/login", json=wrong, headers=lang)
        if answer.status_code == 429:
            break
    return answer


async def _reject_without_reason(c: httpx2.AsyncClient, staff: Headers, lang: Headers) -> Any:
    return await c.post("/api/approvals/any/reject", json={"reason": " "}, headers=staff | lang)


CASES = [
    Case("unauthenticated", 401, "unauthenticated", _unauthenticated),
    Case("forbidden", 403, "forbidden", _forbidden),
    Case("not found", 404, "not-found", _not_found),
    Case("conflict", 409, "conflict", _conflict),
    Case("missing and extra fields", 422, "validation", _missing_and_extra),
    Case("wrong types", 422, "validation", _wrong_types),
    Case("form fields", 422, "validation", _bad_form_fields),
    Case("currency format", 422, "validation", _bad_currency),
    Case("approval line", 422, "validation", _bad_line),
    Case("times", 422, "validation", _bad_times),
    Case("query", 422, "validation", _bad_query),
    Case("reject without reason", 422, "validation", _reject_without_reason),
    Case("malformed JSON", 400, "malformed", _malformed),
    Case("method", 405, "405", _method),
    Case("too large", 413, "too-large", _too_large),
    Case("rate limited", 429, "rate-limited", _rate_limited),
]


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx2.AsyncClient]:
    """A client that names no language unless a test says so (the suite's own asks for en)."""
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://dojang.test") as c:
        yield c


@pytest.fixture
async def staff(app: FastAPI, client: httpx2.AsyncClient) -> Headers:
    await load_demo(app.state.dojang)
    return await login(client, STAFF, DEMO_PASSWORD)


def _texts(body: dict[str, Any]) -> list[str]:
    return [body["title"], body["detail"], *(e["message"] for e in body.get("errors", []))]


async def _answer(
    case: Case, client: httpx2.AsyncClient, staff: Headers, lang: Headers
) -> tuple[httpx2.Response, dict[str, Any]]:
    answer = await case.call(client, staff, lang)
    assert answer.status_code == case.status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = answer.json()
    assert body["type"] == f"https://dojang.dev/problems/{case.slug}"
    assert not FRAMEWORK_WORDING.search(answer.text), answer.text
    return answer, body


async def test_every_kind_of_problem_speaks_korean_by_default_and_english_when_asked(
    client: httpx2.AsyncClient, staff: Headers
) -> None:
    # one app for all of them: an app with the demo organisation takes a while to start
    for case in CASES:
        await _both_languages(case, client, staff)
    await _a_pattern_failure_names_the_format_it_wants(client, staff)


async def _both_languages(case: Case, client: httpx2.AsyncClient, staff: Headers) -> None:
    korean, ko_body = await _answer(case, client, staff, {})
    assert korean.headers["content-language"] == "ko"
    assert "accept-language" in korean.headers["vary"].lower()
    for text in _texts(ko_body):
        assert HANGUL.search(text), f"not Korean: {text!r} in {ko_body}"

    english, en_body = await _answer(case, client, staff, {"Accept-Language": "en-US,ko;q=0.5"})
    assert english.headers["content-language"] == "en"
    for text in _texts(en_body):
        assert not HANGUL.search(text), f"not English: {text!r} in {en_body}"

    assert en_body["status"] == ko_body["status"]
    fields = [[e["field"] for e in body.get("errors", [])] for body in (ko_body, en_body)]
    assert fields[0] == fields[1]


async def test_a_language_the_api_does_not_speak_gets_korean(client: httpx2.AsyncClient) -> None:
    for header in ("fr-FR, de;q=0.8", "*", "en;q=0", "ko;q=0.9, en;q=0.8"):
        answer = await client.get("/api/auth/me", headers={"Accept-Language": header})
        assert answer.headers["content-language"] == "ko", header
    answer = await client.get("/api/auth/me", headers={"Accept-Language": "ko;q=0.2, en-GB"})
    assert answer.headers["content-language"] == "en"
    assert answer.json()["detail"] == "A bearer token is required."


async def _a_pattern_failure_names_the_format_it_wants(
    client: httpx2.AsyncClient, staff: Headers
) -> None:
    _, body = await _answer(CASES[7], client, staff, {})
    assert {"field": "fields.currency", "message": "KRW처럼 세 글자 통화 코드를 입력하세요."} in (
        body["errors"]
    )
    _, body = await _answer(CASES[6], client, staff, {})
    assert {"field": "fields.start_date", "message": "YYYY-MM-DD 형식의 날짜를 입력하세요."} in (
        body["errors"]
    )


async def _decide_a_document_and_comment(
    client: httpx2.AsyncClient, staff: Headers, manager: Headers, admin_id: str
) -> None:
    body = {"form": "general", "title": "회의록 공유", "content": "본문", "cc": [admin_id]}
    created = await client.post("/api/approvals", json=body, headers=staff)
    assert created.status_code == 201, created.text
    first = created.json()["id"]
    answer = await client.post(
        f"/api/approvals/{first}/comments", json={"body": "확인 부탁드립니다"}, headers=manager
    )
    assert answer.status_code == 201, answer.text
    answer = await client.post(
        f"/api/approvals/{first}/reject", json={"reason": "첨부 누락"}, headers=manager
    )
    assert answer.status_code == 200, answer.text
    second = await client.post("/api/approvals", json={**body, "cc": []}, headers=staff)
    answer = await client.post(f"/api/approvals/{second.json()['id']}/withdraw", headers=staff)
    assert answer.status_code == 200, answer.text


async def test_notifications_read_in_the_readers_language(
    app: FastAPI, client: httpx2.AsyncClient, staff: Headers
) -> None:
    manager = await login(client, MANAGER, DEMO_PASSWORD)
    admin = await login(client, ADMIN, DEMO_PASSWORD)
    me = await client.get("/api/auth/me", headers=admin)
    await _decide_a_document_and_comment(client, staff, manager, me.json()["employee"]["id"])
    embedded = app.state.dojang
    for module in embedded.modules:
        if module.relay is not None:
            await module.relay.relay_once()

    seen: dict[str, dict[str, str]] = {}
    for headers in (staff, manager, admin):
        for language in ("ko", "en"):
            answer = await client.get(
                "/api/notifications", headers=headers | {"Accept-Language": language}
            )
            assert answer.headers["content-language"] == language
            for item in answer.json()["items"]:
                seen.setdefault(f"{item['id']}", {})[language] = item["message"]
                seen[item["id"]]["type"] = item["type"]
    kinds = {texts["type"] for texts in seen.values()}
    assert {"approval.your_turn", "approval.rejected", "approval.commented"} <= kinds
    assert {"approval.withdrawn", "approval.cc"} <= kinds
    typed = ["회의록 공유", "첨부 누락", "확인 부탁드립니다", *(p.name for p in PEOPLE)]

    def ours(text: str) -> str:
        """The text without what people typed (titles, reasons, comments, names)."""
        for value in typed:
            text = text.replace(value, "")
        return text

    for texts in seen.values():
        assert HANGUL.search(ours(texts["ko"])), texts
        assert not HANGUL.search(ours(texts["en"])), texts


async def test_the_default_language_is_a_setting(tmp_path: Path) -> None:
    from dojang.app import create_app

    app = create_app(**test_overrides(tmp_path / "data"), default_language="en")
    async with app.router.lifespan_context(app):
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://dojang.test") as c:
            unnamed = await c.get("/api/auth/me")
            korean = await c.get("/api/auth/me", headers={"Accept-Language": "ko"})
            too_large = await c.post("/api/approvals", content=b"x" * 1_100_000)
    assert unnamed.headers["content-language"] == "en"
    assert unnamed.json()["detail"] == "A bearer token is required."
    assert korean.json()["detail"] == "Bearer 토큰이 필요합니다."
    assert too_large.headers["content-language"] == "en"
