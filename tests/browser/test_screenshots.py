"""Every main screen in Korean and English, on a desktop and a phone, saved for review.

The screenshots land in `test-artifacts/screenshots/` (ignored by git), one file per
language, window size and screen: `ko-1280x800-inbox.png`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx2
import pytest
from playwright.sync_api import expect

from dojang.demo import DEMO_PASSWORD
from tests.e2e.conftest import RunningDojang

from .conftest import DESKTOP, PHONE, SCREENSHOTS, People, Person

pytestmark = pytest.mark.browser

# 안재석 (과장, People, an administrator) approves for 류하늘 (사원, People).
VIEWER = "jaeseok.ahn@dojang.example"
REQUESTER = "haneul.ryu@dojang.example"
LOADING = {"ko": "불러오는 중…", "en": "Loading…"}
# A name not looked up yet shows as an ellipsis.
UNKNOWN_NAME = "…"
PROPOSED_LINE = {
    "ko": "양식 규칙이 제안한 결재선입니다. 수정할 수 있습니다.",
    "en": "The line the form's rule proposes. You may change it.",
}


@contextmanager
def _api(server: RunningDojang, email: str) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=server.base_url, timeout=10) as client:
        login = client.post("/api/auth/login", json={"email": email, "password": DEMO_PASSWORD})
        assert login.status_code == 200, login.text
        client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        yield client


def _submitted(client: httpx2.Client, title: str, **body: Any) -> str:
    answer = client.post("/api/approvals", json={"form": "general", "title": title, **body})
    assert answer.status_code == 201, answer.text
    document_id: str = answer.json()["id"]
    return document_id


@pytest.fixture(scope="module")
def documents(web_server: RunningDojang) -> dict[str, str]:
    """A document waiting for the viewer and one the viewer approved, by screen name."""
    with _api(web_server, REQUESTER) as requester, _api(web_server, VIEWER) as viewer:
        me = viewer.get("/api/auth/me").json()["employee"]["id"]
        line = [{"kind": "approval", "approvers": [me], "rule": "all"}]
        waiting = _submitted(
            requester, "신규 입사자 교육 일정 확정", content="다음 주 월요일부터 3일간.", line=line
        )
        approved = _submitted(
            requester,
            "복리후생 제도 개선안",
            content="건강검진 지원 범위를 가족까지 넓힙니다.",
            line=line,
        )
        decided = viewer.post(f"/api/approvals/{approved}/approve", json={"comment": "좋습니다."})
        assert decided.status_code == 200, decided.text
    return {"document-waiting": waiting, "document-approved": approved}


def _settled(person: Person) -> None:
    """The screen has its heading and nothing is still loading."""
    expect(person.page.get_by_role("heading", level=1).first).to_be_visible()
    expect(person.page.get_by_text(LOADING[person.locale])).to_have_count(0)
    expect(person.page.get_by_text(UNKNOWN_NAME, exact=True)).to_have_count(0)


def _shoot(person: Person, name: str) -> None:
    size = person.page.viewport_size
    assert size is not None
    path = SCREENSHOTS / f"{person.locale}-{size['width']}x{size['height']}-{name}.png"
    person.page.screenshot(path=str(path), full_page=True)


def _main_screens(documents: dict[str, str]) -> dict[str, str]:
    return {
        "home": "/",
        "new": "/new",
        "inbox": "/boxes/inbox",
        "completed": "/boxes/completed",
        "notifications": "/notifications",
        "delegations": "/delegations",
        "attendance": "/attendance",
        "admin-employees": "/admin/employees",
        "admin-departments": "/admin/departments",
        **{name: f"/documents/{document_id}" for name, document_id in documents.items()},
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("locale", ["ko", "en"])
def test_every_main_screen_is_captured(
    people: People, documents: dict[str, str], locale: str, viewport: dict[str, int]
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    person = people.open(VIEWER, log_in=False, locale=locale, viewport=viewport)
    person.goto("/login")
    expect(person.page.get_by_label(person.text("email"))).to_be_visible()
    _shoot(person, "login")
    person.log_in()
    for name, path in _main_screens(documents).items():
        person.goto(path)
        _settled(person)
        if name == "new":
            expect(person.page.get_by_text(PROPOSED_LINE[person.locale])).to_be_visible()
        _shoot(person, name)
    person.goto("/")
    _settled(person)
    toggle = person.page.get_by_role("button", name=person.text("menu"), exact=True)
    if toggle.is_visible():
        toggle.click()
        _shoot(person, "menu-open")


# The page's width, and how many of its boxes scroll sideways inside it (a table too wide
# for its wrapper is as unreadable on a phone as a page too wide for the screen). Boxes
# hidden for screen readers only (1 px wide) do not count.
SIDEWAYS = """() => ({
  page: document.documentElement.scrollWidth,
  boxes: [...document.querySelectorAll("main *")].filter(
    (e) => e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1
      && getComputedStyle(e).overflowX !== "visible"
  ).map((e) => `${e.tagName}.${e.className}:${e.scrollWidth}>${e.clientWidth}`),
})"""


@pytest.mark.parametrize("locale", ["ko", "en"])
def test_no_screen_scrolls_sideways_on_a_phone(
    people: People, documents: dict[str, str], locale: str
) -> None:
    person = people.open(VIEWER, log_in=False, locale=locale, viewport=PHONE)
    person.goto("/login")
    expect(person.page.get_by_label(person.text("email"))).to_be_visible()
    seen = {"login": person.page.evaluate(SIDEWAYS)}
    person.log_in()
    for name, path in _main_screens(documents).items():
        person.goto(path)
        _settled(person)
        seen[name] = person.page.evaluate(SIDEWAYS)
    too_wide = {name: s for name, s in seen.items() if s["page"] > PHONE["width"] or s["boxes"]}
    assert too_wide == {}
