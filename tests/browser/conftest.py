"""Chromium against a real `dojang serve --demo` that serves the built web app.

Every page a test opens is watched: a console error, an uncaught exception, a request that
fails, an answer of 500 or more, or a 4xx the test did not declare fails the test.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Response,
    expect,
    sync_playwright,
)

from dojang.demo import DEMO_PASSWORD
from dojang.kernel.web.static import repository_web_dist
from tests.e2e.conftest import RunningDojang, start_dojang

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
# How long a change made by one person may take to reach another person's screen.
LIVE_TIMEOUT_MS = 10_000
# Chrome logs every 4xx/5xx answer to a page's console; the answers are judged themselves.
_STATUS_LOGGED = re.compile(r"^Failed to load resource: the server responded with a status of")


def web_build() -> Path:
    """The build the tests serve: `DOJANG_WEB_DIR`, else the checkout's `web/dist`."""
    configured = os.environ.get("DOJANG_WEB_DIR")
    return Path(configured) if configured else repository_web_dist()


@dataclass(frozen=True)
class Expected4xx:
    """A client error the app provokes on purpose: its method, path pattern and status."""

    method: str
    path: str
    status: int

    def matches(self, method: str, path: str, status: int) -> bool:
        """Whether an answer is this one."""
        return (self.method, self.status) == (method, status) and re.fullmatch(
            self.path, path
        ) is not None


# While a form is being filled in, the line preview refuses the incomplete fields.
ALWAYS_EXPECTED = (Expected4xx("POST", "/api/approvals/preview", 422),)


@dataclass
class PageWatch:
    """What went wrong on the pages of one person."""

    expected: list[Expected4xx] = field(default_factory=lambda: list(ALWAYS_EXPECTED))
    problems: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        """Watch `page` until it closes."""
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not _STATUS_LOGGED.match(message.text):
            self.problems.append(f"console error: {message.text} ({message.location})")

    def _failed(self, request: Request) -> None:
        failure = request.failure or ""
        # The app cancels what it no longer needs (a preview superseded by a keystroke).
        if failure == "net::ERR_ABORTED":
            return
        self.problems.append(f"request failed: {request.method} {request.url}: {failure}")

    def _response(self, response: Response) -> None:
        status = response.status
        if status < 400:
            return
        method, path = response.request.method, urlsplit(response.url).path
        if status < 500 and any(e.matches(method, path, status) for e in self.expected):
            return
        self.problems.append(f"answer {status}: {method} {response.url}")


# The few texts of the frame, as the app's catalogues (web/src/lib/i18n) write them.
FRAME_TEXTS = {
    "ko": {
        "email": "이메일",
        "password": "비밀번호",
        "log_in": "로그인",
        "nav": "주 메뉴",
        "menu": "메뉴",
        "log_out": "로그아웃",
    },
    "en": {
        "email": "Email",
        "password": "Password",
        "log_in": "Sign in",
        "nav": "Main menu",
        "menu": "Menu",
        "log_out": "Sign out",
    },
}


@dataclass
class Person:
    """One person at their own browser: a context of their own, one page, its watch."""

    email: str
    context: BrowserContext
    page: Page
    watch: PageWatch
    base_url: str
    locale: str = "ko"

    def text(self, key: str) -> str:
        """A text of the frame in this person's language."""
        return FRAME_TEXTS[self.locale][key]

    def goto(self, path: str) -> None:
        """Open a path of the app."""
        self.page.goto(self.base_url + path)

    def log_in(self) -> None:
        """Log in through the login screen, as a person would."""
        self.goto("/login")
        self.page.get_by_label(self.text("email")).fill(self.email)
        self.page.get_by_label(self.text("password")).fill(DEMO_PASSWORD)
        self.page.get_by_role("button", name=self.text("log_in"), exact=True).click()
        logout = self.page.get_by_role("button", name=self.text("log_out"), exact=True)
        expect(logout).to_be_visible()

    def menu(self, name: str) -> None:
        """Follow a link of the main menu (opening it first on a narrow screen)."""
        nav = self.page.get_by_role("navigation", name=self.text("nav"))
        link = nav.get_by_role("link", name=name, exact=True)
        toggle = self.page.get_by_role("button", name=self.text("menu"), exact=True)
        if not link.is_visible() and toggle.is_visible():
            toggle.click()
        link.click()


@pytest.fixture(scope="session")
def served_build() -> Path:
    """The web app's build; without one the browser tests cannot run (a failure in CI)."""
    build = web_build()
    if not (build / "index.html").is_file():
        pytest.skip(f"no web build at {build}: run `cd web && npm ci && npm run build`")
    return build


@pytest.fixture(scope="session")
def web_server(
    tmp_path_factory: pytest.TempPathFactory, served_build: Path
) -> Iterator[RunningDojang]:
    """One `dojang serve --demo` serving the build, shared by the browser tests."""
    settings = {"DOJANG_WEB_DIR": str(served_build)}
    with start_dojang(tmp_path_factory.mktemp("browser"), settings) as server:
        yield server


# Playwright's sync API keeps an asyncio loop running in the main thread while it is open:
# opened per module, it is closed before the tests of other directories (which call
# asyncio.run) run.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """Playwright's driver; it drives the system Chromium, never a downloaded one."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the module's tests."""
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


class People:
    """Opens a browser context per person; on closing, fails on anything their pages saw."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self._browser = browser
        self._base_url = base_url
        self._opened: list[Person] = []

    def open(
        self,
        email: str,
        *,
        log_in: bool = True,
        locale: str = "ko",
        viewport: dict[str, int] | None = None,
    ) -> Person:
        """A person with a fresh browser of their own, logged in unless told otherwise."""
        context = self._browser.new_context(
            viewport=viewport or DESKTOP,  # type: ignore[arg-type]
            locale="ko-KR" if locale == "ko" else "en-US",
            timezone_id="Asia/Seoul",
        )
        context.set_default_timeout(LIVE_TIMEOUT_MS)
        context.add_init_script(f"window.localStorage.setItem('dojang.locale', '{locale}')")
        page = context.new_page()
        watch = PageWatch()
        watch.attach(page)
        person = Person(email, context, page, watch, self._base_url, locale)
        self._opened.append(person)
        if log_in:
            person.log_in()
        return person

    def close(self) -> list[str]:
        """Close every context; what went wrong on their pages, one line each."""
        problems = []
        for person in self._opened:
            person.context.close()
            problems.extend(f"{person.email}: {p}" for p in person.watch.problems)
        return problems


def watched_people(browser: Browser, base_url: str) -> Iterator[People]:
    """People at `base_url`; the test fails on any error their pages saw."""
    opened = People(browser, base_url)
    yield opened
    problems = opened.close()
    if problems:
        pytest.fail("the pages reported problems:\n" + "\n".join(problems))


@pytest.fixture
def people(browser: Browser, web_server: RunningDojang) -> Iterator[People]:
    """Open people with `people.open(email)` on the embedded server."""
    yield from watched_people(browser, web_server.base_url)
