"""The watch on every page catches what the app would rather not show."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import RunningDojang

from .conftest import Expected4xx, People

pytestmark = pytest.mark.browser


def test_console_errors_failed_requests_and_unexpected_answers_are_caught(
    people: People, web_server: RunningDojang
) -> None:
    person = people.open("ceo@dojang.example", log_in=False)
    person.goto("/login")
    expect(person.page.get_by_label("이메일")).to_be_visible()
    person.page.evaluate("console.error('broken on purpose')")
    person.page.evaluate("fetch('/api/nothing-here').catch(() => {})")
    person.page.evaluate("setTimeout(() => { throw new Error('uncaught on purpose') }, 0)")
    person.page.evaluate("fetch('http://127.0.0.1:1/').catch(() => {})")
    person.page.wait_for_timeout(500)
    problems = "\n".join(person.watch.problems)
    assert "console error: broken on purpose" in problems
    assert f"answer 404: GET {web_server.base_url}/api/nothing-here" in problems
    assert "uncaught on purpose" in problems
    # the app's policy lets a page reach Dojang alone: a request to another host is refused
    # by the browser, and the refusal is caught
    assert "violates the following Content Security Policy directive" in problems
    person.watch.problems.clear()  # caught, as they should be: not this test's failure


def test_only_declared_client_errors_are_let_through(people: People) -> None:
    person = people.open("ceo@dojang.example", log_in=False)
    person.goto("/login")
    expect(person.page.get_by_label("이메일")).to_be_visible()
    preview = (
        "fetch('/api/approvals/preview', {method: 'POST', body: '{}',"
        " headers: {'Content-Type': 'application/json'}})"
    )
    person.page.evaluate(preview)  # no token: 401
    person.page.wait_for_timeout(300)
    assert any("answer 401: POST" in p for p in person.watch.problems), person.watch.problems
    person.watch.problems.clear()
    person.watch.expected.append(Expected4xx("POST", "/api/approvals/preview", 401))
    person.page.evaluate(preview)
    person.page.wait_for_timeout(300)
    assert person.watch.problems == []
