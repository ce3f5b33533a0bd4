"""The web app through the distributed stack's nginx: the same screens and the same live
updates as on `dojang serve`, with every service in its own process (two replicas of
approval-request and of notification) on Kafka, MariaDB, FerretDB and Redis."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.stack import Stack, stack

from .conftest import People, watched_people
from .test_approval_live import approve_an_expense_live

pytestmark = [pytest.mark.browser, pytest.mark.integration]
__all__ = ["stack"]


@pytest.fixture
def stack_people(browser: Browser, stack: Stack, served_build: Path) -> Iterator[People]:
    """People at the stack's nginx, which serves the checkout's web build at `/`."""
    assert (served_build / "index.html").is_file()
    yield from watched_people(browser, stack.base_url)


def test_an_expense_is_approved_live_through_the_stack(stack_people: People) -> None:
    approve_an_expense_live(stack_people)
